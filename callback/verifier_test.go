package callback_test

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/callback"
)

func TestVerifierURL(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	trusted := &callback.VerifierOptions{TrustedProxies: proxies}
	rfc7239 := &callback.VerifierOptions{TrustedProxies: proxies, ProxyHeaders: callback.ForwardedHeader}
	tests := []struct {
		name   string
		o      *callback.VerifierOptions
		target string
		remote string
		tls    bool
		header map[string]string
		want   string
	}{
		{"from the request", nil, "/oos?x=1&y=%27a%27", "192.0.2.1:1234", false, nil, "http://example.com/oos?x=1&y=%27a%27"},
		{"TLS", nil, "/oos", "192.0.2.1:1234", true, nil, "https://example.com/oos"},
		{"public URL", &callback.VerifierOptions{PublicURL: "https://hooks.example.org/"}, "/oos?a=b", "192.0.2.1:1234", false, nil, "https://hooks.example.org/oos?a=b"},
		{"forwarded headers ignored by default", nil, "/oos", "10.1.2.3:1234", false,
			map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}, "http://example.com/oos"},
		{"forwarded headers from an untrusted peer", trusted, "/oos", "192.0.2.1:1234", false,
			map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}, "http://example.com/oos"},
		{"X-Forwarded from a trusted proxy", trusted, "/oos", "10.1.2.3:1234", false,
			map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hooks.example.org"}, "https://hooks.example.org/oos"},
		{"X-Forwarded: the value the proxy appended wins over the client's", trusted, "/oos", "10.1.2.3:1234", false,
			map[string]string{"X-Forwarded-Proto": "http, https", "X-Forwarded-Host": "evil.example, hooks.example.org"}, "https://hooks.example.org/oos"},
		{"X-Forwarded-Proto in capitals", trusted, "/oos", "10.1.2.3:1234", false,
			map[string]string{"X-Forwarded-Proto": "HTTPS"}, "https://example.com/oos"},
		{"X-Forwarded-Proto that is not http(s) is ignored", trusted, "/oos", "10.1.2.3:1234", false,
			map[string]string{"X-Forwarded-Proto": "javascript"}, "http://example.com/oos"},
		// Hardening round 2, break 1: behind a proxy that writes
		// X-Forwarded-Host and passes Forwarded through (nginx's default),
		// a client's Forwarded header cannot choose the URL.
		{"a client's Forwarded does not beat the proxy's X-Forwarded-Host", trusted, "/oos", "10.1.2.3:1234", false,
			map[string]string{"Forwarded": `host=other-app.example.com;proto=https`, "X-Forwarded-Host": "hooks.example.org", "X-Forwarded-Proto": "https"}, "https://hooks.example.org/oos"},
		{"a client's Forwarded alone is ignored behind an X-Forwarded proxy", trusted, "/oos", "10.1.2.3:1234", false,
			map[string]string{"Forwarded": `host=other-app.example.com;proto=https`}, "http://example.com/oos"},
		{"Forwarded from a trusted RFC 7239 proxy", rfc7239, "/oos", "10.1.2.3:1234", false,
			map[string]string{"Forwarded": `for=192.0.2.60;proto=https;host="hooks.example.org"`}, "https://hooks.example.org/oos"},
		{"Forwarded: the last element wins, in any case", rfc7239, "/oos", "10.1.2.3:1234", false,
			map[string]string{"Forwarded": `host=evil.example;proto=http, for=192.0.2.60;Proto=HTTPS;Host="hooks.example.org"`}, "https://hooks.example.org/oos"},
		{"a client's X-Forwarded-Host is ignored behind an RFC 7239 proxy", rfc7239, "/oos", "10.1.2.3:1234", false,
			map[string]string{"Forwarded": `proto=https;host=hooks.example.org`, "X-Forwarded-Host": "other.example"}, "https://hooks.example.org/oos"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerifier(t, tt.o)
			r := httptest.NewRequest(http.MethodPost, "http://example.com"+tt.target, nil)
			r.RemoteAddr = tt.remote
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			assert.Equal(t, tt.want, v.URL(r))
		})
	}
}

