package callback_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/webhook"
)

const (
	token    = "test-auth-token-primary-7f3a9c1e"
	oldToken = "test-auth-token-previous-2b8d4e6f"
	rider    = "+14155550100"
	driver   = "+14155550123"
	proxyNum = "+14155550199"
)

// voiceForm is a realistic out-of-session voice payload after a closed
// Session: Proxy's documented example, 55 fields.
func voiceForm() url.Values {
	f := url.Values{}
	set := func(k, v string) { f.Set(k, v) }
	set("AccountSid", "AC0123456789abcdef0123456789abcdef")
	set("ApiVersion", "2010-04-01")
	set("CallSid", "CA0123456789abcdef0123456789abcdef")
	set("CallStatus", "ringing")
	set("Direction", "inbound")
	set("From", rider)
	set("Caller", rider)
	set("To", proxyNum)
	set("Called", proxyNum)
	for _, p := range []string{"From", "To", "Caller", "Called"} {
		set(p+"City", "SAN FRANCISCO")
		set(p+"State", "CA")
		set(p+"Zip", "94105")
		set(p+"Country", "US")
	}
	set("AddOns", `{"status":"successful","message":null,"code":null,"results":{}}`)
	set("sessionSid", "KC0123456789abcdef0123456789abcdef")
	set("sessionUniqueName", "ride-8812")
	set("sessionAccountSid", "AC0123456789abcdef0123456789abcdef")
	set("sessionServiceSid", "KS0123456789abcdef0123456789abcdef")
	set("sessionStatus", "closed")
	set("sessionClosedReason", "api")
	set("sessionMode", "voice-and-message")
	set("sessionDateCreated", "2026-11-27T06:22:06Z")
	set("sessionDateUpdated", "2026-11-27T07:00:00Z")
	set("sessionDateEnded", "2026-11-27T07:00:00Z")
	for _, side := range []struct{ prefix, id, proxy, name string }{
		{"inboundParticipant", rider, proxyNum, "rider-17"},
		{"outboundParticipant", driver, "+14155550198", "driver-42"},
	} {
		set(side.prefix+"Sid", "KP0123456789abcdef0123456789abcde"+side.name[len(side.name)-1:])
		set(side.prefix+"Identifier", side.id)
		set(side.prefix+"ProxyIdentifier", side.proxy)
		set(side.prefix+"ProxyIdentifierSid", "PN0123456789abcdef0123456789abcdef")
		set(side.prefix+"FriendlyName", side.name)
		set(side.prefix+"AccountSid", "AC0123456789abcdef0123456789abcdef")
		set(side.prefix+"ServiceSid", "KS0123456789abcdef0123456789abcdef")
		set(side.prefix+"SessionSid", "KC0123456789abcdef0123456789abcdef")
		set(side.prefix+"DateCreated", "2026-11-27T06:22:06Z")
		set(side.prefix+"DateUpdated", "2026-11-27T06:22:06Z")
	}
	f.Del("CalledZip") // 55 fields, as in Proxy's documented example
	return f
}

// smsForm is an out-of-session message from someone with no previous Session.
func smsForm() url.Values {
	return url.Values{
		"AccountSid": {"AC0123456789abcdef0123456789abcdef"}, "ApiVersion": {"2010-04-01"},
		"MessageSid": {"SM0123456789abcdef0123456789abcdef"}, "SmsSid": {"SM0123456789abcdef0123456789abcdef"},
		"SmsMessageSid": {"SM0123456789abcdef0123456789abcdef"}, "SmsStatus": {"received"},
		"From": {rider}, "To": {proxyNum}, "Body": {"Hi, I left my bag in the car"},
		"NumMedia": {"0"}, "NumSegments": {"1"}, "FromCountry": {"US"}, "ToCountry": {"US"},
	}
}

// env is a handler served over real HTTP, with its logs and outcomes.
type env struct {
	srv      *httptest.Server
	logs     *callbacktest.Logs
	outcomes chan callback.Outcome
}

func serve(t testing.TB, decide callback.DecideFunc, opts *callback.Options) *env {
	t.Helper()
	return serveBehind(t, decide, opts, nil)
}

// serveBehind is serve with the handler behind a middleware that changes
// each request's context, as tracing or timeout middlewares do; nil for none.
func serveBehind(t testing.TB, decide callback.DecideFunc, opts *callback.Options, wrap func(context.Context) (context.Context, context.CancelFunc)) *env {
	t.Helper()
	e := &env{logs: &callbacktest.Logs{}, outcomes: make(chan callback.Outcome, 1024)}
	var o callback.Options
	if opts != nil {
		o = *opts
	}
	if o.Verifier == nil && !o.InsecureSkipVerify {
		o.Verifier = newVerifier(t, nil)
	}
	o.Logger = e.logs.Logger(slog.LevelDebug)
	o.OnOutcome = func(_ context.Context, out callback.Outcome) { e.outcomes <- out }
	h, err := callback.NewHandler(decide, &o)
	require.NoError(t, err)
	var served http.Handler = h
	if wrap != nil {
		served = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := wrap(r.Context())
			defer cancel()
			h.ServeHTTP(w, r.WithContext(ctx))
		})
	}
	mux := http.NewServeMux()
	mux.Handle("/out-of-session", served)
	e.srv = httptest.NewServer(mux)
	t.Cleanup(e.srv.Close)
	return e
}

// serveHTTP2 is serve over TLS with HTTP/2, and outer wrapping the
// handler (nil for none).
func serveHTTP2(t testing.TB, decide callback.DecideFunc, opts *callback.Options, outer func(http.Handler) http.Handler) *env {
	t.Helper()
	e := serve(t, decide, opts)
	h := e.srv.Config.Handler
	e.srv.Close()
	if outer != nil {
		h = outer(h)
	}
	e.srv = httptest.NewUnstartedServer(h)
	e.srv.EnableHTTP2 = true
	e.srv.StartTLS()
	t.Cleanup(e.srv.Close)
	return e
}

// newVerifier makes a Verifier of tokens (token when none) and opts.
func newVerifier(t testing.TB, opts *webhook.Options, tokens ...string) *webhook.Verifier {
	t.Helper()
	if len(tokens) == 0 {
		tokens = []string{token}
	}
	v, err := webhook.NewVerifier(tokens, opts)
	require.NoError(t, err)
	return v
}

func (e *env) url() string { return e.srv.URL + "/out-of-session" }

// post sends form signed with tok (no signature when tok is "").
func (e *env) post(t testing.TB, form url.Values, tok string) *http.Response {
	t.Helper()
	req := callbacktest.NewSignedRequest(context.Background(), e.url(), tok, form)
	if tok == "" {
		req.Header.Del(webhook.Header)
	}
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	return resp
}

func (e *env) outcome(t testing.TB) callback.Outcome {
	t.Helper()
	select {
	case o := <-e.outcomes:
		return o
	case <-time.After(5 * time.Second):
		t.Fatal("no outcome reported")
		return callback.Outcome{}
	}
}
