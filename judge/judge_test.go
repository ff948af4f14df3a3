package judge_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
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
	call := oosc.Inbound{Channel: oosc.Voice, From: sender}
	text := oosc.Inbound{Channel: oosc.SMS, From: sender}
	tests := []struct {
		name    string
		status  int
		ct      string
		body    string
		contact oosc.Inbound
		valid   bool
		kind    oosc.AnswerKind
		codes   []oosc.Code
		problem oosc.Rule // a rule among the problems
	}{
		{"TwiML for a call", 200, "application/xml", sayHi, call, true, oosc.TwiMLAnswer, []oosc.Code{}, ""},
		{"TwiML for a message", 200, "application/xml", replyHi, text, true, oosc.TwiMLAnswer, []oosc.Code{}, ""},
		{"auto-create for a call", 200, "application/json", session, call, true, oosc.AutoCreateAnswer, []oosc.Code{}, ""},
		{"any 2xx", 201, "application/json", session, call, true, oosc.AutoCreateAnswer, []oosc.Code{}, ""},
		{"media type in capitals", 200, "Application/XML", sayHi, call, true, oosc.TwiMLAnswer, []oosc.Code{}, ""},
		{"JSON with charset, documented", 200, "application/json; charset=utf-8", session, call, true, oosc.AutoCreateAnswer, []oosc.Code{}, ""},
		{"XML with charset, a warning", 200, "application/xml; charset=utf-8", sayHi, call, true, oosc.TwiMLAnswer, []oosc.Code{}, judge.RuleContentType},
		{"status 500, whatever the body", 500, "application/xml", sayHi, call, false, "", []oosc.Code{80913}, judge.RuleStatus},
		{"a redirect", 302, "application/xml", sayHi, call, false, "", []oosc.Code{80913}, judge.RuleStatus},
		{"no Content-Type", 200, "", sayHi, call, false, oosc.TwiMLAnswer, []oosc.Code{80905}, judge.RuleContentType},
		{"text/xml", 200, "text/xml", sayHi, call, false, oosc.TwiMLAnswer, []oosc.Code{80905}, judge.RuleContentType},
		{"text/plain", 200, "text/plain; charset=utf-8", "Hello", text, false, oosc.TwiMLAnswer, []oosc.Code{80905}, judge.RuleContentType},
		{"empty TwiML body", 200, "application/xml", "", call, false, oosc.TwiMLAnswer, []oosc.Code{12100, 80905}, twiml.RuleEmpty},
		{"empty JSON body", 200, "application/json", "", call, false, oosc.AutoCreateAnswer, []oosc.Code{80905}, autocreate.RuleSyntax},
		{"malformed TwiML", 200, "application/xml", "<Response><Say>Hi</say></Response>", call, false, oosc.TwiMLAnswer, []oosc.Code{12100, 80905}, twiml.RuleMalformed},
		{"a voice verb in a message's answer", 200, "application/xml", sayHi, text, false, oosc.TwiMLAnswer, []oosc.Code{14110, 80905}, twiml.RuleWrongChannel},
		{"an unknown attribute", 200, "application/xml", `<Response><Say voise="x">Hi</Say></Response>`, call, false, oosc.TwiMLAnswer, []oosc.Code{12200, 80905}, twiml.RuleUnknownAttribute},
		{"a root other than Response", 200, "application/xml", `<Reply/>`, call, false, oosc.TwiMLAnswer, []oosc.Code{12102, 80905}, twiml.RuleRoot},
		{"the sender as participant", 200, "application/json", `{"participantIdentifier":"+14155550100"}`, call, false, oosc.AutoCreateAnswer, []oosc.Code{80103, 80905}, autocreate.RuleSenderAsParticipant},
		{"message-only for a call", 200, "application/json", msgOnly, call, false, oosc.AutoCreateAnswer, []oosc.Code{80905, 80911}, autocreate.RuleModeChannel},
		{"a channel address in voice-and-message", 200, "application/json", whatsapp, text, false, oosc.AutoCreateAnswer, []oosc.Code{80616, 80905}, autocreate.RuleAddressNeedsMessaging},
		{"not an identifier", 200, "application/json", `{"participantIdentifier":"bob"}`, text, false, oosc.AutoCreateAnswer, []oosc.Code{80404, 80905}, autocreate.RuleInvalidIdentifier},
		{"JSON served as XML", 200, "application/xml", session, call, false, oosc.TwiMLAnswer, []oosc.Code{12100, 80905}, twiml.RuleMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := judge.Response(tt.status, header(tt.ct), []byte(tt.body), tt.contact, &judge.Options{Now: func() time.Time { return time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC) }})
			assert.Equal(t, tt.valid, v.Valid(), "%v", v.Problems)
			assert.Equal(t, tt.kind, v.Kind)
			assert.Equal(t, tt.codes, v.LoggedCodes())
			assert.NotNil(t, v.Problems)
			if tt.problem != "" {
				assert.True(t, v.Has(tt.problem), "%v", v.Problems)
			}
			if tt.valid {
				assert.NoError(t, v.Err())
				assert.Empty(t, v.Errors())
			} else {
				err := v.Err()
				assert.ErrorIs(t, err, oosc.ErrInvalid)
				var ve *oosc.ValidationError
				require.True(t, errors.As(err, &ve))
				assert.Equal(t, v.Errors(), ve.Problems)
			}
		})
	}
}

