package callback_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/twiml"
)

// foreignDoc is a TwiMLDocument from outside this module. It may claim to
// validate itself; the handler must not believe it.
type foreignDoc struct {
	body    string
	panics  bool
	release chan struct{} // if set, Bytes waits for it
}

func (d foreignDoc) Bytes() ([]byte, error) {
	if d.release != nil {
		<-d.release
	}
	if d.panics {
		panic("foreign Bytes panicked")
	}
	return []byte(d.body), nil
}

// Validate lies: it says every document is valid.
func (foreignDoc) Validate() oosc.Report { return oosc.Report{} }

func answerWith(a callback.Answer) callback.DecideFunc {
	return func(context.Context, *callback.Request) (callback.Answer, error) { return a, nil }
}

func fallbackBytes(ch oosc.Channel) string {
	if ch == oosc.Voice {
		b, _ := callback.DefaultVoiceFallback().Bytes()
		return string(b)
	}
	return `<?xml version="1.0" encoding="UTF-8"?><Response/>`
}

// Rendering runs under the decision's protection: a document that is
// nil, or whose Bytes panics, ends in the fallback and a truthful outcome,
// never in a dropped connection.
func TestRenderPanicsGetTheFallback(t *testing.T) {
	tests := []struct {
		name   string
		answer callback.Answer
		says   string
	}{
		{"nil voice builder", callback.TwiML((*twiml.VoiceResponse)(nil)), "nil pointer"},
		{"nil messaging builder", callback.TwiML((*twiml.MessagingResponse)(nil)), "nil pointer"},
		{"foreign document whose Bytes panics", callback.TwiML(foreignDoc{panics: true}), "panicked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := serve(t, answerWith(tt.answer), nil)
			resp := e.post(t, voiceForm(), token)
			body := readAll(t, resp)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, "application/xml", resp.Header.Get("Content-Type"))
			assert.Equal(t, fallbackBytes(oosc.Voice), body)
			out := e.outcome(t)
			assert.Equal(t, callback.FellBack, out.Kind)
			assert.Equal(t, oosc.TwiMLAnswer, out.Answer)
			assert.ErrorIs(t, out.Err, oosc.ErrInvalid)
			assert.Contains(t, out.Err.Error(), tt.says)
		})
	}
	t.Run("rendering past the deadline", func(t *testing.T) {
		release := make(chan struct{})
		defer close(release)
		e := serve(t, answerWith(callback.TwiML(foreignDoc{body: "<Response/>", release: release})),
			&callback.Options{DecisionTimeout: 50 * time.Millisecond})
		resp := e.post(t, voiceForm(), token) // Bytes is still blocked when this returns
		assert.Equal(t, fallbackBytes(oosc.Voice), readAll(t, resp))
		assert.ErrorIs(t, e.outcome(t).Err, callback.ErrDecisionTimeout)
	})
}

// A foreign document is validated as bytes, whatever it claims of itself.
func TestForeignDocumentsAreValidated(t *testing.T) {
	e := serve(t, answerWith(callback.TwiML(foreignDoc{body: "<Response><Say>unclosed"})), nil)
	resp := e.post(t, voiceForm(), token)
	assert.Equal(t, fallbackBytes(oosc.Voice), readAll(t, resp))
	out := e.outcome(t)
	assert.Equal(t, callback.FellBack, out.Kind)
	assert.ErrorIs(t, out.Err, oosc.ErrInvalid)
	require.NotEmpty(t, out.Problems)
	assert.Equal(t, twiml.RuleMalformed, out.Problems[0].Rule)

	// A valid foreign document is answered as it is.
	valid := `<?xml version="1.0" encoding="UTF-8"?><Response><Say>Hi</Say></Response>`
	e = serve(t, answerWith(callback.TwiML(foreignDoc{body: valid})), nil)
	assert.Equal(t, valid, readAll(t, e.post(t, voiceForm(), token)))
}

// Each answer has header values of its own: a middleware that edits
// them in place changes its own answer, not the next one.
func TestAnswerHeadersNotShared(t *testing.T) {
	h, err := callback.NewHandler(sayHello, &callback.Options{Verifier: newVerifier(t, nil, token)})
	require.NoError(t, err)
	editing := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(editInPlace{w}, r)
	})
	mux := http.NewServeMux()
	mux.Handle("/edited", editing)
	mux.Handle("/plain", h)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	post := func(path string) *http.Response {
		form := voiceForm()
		req := callbacktest.NewSignedRequest(context.Background(), srv.URL+path, token, form)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		readAll(t, resp)
		return resp
	}
	assert.Equal(t, "application/xml; edited", post("/edited").Header.Get("Content-Type"))
	for i := 0; i < 2; i++ {
		resp := post("/plain")
		assert.Equal(t, "application/xml", resp.Header.Get("Content-Type"))
		assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	}
}

// editInPlace edits the header values it is given in place, as a careless
// middleware might.
type editInPlace struct{ http.ResponseWriter }

func (w editInPlace) WriteHeader(status int) {
	if v := w.Header()["Content-Type"]; len(v) > 0 {
		v[0] += "; edited"
	}
	w.ResponseWriter.WriteHeader(status)
}

// A TTL computed with time.Until is answered, in whole seconds rounded up.
func TestFractionalTTLRoundsUp(t *testing.T) {
	e := serve(t, func(context.Context, *callback.Request) (callback.Answer, error) {
		return callback.AutoCreate(autocreate.Session{
			ParticipantIdentifier: driver, Mode: autocreate.MessageOnly,
			TTL: time.Until(time.Now().Add(time.Hour)),
		}), nil
	}, nil)
	resp := e.post(t, smsForm(), token)
	body := readAll(t, resp)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &got))
	assert.Equal(t, float64(3600), got["ttl"])
	assert.Equal(t, callback.Answered, e.outcome(t).Kind)
}
