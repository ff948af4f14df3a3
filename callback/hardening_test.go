package callback_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
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

// Regression tests for the holes found by attacking the handler (issue 7),
// one test per hole, each over real HTTP.

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

// 1. Rendering runs under the decision's protection: a document that is
// nil, or whose Bytes panics, ends in the fallback and a truthful outcome,
// never in a dropped connection.
func TestHardeningRenderPanics(t *testing.T) {
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

// 2. Zero values: the zero builders are empty responses, and a Handler not
// made by NewHandler answers 500 instead of panicking.
func TestHardeningZeroValues(t *testing.T) {
	t.Run("zero builders are answers", func(t *testing.T) {
		for _, tt := range []struct {
			form url.Values
			doc  callback.TwiMLDocument
		}{{voiceForm(), &twiml.VoiceResponse{}}, {smsForm(), &twiml.MessagingResponse{}}} {
			e := serve(t, answerWith(callback.TwiML(tt.doc)), nil)
			resp := e.post(t, tt.form, token)
			assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response/>`, readAll(t, resp))
			assert.Equal(t, callback.Answered, e.outcome(t).Kind)
		}
	})
	for name, h := range map[string]http.Handler{"zero Handler": &callback.Handler{}, "nil *Handler": (*callback.Handler)(nil)} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			form := voiceForm()
			req := callbacktest.NewSignedRequest(context.Background(), srv.URL, token, form)
			resp, err := srv.Client().Do(req)
			require.NoError(t, err, "the connection must not be dropped")
			assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
			assert.Equal(t, "Internal Server Error\n", readAll(t, resp))
		})
	}
}

// 3. A foreign document is validated as bytes, whatever it claims of itself.
func TestHardeningForeignDocumentsAreValidated(t *testing.T) {
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

// 4. After a deadline fallback the handler has returned, so the next
// callback on the same keep-alive client is not queued behind the stuck
// decision. The stuck decision is released only when the test ends.
func TestHardeningStuckDecisionDoesNotBlockConnection(t *testing.T) {
	stuck := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(stuck) }) }
	defer release()
	e := serve(t, func(_ context.Context, req *callback.Request) (callback.Answer, error) {
		if req.Body == "stuck" {
			<-stuck // ignores its context
		}
		return sayHello(context.TODO(), nil)
	}, &callback.Options{DecisionTimeout: 50 * time.Millisecond})
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()

	send := func(body string) *http.Response {
		form := voiceForm()
		form.Set("Body", body)
		req := callbacktest.NewSignedRequest(context.Background(), e.url(), token, form)
		resp, err := client.Do(req)
		require.NoError(t, err, "the next callback waited behind the stuck decision")
		return resp
	}
	first := send("stuck")
	assert.Equal(t, fallbackBytes(oosc.Voice), readAll(t, first))
	assert.Equal(t, callback.FellBack, e.outcome(t).Kind)

	for i := 0; i < 3; i++ { // the decision is still stuck while these are answered
		resp := send("fine")
		assert.Contains(t, readAll(t, resp), "<Say>Hello</Say>")
		assert.False(t, resp.Close, "an answer in time keeps the connection")
		assert.Equal(t, callback.Answered, e.outcome(t).Kind)
	}
}

// 5. With masking on, no phone number appears in any attribute of any
// record: not in from/to, not in the reason, not in the problems, and
// full-width digits are masked too.
func TestHardeningLogsMaskEveryPhoneNumber(t *testing.T) {
	const whatsapp = "whatsapp:+14155550188"
	fullWidth := "＋１４１５５５５０１７７"
	decide := func(_ context.Context, req *callback.Request) (callback.Answer, error) {
		if req.Body == "whatsapp" { // a channel address for a call: invalid, quoted in the problems
			return callback.AutoCreate(autocreate.Session{ParticipantIdentifier: whatsapp, Mode: autocreate.VoiceAndMessage}), nil
		}
		return callback.AutoCreate(autocreate.Session{ParticipantIdentifier: req.From}), nil // the sender: invalid
	}
	for _, full := range []bool{false, true} {
		e := serve(t, decide, &callback.Options{LogPhoneNumbers: full})
		readAll(t, e.post(t, smsForm(), token))
		form := smsForm()
		form.Set("Body", "whatsapp")
		readAll(t, e.post(t, form, token))
		form = smsForm()
		form.Set("From", fullWidth)
		readAll(t, e.post(t, form, token))
		for i := 0; i < 3; i++ {
			assert.Equal(t, callback.FellBack, e.outcome(t).Kind)
		}
		logs := e.logs.String()
		for _, number := range []string{rider, "14155550188", "１４１５５５５０１７７", "4155550"} {
			if full {
				assert.Contains(t, logs, strings.TrimPrefix(number, "4155550"), "LogPhoneNumbers writes numbers in full")
			} else {
				assert.NotContains(t, logs, number)
			}
		}
		if !full {
			assert.Contains(t, logs, "+*********00", "the sender's last two digits stay for debugging")
			assert.Contains(t, logs, "whatsapp:+*********88")
			assert.Contains(t, logs, "sender-as-participant", "the problem itself is still logged")
			assert.Contains(t, logs, "80404", "error codes are not phone numbers")
		} else {
			assert.Contains(t, logs, rider)
			assert.Contains(t, logs, whatsapp)
		}
	}
}

// 6. bodySHA256 is a query parameter matched by its exact name, and a
// malformed hash says what is wrong with it.
func TestHardeningBodyHashExactName(t *testing.T) {
	v := newVerifier(t, nil, token)
	srv := httptest.NewServer(v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})))
	defer srv.Close()
	form := url.Values{"CallSid": {"CA1"}, "CallStatus": {"completed"}}
	for _, query := range []string{"?notbodySHA256=1", "?x=1&bodySHA2560=2", "?a=bodySHA256=3"} {
		u := srv.URL + "/status" + query
		req := callbacktest.NewSignedRequest(context.Background(), u, token, form)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNoContent, resp.StatusCode, "a signed form posted to %s", query)
	}

	body := []byte(`{"event":"x"}`)
	sum := sha256.Sum256(body)
	for _, tt := range []struct{ hash, says string }{
		{base64.StdEncoding.EncodeToString(sum[:]), "base64"},
		{"abc", "not 64 hex digits"},
		{hex.EncodeToString(make([]byte, 32)), "not the SHA-256 of the body"},
	} {
		u := "https://hooks.example.com/events?bodySHA256=" + url.QueryEscape(tt.hash)
		err := callback.VerifySignatureBody([]string{token}, u, body, callback.Signature(token, u, nil))
		assert.ErrorIs(t, err, callback.ErrBodyHash)
		assert.ErrorIs(t, err, callback.ErrInvalidSignature, "still a 403")
		assert.Contains(t, err.Error(), tt.says)
	}
	u := "https://hooks.example.com/events?bodySHA256=" + strings.ToUpper(hex.EncodeToString(sum[:]))
	assert.NoError(t, callback.VerifySignatureBody([]string{token}, u, body, callback.Signature(token, u, nil)), "hex in capitals is the same hash")
}

// 7. Behind a trusted proxy, the forwarded value the proxy wrote (the
// last) is used: a signature made for a host the client put first fails.
func TestHardeningForwardedHostFromTheClient(t *testing.T) {
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	e := serve(t, sayHello, &callback.Options{Verifier: newVerifier(t, &callback.VerifierOptions{TrustedProxies: loopback})})
	send := func(signedFor string, header map[string]string) int {
		form := voiceForm()
		req := callbacktest.NewSignedRequest(context.Background(), e.url(), token, form)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		req.Header.Set(callback.SignatureHeader, callback.Signature(token, signedFor, form))
		resp, err := e.srv.Client().Do(req)
		require.NoError(t, err)
		readAll(t, resp)
		e.outcome(t)
		return resp.StatusCode
	}
	xf := map[string]string{"X-Forwarded-Proto": "http, HTTPS", "X-Forwarded-Host": "evil.example, hooks.example.org"}
	assert.Equal(t, http.StatusForbidden, send("http://evil.example/out-of-session", xf))
	assert.Equal(t, http.StatusOK, send("https://hooks.example.org/out-of-session", xf))
	fw := map[string]string{"Forwarded": "proto=http;host=evil.example, proto=HTTPS;host=hooks.example.org"}
	assert.Equal(t, http.StatusForbidden, send("https://hooks.example.org/out-of-session", fw), "an X-Forwarded proxy's Forwarded is the client's")

	e = serve(t, sayHello, &callback.Options{Verifier: newVerifier(t, &callback.VerifierOptions{TrustedProxies: loopback, ProxyHeaders: callback.ForwardedHeader})})
	assert.Equal(t, http.StatusForbidden, send("http://evil.example/out-of-session", fw))
	assert.Equal(t, http.StatusOK, send("https://hooks.example.org/out-of-session", fw))
}

// Hardening round 2, break 1: behind a trusted proxy that writes
// X-Forwarded-Host and passes the client's Forwarded through (nginx's
// default), a signature made for another host of the same account, sent
// with Forwarded: host=that-host, is refused.
func TestHardeningClientForwardedCannotBeatProxyHeaders(t *testing.T) {
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	e := serve(t, sayHello, &callback.Options{Verifier: newVerifier(t, &callback.VerifierOptions{TrustedProxies: loopback})})
	form := voiceForm()
	req := callbacktest.NewSignedRequest(context.Background(), e.url(), token, form)
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set("X-Forwarded-Host", "hooks.example.org")
	req.Header.Set("Forwarded", "host=other-app.example.com;proto=https")
	req.Header.Set(callback.SignatureHeader, callback.Signature(token, "https://other-app.example.com/out-of-session", form))
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	readAll(t, resp)
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a captured signature for another host is replayed")
	out := e.outcome(t)
	assert.Contains(t, out.Err.Error(), "https://hooks.example.org/out-of-session", "the reason names the URL checked")
}

// 8. Each answer has header values of its own: a middleware that edits
// them in place changes its own answer, not the next one.
func TestHardeningHeadersNotShared(t *testing.T) {
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

// 9. A TTL computed with time.Until is answered, in whole seconds rounded up.
func TestHardeningFractionalTTL(t *testing.T) {
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

// 10. Rejections cannot flood the log: at most one WARN record per
// interval, the rest at DEBUG and counted in the next WARN, while
// OnOutcome sees each one.
func TestHardeningRejectionsDoNotFloodTheLog(t *testing.T) {
	serveRejecting := func(interval time.Duration) (*httptest.Server, *callbacktest.Logs, chan callback.Outcome) {
		var logs callbacktest.Logs
		outcomes := make(chan callback.Outcome, 200)
		h, err := callback.NewHandler(sayHello, &callback.Options{
			Verifier:             newVerifier(t, nil, token),
			Logger:               logs.Logger(slog.LevelInfo),
			OnOutcome:            func(_ context.Context, o callback.Outcome) { outcomes <- o },
			RejectionLogInterval: interval,
		})
		require.NoError(t, err)
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv, &logs, outcomes
	}
	attack := func(srv *httptest.Server, n int) {
		for i := 0; i < n; i++ {
			req := callbacktest.NewSignedRequest(context.Background(), srv.URL, token, voiceForm())
			req.Header.Set(callback.SignatureHeader, "forged")
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			readAll(t, resp)
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
		}
	}
	records := func(logs *callbacktest.Logs) []map[string]any {
		var out []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
			if line == "" {
				continue
			}
			var rec map[string]any
			require.NoError(t, json.Unmarshal([]byte(line), &rec))
			out = append(out, rec)
		}
		return out
	}

	srv, logs, outcomes := serveRejecting(time.Hour)
	attack(srv, 50)
	recs := records(logs)
	require.Len(t, recs, 1, "one WARN record for 50 rejections within the interval")
	assert.Equal(t, "WARN", recs[0]["level"])
	for i := 0; i < 50; i++ {
		select {
		case o := <-outcomes:
			assert.Equal(t, callback.Rejected, o.Kind)
		case <-time.After(5 * time.Second):
			t.Fatalf("OnOutcome saw %d of 50 rejections", i)
		}
	}
	assert.NotContains(t, logs.String(), token)

	// Every rejection is a WARN record or counted in a later one.
	srv, logs, _ = serveRejecting(20 * time.Millisecond)
	attack(srv, 30)
	time.Sleep(30 * time.Millisecond) // past the interval: the next rejection is a WARN
	attack(srv, 1)
	recs = records(logs)
	total := 0
	for _, rec := range recs {
		assert.Equal(t, "WARN", rec["level"])
		total++
		if n, ok := rec["rejections_logged_at_debug"].(float64); ok {
			total += int(n)
		}
	}
	assert.Equal(t, 31, total)
}