// Without a Content-Type the body tells its kind; without a channel, TwiML
// must be valid for one of them and the verdict names it.
func TestBody(t *testing.T) {
	v := judge.Body("", []byte(" \n"+session), oosc.Inbound{}, nil)
	assert.True(t, v.Valid())
	assert.Equal(t, oosc.AutoCreateAnswer, v.Kind)
	require.NotNil(t, v.Session)
	assert.Equal(t, partner, v.Session.ParticipantIdentifier)

	v = judge.Body("", []byte(replyHi), oosc.Inbound{}, nil)
	assert.True(t, v.Valid())
	assert.Equal(t, oosc.SMS, v.Channel)

	v = judge.Body("", []byte(`<Response><Say>Hi</Say><Message>x</Message></Response>`), oosc.Inbound{}, nil)
	assert.False(t, v.Valid())
	var channels []oosc.Channel
	for _, p := range v.Problems {
		channels = append(channels, p.Channel)
	}
	assert.Contains(t, channels, oosc.Voice)
	assert.Contains(t, channels, oosc.SMS)

	lenient := judge.Body("application/xml", []byte(`<Response><Say voise="x">Hi</Say></Response>`), oosc.Inbound{Channel: oosc.Voice}, &judge.Options{Lenient: true})
	assert.True(t, lenient.Valid(), "lenient: a schema problem is a warning")
	assert.NotEmpty(t, lenient.Warnings())
}

func TestProblemString(t *testing.T) {
	v := judge.Response(200, header("text/xml"), []byte(sayHi), oosc.Inbound{Channel: oosc.Voice}, nil)
	require.Len(t, v.Problems, 1)
	assert.Regexp(t, `^error /: content-type: Content-Type text/xml: .* \[80905\]$`, v.Problems[0].String())
	v = judge.Body("application/xml", []byte(`<Response><Say voise="x">Hi</Say></Response>`), oosc.Inbound{Channel: oosc.Voice}, nil)
	assert.Regexp(t, `^error /Response/Say\[1\]@voise \(line 1\): unknown-attribute: .* \[12200\]$`, v.Problems[0].String())
	v = judge.Body("application/json", []byte(`{"participantIdentifier":"+14155550100"}`), oosc.Inbound{From: sender}, nil)
	assert.Regexp(t, `^error participantIdentifier: sender-as-participant: `, v.Problems[0].String())
}

func FuzzResponse(f *testing.F) {
	f.Add(200, "application/xml", sayHi)
	f.Add(200, "application/json; charset=utf-8", session)
	f.Add(500, "", "")
	f.Add(204, "text/xml", "<Response/>")
	f.Fuzz(func(t *testing.T, status int, ct, body string) {
		for _, c := range []oosc.Inbound{{}, {Channel: oosc.Voice, From: sender}, {Channel: oosc.SMS}} {
			v := judge.Response(status, header(ct), []byte(body), c, nil)
			if v.Valid() != (len(v.Errors()) == 0) || v.Valid() != (len(v.LoggedCodes()) == 0) {
				t.Fatalf("inconsistent verdict: %+v", v)
			}
			if !v.Valid() && (status < 200 || status > 299) && (len(v.LoggedCodes()) != 1 || v.LoggedCodes()[0] != 80913) {
				t.Fatalf("status %d gave %v", status, v.LoggedCodes())
			}
			if v.Valid() && v.Kind == oosc.TwiMLAnswer && !twiml.Validate([]byte(body), v.Channel).Valid() {
				t.Fatalf("valid verdict for TwiML the validator refuses")
			}
		}
	})
}

