package webhook_test

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
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/webhook"
)

func TestVerifierURL(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	trusted := &webhook.Options{TrustedProxies: proxies}
	rfc7239 := &webhook.Options{TrustedProxies: proxies, ProxyHeaders: webhook.ForwardedHeader}
	tests := []struct {
		name   string
		o      *webhook.Options
		target string
		remote string
		tls    bool
		header map[string]string
		want   string
	}{
		{"from the request", nil, "/oos?x=1&y=%27a%27", "192.0.2.1:1234", false, nil, "http://example.com/oos?x=1&y=%27a%27"},
		{"TLS", nil, "/oos", "192.0.2.1:1234", true, nil, "https://example.com/oos"},
		{"public URL", &webhook.Options{PublicURL: "https://hooks.example.org/"}, "/oos?a=b", "192.0.2.1:1234", false, nil, "https://hooks.example.org/oos?a=b"},
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
		// Behind a proxy that writes X-Forwarded-Host and passes Forwarded
		// through (nginx's default), a client's Forwarded header cannot
		// choose the URL.
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
			req.Header.Set(webhook.Header, sig)
		}
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	assert.Equal(t, http.StatusNoContent, send(webhook.Sign(token, u, form)).StatusCode)
	assert.Equal(t, form.Encode(), seenBody)
	assert.Equal(t, []string{"5678", "1234", "1234"}, seenForm["Digits"])
	assert.Equal(t, http.StatusBadRequest, send("").StatusCode)
	assert.Equal(t, http.StatusForbidden, send(webhook.Sign("wrong", u, form)).StatusCode)

	// The caller's request keeps its body reader: the copy gets the bytes.
	r := httptest.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set(webhook.Header, webhook.Sign(token, "http://example.com/status?leg=a", form))
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
		jr.Header.Set(webhook.Header, webhook.Sign(token, ju, nil))
		rec = httptest.NewRecorder()
		v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })).ServeHTTP(rec, jr)
		assert.Equal(t, tt.want, rec.Code, tt.body)
	}
}

// No printed or logged form of a Verifier shows an auth token: fmt's
// verbs, and slog's text and JSON, of the Verifier, of a copy of it, and of
// a struct holding one, before and after its keyed HMACs are used.
func TestNoTokenInAnyPrintedForm(t *testing.T) {
	secret, other := "tok-secret-5c1d9e7a", "tok-previous-0b4f2d88"
	v := newVerifier(t, &webhook.Options{PublicURL: "https://hooks.example.com"}, secret, other)
	holder := struct{ Verifier *webhook.Verifier }{v}
	for _, used := range []bool{false, true} {
		if used {
			r := signedRequest(t, "https://hooks.example.com/status", "", other, url.Values{"a": {"1"}})
			require.NoError(t, v.VerifyForm(r, url.Values{"a": {"1"}}))
		}
		var printed []string
		// A copy of the value too, which vet warns against but a %v of a
		// struct holding one makes.
		vCopy := reflect.ValueOf(v).Elem().Interface()
		for _, x := range []any{v, vCopy, holder, &holder} {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
				printed = append(printed, fmt.Sprintf(verb, x))
			}
			var text, js strings.Builder
			slog.New(slog.NewTextHandler(&text, nil)).Info("x", "value", x)
			slog.New(slog.NewJSONHandler(&js, nil)).Info("x", "value", x)
			printed = append(printed, text.String(), js.String())
		}
		for _, p := range printed {
			for _, tok := range []string{secret, other} {
				assert.NotContains(t, p, tok)
				assert.NotContains(t, p, hex.EncodeToString([]byte(tok)))
			}
			assert.NotContains(t, p, "5c1d9e7a")
		}
	}
	assert.Contains(t, fmt.Sprint(v), "tokens: 2 (redacted)")
}

