package callback_test

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/callback"
)

func TestVerifierURL(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name   string
		v      callback.Verifier
		target string
		remote string
		tls    bool
		header map[string]string
		want   string
	}{
		{"from the request", callback.Verifier{}, "/oos?x=1&y=%27a%27", "192.0.2.1:1234", false, nil, "http://example.com/oos?x=1&y=%27a%27"},
		{"TLS", callback.Verifier{}, "/oos", "192.0.2.1:1234", true, nil, "https://example.com/oos"},
		{"public URL", callback.Verifier{PublicURL: "https://hooks.example.org/"}, "/oos?a=b", "192.0.2.1:1234", false, nil, "https://hooks.example.org/oos?a=b"},
		{"forwarded headers ignored by default", callback.Verifier{}, "/oos", "10.1.2.3:1234", false,
			map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}, "http://example.com/oos"},
		{"forwarded headers from an untrusted peer", callback.Verifier{TrustedProxies: proxies}, "/oos", "192.0.2.1:1234", false,
			map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}, "http://example.com/oos"},
		{"X-Forwarded from a trusted proxy", callback.Verifier{TrustedProxies: proxies}, "/oos", "10.1.2.3:1234", false,
			map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "hooks.example.org"}, "https://hooks.example.org/oos"},
		{"X-Forwarded: the value the proxy appended wins over the client's", callback.Verifier{TrustedProxies: proxies}, "/oos", "10.1.2.3:1234", false,
			map[string]string{"X-Forwarded-Proto": "http, https", "X-Forwarded-Host": "evil.example, hooks.example.org"}, "https://hooks.example.org/oos"},
		{"X-Forwarded-Proto in capitals", callback.Verifier{TrustedProxies: proxies}, "/oos", "10.1.2.3:1234", false,
			map[string]string{"X-Forwarded-Proto": "HTTPS"}, "https://example.com/oos"},
		{"X-Forwarded-Proto that is not http(s) is ignored", callback.Verifier{TrustedProxies: proxies}, "/oos", "10.1.2.3:1234", false,
			map[string]string{"X-Forwarded-Proto": "javascript"}, "http://example.com/oos"},
		{"Forwarded from a trusted proxy", callback.Verifier{TrustedProxies: proxies}, "/oos", "10.1.2.3:1234", false,
			map[string]string{"Forwarded": `for=192.0.2.60;proto=https;host="hooks.example.org"`}, "https://hooks.example.org/oos"},
		{"Forwarded: the last element wins, in any case", callback.Verifier{TrustedProxies: proxies}, "/oos", "10.1.2.3:1234", false,
			map[string]string{"Forwarded": `host=evil.example;proto=http, for=192.0.2.60;Proto=HTTPS;Host="hooks.example.org"`}, "https://hooks.example.org/oos"},
		{"Forwarded wins over X-Forwarded", callback.Verifier{TrustedProxies: proxies}, "/oos", "10.1.2.3:1234", false,
			map[string]string{"Forwarded": `proto=https;host=hooks.example.org`, "X-Forwarded-Host": "other.example"}, "https://hooks.example.org/oos"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "http://example.com"+tt.target, nil)
			r.RemoteAddr = tt.remote
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			for k, v := range tt.header {
				r.Header.Set(k, v)
			}
			assert.Equal(t, tt.want, tt.v.URL(r))
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
	v := &callback.Verifier{AuthTokens: []string{token}}
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