// With DocumentOnly, an auto-create answer is judged as Proxy reads the
// document: what it finds only while creating the Session is left out.
func TestDocumentOnly(t *testing.T) {
	text := oosc.Inbound{Channel: oosc.SMS, From: sender}
	tests := []struct {
		name          string
		body          string
		full, docOnly bool
	}{
		{"the sender as participant", `{"participantIdentifier":"+14155550100"}`, false, true},
		{"an identifier of no known form", `{"participantIdentifier":"not a number"}`, false, true},
		{"a dateExpiry in the past", `{"participantIdentifier":"+14155550123","dateExpiry":"2001-01-01T00:00:00Z"}`, false, true},
		{"voice-only for a message", `{"participantIdentifier":"+14155550123","mode":"voice-only"}`, false, true},
		{"an unknown mode", `{"participantIdentifier":"+14155550123","mode":"fax"}`, false, false},
		{"a mis-cased key", `{"ParticipantIdentifier":"+14155550123"}`, false, false},
		{"ttl as a string", `{"participantIdentifier":"+14155550123","ttl":"60"}`, false, false},
		{"no participantIdentifier", `{"mode":"message-only"}`, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			full := judge.Body("application/json", []byte(tt.body), text, nil)
			doc := judge.Body("application/json", []byte(tt.body), text, &judge.Options{DocumentOnly: true})
			assert.Equal(t, tt.full, full.Valid(), "full: %v", full.Problems)
			assert.Equal(t, tt.docOnly, doc.Valid(), "document only: %v", doc.Problems)
		})
	}
}

// Without a Content-Type, Body tells the kind from the first byte and
// notes it; the note is a warning, not a fault.
func TestBodySniffsTheKind(t *testing.T) {
	call := oosc.Inbound{Channel: oosc.Voice, From: sender}
	for _, tt := range []struct {
		body string
		kind oosc.AnswerKind
	}{{sayHi, oosc.TwiMLAnswer}, {"  \n" + session, oosc.AutoCreateAnswer}, {`"x"`, oosc.AutoCreateAnswer}, {"hello", oosc.TwiMLAnswer}} {
		v := judge.Body("", []byte(tt.body), call, nil)
		assert.Equal(t, tt.kind, v.Kind, tt.body)
		assert.True(t, v.Has(judge.RuleKindSniffed), tt.body)
		for _, p := range v.Problems {
			if p.Rule == judge.RuleKindSniffed {
				assert.Equal(t, oosc.SeverityWarning, p.Severity)
			}
		}
	}
	assert.True(t, judge.Body("", []byte(sayHi), call, nil).Valid())
	assert.False(t, judge.Body("application/xml", []byte(sayHi), call, nil).Has(judge.RuleKindSniffed))
}

// A verdict in JSON: fixed keys, codes with 80905, no HTML escaping.
func TestVerdictJSON(t *testing.T) {
	v := judge.Body("application/xml", []byte(`<Response><Say>a <b></Say></Response>`), oosc.Inbound{Channel: oosc.Voice}, nil)
	b, err := v.MarshalJSON()
	require.NoError(t, err)
	s := string(b)
	assert.Contains(t, s, `{"valid":false,"kind":"twiml","codes":[12100,80905],"problems":[`)
	assert.Contains(t, s, `end tag </Say> does not match <b>`, "no HTML escaping")
	// json.Marshal escapes HTML in what MarshalJSON returns; an Encoder
	// told not to leaves it.
	var enc strings.Builder
	e := json.NewEncoder(&enc)
	e.SetEscapeHTML(false)
	require.NoError(t, e.Encode(v))
	assert.Equal(t, s+"\n", enc.String())
	ok, err := json.Marshal(judge.Body("application/xml", []byte(sayHi), oosc.Inbound{Channel: oosc.Voice}, nil))
	require.NoError(t, err)
	assert.Equal(t, `{"valid":true,"kind":"twiml","channel":"voice","codes":[],"problems":[]}`, string(ok))
}

