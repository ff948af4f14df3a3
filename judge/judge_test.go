package judge_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/judge"
	"github.com/oosc-dev/oosc/twiml"
)

const (
	sender   = "+14155550100"
	partner  = "+14155550123"
	sayHi    = `<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hi</Say></Response>`
	replyHi  = `<?xml version="1.0" encoding="UTF-8"?><Response><Message>Hi</Message></Response>`
	session  = `{"mode":"voice-and-message","ttl":3600,"participantIdentifier":"+14155550123"}`
	msgOnly  = `{"mode":"message-only","participantIdentifier":"+14155550123"}`
	whatsapp = `{"mode":"voice-and-message","participantIdentifier":"whatsapp:+14155550123"}`
)

func header(ct string) http.Header {
	h := http.Header{}
	if ct != "" {
		h.Set("Content-Type", ct)
	}
	return h
}

// Every rule of Proxy's acceptance, with the Twilio errors it causes.
func TestResponse(t *testing.T) {
	call := judge.Contact{Channel: twiml.Voice, From: sender}
	text := judge.Contact{Channel: twiml.Messaging, From: sender}
	tests := []struct {
		name    string
		status  int
		ct      string
		body    string
		contact judge.Contact
		valid   bool
		kind    judge.Kind
		codes   []int
		problem string // a code among the problems
	}{
		{"TwiML for a call", 200, "application/xml", sayHi, call, true, judge.TwiML, []int{}, ""},
		{"TwiML for a message", 200, "application/xml", replyHi, text, true, judge.TwiML, []int{}, ""},
		{"auto-create for a call", 200, "application/json", session, call, true, judge.AutoCreate, []int{}, ""},
		{"any 2xx", 201, "application/json", session, call, true, judge.AutoCreate, []int{}, ""},
		{"media type in capitals", 200, "Application/XML", sayHi, call, true, judge.TwiML, []int{}, ""},
		{"JSON with charset, documented", 200, "application/json; charset=utf-8", session, call, true, judge.AutoCreate, []int{}, ""},
		{"XML with charset, a warning", 200, "application/xml; charset=utf-8", sayHi, call, true, judge.TwiML, []int{}, judge.CodeContentType},
		{"status 500, whatever the body", 500, "application/xml", sayHi, call, false, "", []int{80913}, judge.CodeStatus},
		{"a redirect", 302, "application/xml", sayHi, call, false, "", []int{80913}, judge.CodeStatus},
		{"no Content-Type", 200, "", sayHi, call, false, judge.TwiML, []int{80905}, judge.CodeContentType},
		{"text/xml", 200, "text/xml", sayHi, call, false, judge.TwiML, []int{80905}, judge.CodeContentType},
		{"text/plain", 200, "text/plain; charset=utf-8", "Hello", text, false, judge.TwiML, []int{80905}, judge.CodeContentType},
		{"empty TwiML body", 200, "application/xml", "", call, false, judge.TwiML, []int{12100, 80905}, string(twiml.CodeEmpty)},
		{"empty JSON body", 200, "application/json", "", call, false, judge.AutoCreate, []int{80905}, "syntax"},
		{"malformed TwiML", 200, "application/xml", "<Response><Say>Hi</say></Response>", call, false, judge.TwiML, []int{12100, 80905}, string(twiml.CodeMalformed)},
		{"a voice verb in a message's answer", 200, "application/xml", sayHi, text, false, judge.TwiML, []int{80905}, string(twiml.CodeWrongChannel)},
		{"an unknown attribute", 200, "application/xml", `<Response><Say voise="x">Hi</Say></Response>`, call, false, judge.TwiML, []int{12200, 80905}, "unknown-attribute"},
		{"a root other than Response", 200, "application/xml", `<Reply/>`, call, false, judge.TwiML, []int{12102, 80905}, string(twiml.CodeRoot)},
		{"the sender as participant", 200, "application/json", `{"participantIdentifier":"+14155550100"}`, call, false, judge.AutoCreate, []int{80103, 80905}, "sender-as-participant"},
		{"message-only for a call", 200, "application/json", msgOnly, call, false, judge.AutoCreate, []int{80905, 80911}, "mode-channel-mismatch"},
		{"a channel address in voice-and-message", 200, "application/json", whatsapp, text, false, judge.AutoCreate, []int{80616, 80905}, "address-needs-message-only"},
		{"not an identifier", 200, "application/json", `{"participantIdentifier":"bob"}`, text, false, judge.AutoCreate, []int{80404, 80905}, "invalid-identifier"},
		{"JSON served as XML", 200, "application/xml", session, call, false, judge.TwiML, []int{12100, 80905}, string(twiml.CodeMalformed)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := judge.Response(tt.status, header(tt.ct), []byte(tt.body), tt.contact, &judge.Options{Now: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)})
			assert.Equal(t, tt.valid, v.Valid, "%v", v.Problems)
			assert.Equal(t, tt.kind, v.Kind)
			assert.Equal(t, tt.codes, v.TwilioErrors)
			assert.NotNil(t, v.Problems)
			if tt.problem != "" {
				assert.True(t, v.Has(tt.problem), "%v", v.Problems)
			}
			if tt.valid {
				assert.NoError(t, v.Err())
				assert.Empty(t, v.Errors())
			} else {
				err := v.Err()
				assert.ErrorIs(t, err, judge.ErrInvalid)
				var je *judge.Error
				require.True(t, errors.As(err, &je))
				assert.Equal(t, tt.codes, je.Verdict.TwilioErrors)
			}
		})
	}
}