// A body that is neither a form nor hashed in the URL (text/plain, signed
// as if it were a form) is refused with 415 before next runs: Twilio
// signs no such request, and next would find no fields in it.
func TestVerifierMiddlewareRefusesTextPlain(t *testing.T) {
	var reasons []error
	v := newVerifier(t, &webhook.Options{OnReject: func(_ *http.Request, err error) { reasons = append(reasons, err) }}, token)
	called := false
	h := v.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { called = true }))
	form := url.Values{"CallSid": {"CA1"}, "From": {"+14155550100"}}
	for _, ct := range []string{"text/plain", "text/plain; charset=utf-8", "", "multipart/form-data; boundary=x"} {
		r := httptest.NewRequest(http.MethodPost, "http://example.com/status", strings.NewReader(form.Encode()))
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		r.Header.Set(webhook.Header, webhook.Sign(token, "http://example.com/status", form))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		assert.Equal(t, http.StatusUnsupportedMediaType, rec.Code, ct)
		assert.False(t, called, ct)
	}
	require.Len(t, reasons, 4)
	assert.ErrorIs(t, reasons[0], webhook.ErrUnsupportedMediaType)
}

func TestNewVerifierConfiguration(t *testing.T) {
	_, err := webhook.NewVerifier([]string{""}, nil)
	assert.ErrorIs(t, err, webhook.ErrNoAuthToken, "an empty token")
	_, err = webhook.NewVerifier([]string{token, ""}, nil)
	assert.ErrorIs(t, err, webhook.ErrNoAuthToken, "an empty second token")
	_, err = webhook.NewVerifier(nil, nil)
	assert.ErrorIs(t, err, webhook.ErrNoAuthToken, "no token")
	for _, u := range []string{"hooks.example.com", "ftp://hooks.example.com", "https://hooks.example.com/?a=1", "https://user@hooks.example.com", "https://hooks.example.com/#x"} {
		_, err = webhook.NewVerifier([]string{token}, &webhook.Options{PublicURL: u})
		assert.Error(t, err, u)
	}
	_, err = webhook.NewVerifier([]string{token}, &webhook.Options{ProxyHeaders: 7})
	assert.Error(t, err, "an unknown header family")
	_, err = webhook.NewVerifier([]string{token}, &webhook.Options{MaxBodyBytes: -1})
	assert.Error(t, err, "a negative body limit")
	_, err = webhook.NewVerifier([]string{token}, &webhook.Options{RejectionLogInterval: -time.Second})
	assert.Error(t, err, "a negative log interval")

	// The Verifier keeps copies of the slices it is given.
	tokens := []string{token}
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	v := newVerifier(t, &webhook.Options{TrustedProxies: proxies}, tokens...)
	tokens[0], proxies[0] = "changed", netip.MustParsePrefix("192.0.2.0/24")
	r := signedRequest(t, "http://example.com/status", "https://hooks.example.org/status", token, url.Values{"a": {"1"}})
	r.RemoteAddr, r.RequestURI = "10.1.2.3:1234", "/status"
	r.Header.Set("X-Forwarded-Proto", "https")
	r.Header.Set("X-Forwarded-Host", "hooks.example.org")
	assert.NoError(t, v.VerifyForm(r, url.Values{"a": {"1"}}))
}

// The zero Verifier has no token: it refuses every request with 500, and
// reads bodies up to the default limit.
func TestZeroVerifier(t *testing.T) {
	var v webhook.Verifier
	r := signedRequest(t, "http://example.com/status", "", token, url.Values{"a": {"1"}})
	assert.ErrorIs(t, v.VerifyForm(r, url.Values{"a": {"1"}}), webhook.ErrNoAuthToken)
	assert.ErrorIs(t, v.Verify(r, []byte("a=1")), webhook.ErrNoAuthToken)
	rec := httptest.NewRecorder()
	v.Middleware(noContent).ServeHTTP(rec, signedRequest(t, "http://example.com/status", "", token, url.Values{"a": {"1"}}))
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	big := httptest.NewRequest(http.MethodPost, "/status", strings.NewReader(strings.Repeat("x", webhook.DefaultMaxBodyBytes+1)))
	_, err := v.ReadBody(nil, big)
	assert.ErrorIs(t, err, webhook.ErrBodyTooLarge)
	assert.Equal(t, "webhook.Verifier{tokens: 0 (redacted), PublicURL: \"\", TrustedProxies: [], ProxyHeaders: X-Forwarded, MaxBodyBytes: 65536}", v.String())
}