// The problems carry the codes each causes on its own; LoggedCodes adds
// 80905, which Proxy logs for every answer it refuses.
func TestLoggedCodes(t *testing.T) {
	v := judge.Body("application/xml", []byte("<Response><Say>Hi</say></Response>"), oosc.Inbound{Channel: oosc.Voice}, nil)
	assert.Equal(t, []oosc.Code{12100}, oosc.Report{Problems: v.Problems}.Codes())
	assert.Equal(t, []oosc.Code{12100, 80905}, v.LoggedCodes())
	v = judge.Response(503, header("application/xml"), []byte("<Response><Say>Hi</say></Response>"), oosc.Inbound{Channel: oosc.Voice}, nil)
	assert.Equal(t, []oosc.Code{80913}, v.LoggedCodes(), "a status outside 2xx is 80913 alone")
	assert.Equal(t, []oosc.Code{}, judge.Body("application/xml", []byte(sayHi), oosc.Inbound{Channel: oosc.Voice}, nil).LoggedCodes())
}

// Options.Now is the clock a dateExpiry is judged against.
func TestOptionsNow(t *testing.T) {
	body := []byte(`{"participantIdentifier":"+14155550123","dateExpiry":"2026-12-01T00:00:00Z"}`)
	at := func(y int) *judge.Options {
		return &judge.Options{Now: func() time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }}
	}
	text := oosc.Inbound{Channel: oosc.SMS, From: sender}
	assert.True(t, judge.Body("application/json", body, text, at(2026)).Valid())
	v := judge.Body("application/json", body, text, at(2027))
	assert.True(t, v.Has(autocreate.RuleDateNotFuture), "%v", v.Problems)
}

// Hardening round 3, break 8: XML's and JSON's white space is space, tab,
// CR and LF, nothing else. A TwiML answer with a Unicode space (no-break,
// line separator, NEL, ideographic, ogham) around its root is 12100; an
// auto-create answer with one around its object is not JSON. With those
// four around them, both are valid, also when the kind is told from the
// body.
func TestBodyWhiteSpace(t *testing.T) {
	call := oosc.Inbound{Channel: oosc.Voice, From: sender}
	text := oosc.Inbound{Channel: oosc.SMS, From: sender}
	for _, sp := range []string{"\u00a0", "\u2028", "\u2029", "\u0085", "\u3000", "\u1680", "\u202f"} {
		for _, body := range []string{sp + sayHi, sayHi + sp, `<?xml version="1.0"?>` + sp + "<Response/>", "<Response/>" + sp} {
			for _, ct := range []string{"application/xml", ""} {
				v := judge.Body(ct, []byte(body), call, nil)
				assert.False(t, v.Valid(), "%q as %q", body, ct)
				assert.Contains(t, v.LoggedCodes(), oosc.CodeDocumentParseFailure, "%q as %q: %v", body, ct, v.Problems)
			}
		}
		for _, body := range []string{sp + session, session + sp, strings.Replace(session, ",", ","+sp, 1)} {
			v := judge.Body("application/json", []byte(body), text, nil)
			assert.False(t, v.Valid(), "%q", body)
			assert.True(t, v.Has(autocreate.RuleSyntax), "%q: %v", body, v.Problems)
		}
	}
	const ws = " \t\r\n"
	for _, body := range []string{ws + sayHi[len(`<?xml version="1.0" encoding="UTF-8"?>`):] + ws, sayHi + ws} {
		assert.True(t, judge.Body("application/xml", []byte(body), call, nil).Valid(), "%q", body)
		assert.True(t, judge.Body("", []byte(body), call, nil).Valid(), "%q", body)
	}
	for _, body := range []string{ws + session + ws, strings.ReplaceAll(session, ",", ","+ws)} {
		assert.True(t, judge.Body("application/json", []byte(body), text, nil).Valid(), "%q", body)
		assert.True(t, judge.Body("", []byte(body), text, nil).Valid(), "%q", body)
	}
}