// Without a Content-Type the body tells its kind; without a channel, TwiML
// must be valid for one of them and the verdict names it.
func TestBody(t *testing.T) {
	v := judge.Body("", []byte(" \n"+session), judge.Contact{}, nil)
	assert.True(t, v.Valid)
	assert.Equal(t, judge.AutoCreate, v.Kind)
	require.NotNil(t, v.Session)
	assert.Equal(t, partner, v.Session.ParticipantIdentifier)

	v = judge.Body("", []byte(replyHi), judge.Contact{}, nil)
	assert.True(t, v.Valid)
	assert.Equal(t, twiml.Messaging, v.Channel)

	v = judge.Body("", []byte(`<Response><Say>Hi</Say><Message>x</Message></Response>`), judge.Contact{}, nil)
	assert.False(t, v.Valid)
	var channels []twiml.Channel
	for _, p := range v.Problems {
		channels = append(channels, p.Channel)
	}
	assert.Contains(t, channels, twiml.Voice)
	assert.Contains(t, channels, twiml.Messaging)

	lenient := judge.Body("application/xml", []byte(`<Response><Say voise="x">Hi</Say></Response>`), judge.Contact{Channel: twiml.Voice}, &judge.Options{Lenient: true})
	assert.True(t, lenient.Valid, "lenient: a schema problem is a warning")
	assert.NotEmpty(t, lenient.Warnings())
}

func TestProblemString(t *testing.T) {
	v := judge.Response(200, header("text/xml"), []byte(sayHi), judge.Contact{Channel: twiml.Voice}, nil)
	require.Len(t, v.Problems, 1)
	assert.Regexp(t, `^error: content-type: Content-Type text/xml: `, v.Problems[0].String())
	v = judge.Body("application/xml", []byte(`<Response><Say voise="x">Hi</Say></Response>`), judge.Contact{Channel: twiml.Voice}, nil)
	assert.Regexp(t, `^error /Response/Say\[1\]@voise \(line 1\): unknown-attribute: `, v.Problems[0].String())
	v = judge.Body("application/json", []byte(`{"participantIdentifier":"+14155550100"}`), judge.Contact{From: sender}, nil)
	assert.Regexp(t, `^error participantIdentifier: sender-as-participant: `, v.Problems[0].String())
}

func FuzzResponse(f *testing.F) {
	f.Add(200, "application/xml", sayHi)
	f.Add(200, "application/json; charset=utf-8", session)
	f.Add(500, "", "")
	f.Add(204, "text/xml", "<Response/>")
	f.Fuzz(func(t *testing.T, status int, ct, body string) {
		for _, c := range []judge.Contact{{}, {Channel: twiml.Voice, From: sender}, {Channel: twiml.Messaging}} {
			v := judge.Response(status, header(ct), []byte(body), c, nil)
			if v.Valid != (len(v.Errors()) == 0) || v.Valid != (len(v.TwilioErrors) == 0) {
				t.Fatalf("inconsistent verdict: %+v", v)
			}
			if !v.Valid && (status < 200 || status > 299) && (len(v.TwilioErrors) != 1 || v.TwilioErrors[0] != 80913) {
				t.Fatalf("status %d gave %v", status, v.TwilioErrors)
			}
			if v.Valid && v.Kind == judge.TwiML && !twiml.Validate([]byte(body), v.Channel).Valid() {
				t.Fatalf("valid verdict for TwiML the validator refuses")
			}
		}
	})
}