func TestReadBody(t *testing.T) {
	v := newVerifier(t, &webhook.Options{MaxBodyBytes: 8})
	tests := []struct {
		name    string
		body    string
		declare int64 // the Content-Length; -1: unknown
		want    error
	}{
		{"within the limit", "a=1&b=22", 8, nil},
		{"within the limit, length unknown", "a=1&b=22", -1, nil},
		{"declared over the limit", "a=1", 9, webhook.ErrBodyTooLarge},
		{"over the limit, length unknown", "a=1&b=222", -1, webhook.ErrBodyTooLarge},
		{"longer than declared", "a=1&b=2", 3, webhook.ErrMalformedForm},
		{"shorter than declared", "a=1", 5, webhook.ErrMalformedForm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/status", io.NopCloser(strings.NewReader(tt.body)))
			r.ContentLength = tt.declare
			body, err := v.ReadBody(httptest.NewRecorder(), r)
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.body, string(body))
		})
	}
}

// Behind a trusted proxy, the forwarded value the proxy wrote (the last)
// is used: a signature made for a host the client put first fails. Over
// loopback HTTP, through the middleware.
func TestMiddlewareForwardedHeaders(t *testing.T) {
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	serveWith := func(headers webhook.ProxyHeaders) func(string, map[string]string) int {
		srv := httptest.NewServer(newVerifier(t, &webhook.Options{TrustedProxies: loopback, ProxyHeaders: headers}).Middleware(noContent))
		t.Cleanup(srv.Close)
		return func(signedFor string, header map[string]string) int {
			req := signedRequest(t, srv.URL+"/status", signedFor, token, url.Values{"CallSid": {"CA1"}})
			for k, v := range header {
				req.Header.Set(k, v)
			}
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			return resp.StatusCode
		}
	}
	send := serveWith(webhook.XForwardedHeaders)
	xf := map[string]string{"X-Forwarded-Proto": "http, HTTPS", "X-Forwarded-Host": "evil.example, hooks.example.org"}
	assert.Equal(t, http.StatusForbidden, send("http://evil.example/status", xf))
	assert.Equal(t, http.StatusNoContent, send("https://hooks.example.org/status", xf))
	fw := map[string]string{"Forwarded": "proto=http;host=evil.example, proto=HTTPS;host=hooks.example.org"}
	assert.Equal(t, http.StatusForbidden, send("https://hooks.example.org/status", fw), "an X-Forwarded proxy's Forwarded is the client's")

	send = serveWith(webhook.ForwardedHeader)
	assert.Equal(t, http.StatusForbidden, send("http://evil.example/status", fw))
	assert.Equal(t, http.StatusNoContent, send("https://hooks.example.org/status", fw))
}

// Behind a trusted proxy that writes X-Forwarded-Host and passes the
// client's Forwarded through (nginx's default), a signature made for
// another host of the same account, sent with Forwarded: host=that-host,
// is refused, and the reason names the URL checked.
func TestClientForwardedCannotBeatProxyHeaders(t *testing.T) {
	loopback := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	reasons := make(chan error, 1)
	v := newVerifier(t, &webhook.Options{TrustedProxies: loopback, OnReject: func(_ *http.Request, err error) { reasons <- err }})
	srv := httptest.NewServer(v.Middleware(noContent))
	defer srv.Close()
	req := signedRequest(t, srv.URL+"/status", "https://other-app.example.com/status", token, url.Values{"CallSid": {"CA1"}})
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set("X-Forwarded-Host", "hooks.example.org")
	req.Header.Set("Forwarded", "host=other-app.example.com;proto=https")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusForbidden, resp.StatusCode, "a captured signature for another host is replayed")
	select {
	case err := <-reasons:
		assert.ErrorIs(t, err, webhook.ErrInvalidSignature)
		assert.Contains(t, err.Error(), "https://hooks.example.org/status", "the reason names the URL checked")
	case <-time.After(5 * time.Second):
		t.Fatal("OnReject was not called")
	}
}

// bodySHA256 is a query parameter matched by its exact name: a signed form
// posted to a URL with a parameter of a similar name is verified as a form.
func TestMiddlewareBodyHashExactName(t *testing.T) {
	srv := httptest.NewServer(newVerifier(t, nil).Middleware(noContent))
	defer srv.Close()
	form := url.Values{"CallSid": {"CA1"}, "CallStatus": {"completed"}}
	for _, query := range []string{"?notbodySHA256=1", "?x=1&bodySHA2560=2", "?a=bodySHA256=3"} {
		resp, err := srv.Client().Do(signedRequest(t, srv.URL+"/status"+query, "", token, form))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusNoContent, resp.StatusCode, "a signed form posted to %s", query)
	}
}