// The middleware verifies any Twilio webhook and hands the same body on,
// without changing the caller's request.
func TestVerifierMiddleware(t *testing.T) {
	var seenBody string
	var seenForm url.Values
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seenBody = string(b)
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		require.NoError(t, r.ParseForm())
		seenForm = r.PostForm
		w.WriteHeader(http.StatusNoContent)
	})
	v := newVerifier(t, nil, token)
	srv := httptest.NewServer(v.Middleware(next))
	defer srv.Close()
	form := url.Values{"CallSid": {"CA1"}, "Digits": {"5678", "1234", "1234"}}
	u := srv.URL + "/status?leg=a"

	send := func(sig string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if sig != "" {
			req.Header.Set(callback.SignatureHeader, sig)
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	assert.Equal(t, http.StatusNoContent, send(callback.Signature(token, u, form)).StatusCode)
	assert.Equal(t, form.Encode(), seenBody)
	assert.Equal(t, []string{"5678", "1234", "1234"}, seenForm["Digits"])
	assert.Equal(t, http.StatusBadRequest, send("").StatusCode)
	assert.Equal(t, http.StatusForbidden, send(callback.Signature("wrong", u, form)).StatusCode)

	// The caller's request keeps its body reader: the copy gets the bytes.
	r := httptest.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set(callback.SignatureHeader, callback.Signature(token, "http://example.com/status?leg=a", form))
	r.Host = "example.com"
	orig := r.Body
	rec := httptest.NewRecorder()
	v.Middleware(next).ServeHTTP(rec, r)
	assert.Equal(t, http.StatusNoContent, rec.Code)
	assert.Equal(t, orig, r.Body)
	assert.Nil(t, r.PostForm, "the caller's request was not parsed")

	// A JSON body signed with bodySHA256: the hash and the URL signature must match.
	body := `{"event":"x"}`
	sum := sha256.Sum256([]byte(body))
	ju := "http://example.com/events?bodySHA256=" + hex.EncodeToString(sum[:])
	for _, tt := range []struct {
		body string
		want int
	}{{body, http.StatusNoContent}, {`{"event":"y"}`, http.StatusForbidden}} {
		jr := httptest.NewRequest(http.MethodPost, ju, strings.NewReader(tt.body))
		jr.Header.Set("Content-Type", "application/json")
		jr.Header.Set(callback.SignatureHeader, callback.Signature(token, ju, nil))
		rec = httptest.NewRecorder()
		v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })).ServeHTTP(rec, jr)
		assert.Equal(t, tt.want, rec.Code, tt.body)
	}
}

// No printed or logged form of a Verifier, of Options holding one, or of
// a Handler shows an auth token: fmt's verbs, and slog's text and JSON.
func TestNoTokenInAnyPrintedForm(t *testing.T) {
	secret, other := "tok-secret-5c1d9e7a", "tok-previous-0b4f2d88"
	v := newVerifier(t, &callback.VerifierOptions{PublicURL: "https://hooks.example.com"}, secret, other)
	opts := callback.Options{Verifier: v}
	h, err := callback.NewHandler(sayHello, &opts)
	require.NoError(t, err)
	var printed []string
	// Copies of the values too, which vet warns against but a %v of a
	// struct holding one makes.
	vCopy, hCopy := reflect.ValueOf(v).Elem().Interface(), reflect.ValueOf(h).Elem().Interface()
	for _, x := range []any{v, opts, &opts, h, vCopy, hCopy} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			printed = append(printed, fmt.Sprintf(verb, x))
		}
		var text, js strings.Builder
		slog.New(slog.NewTextHandler(&text, nil)).Info("x", "value", x)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("x", "value", x)
		printed = append(printed, text.String(), js.String())
	}
	for _, p := range printed {
		assert.NotContains(t, p, secret)
		assert.NotContains(t, p, other)
		assert.NotContains(t, p, "5c1d9e7a")
	}
	assert.Contains(t, fmt.Sprint(v), "tokens: 2 (redacted)")
}

// Hardening round 2, break 10: a body that is neither a form nor hashed in
// the URL (text/plain, signed as if it were a form) is refused with 415
// before next runs: Twilio signs no such request, and next would find no
// fields in it.
func TestVerifierMiddlewareRefusesTextPlain(t *testing.T) {
	var reasons []error
	v := newVerifier(t, &callback.VerifierOptions{OnReject: func(_ *http.Request, err error) { reasons = append(reasons, err) }}, token)
	called := false
	h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { called = true }))
	form := url.Values{"CallSid": {"CA1"}, "From": {"+14155550100"}}
	for _, ct := range []string{"text/plain", "text/plain; charset=utf-8", "", "multipart/form-data; boundary=x"} {
		r := httptest.NewRequest(http.MethodPost, "http://example.com/status", strings.NewReader(form.Encode()))
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		r.Header.Set(callback.SignatureHeader, callback.Signature(token, "http://example.com/status", form))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		assert.Equal(t, http.StatusUnsupportedMediaType, rec.Code, ct)
		assert.False(t, called, ct)
	}
	require.Len(t, reasons, 4)
	assert.ErrorIs(t, reasons[0], callback.ErrUnsupportedMediaType)
}
