package emulator_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/emulator"
)

// raw sends a request to the server with the headers given ("Host" sets
// the Host), Basic auth when auth, and returns the status and the body.
func raw(t *testing.T, srv *httptest.Server, method, path, body string, auth bool, headers ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "Host" {
			req.Host = headers[i+1]
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	if auth {
		req.SetBasicAuth(emulator.DefaultAccountSid, callbacktest.DefaultAuthToken)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// gated is a served emulator with a Service whose out-of-session
// callback counts its calls, so that a test sees whether a refused
// contact reached the application.
func gated(t *testing.T, opts *emulator.ServerOptions) (*emulator.Proxy, *httptest.Server, *atomic.Int32) {
	t.Helper()
	p := emulator.New(&emulator.Options{Start: t0})
	srv := httptest.NewServer(emulator.NewServer(p, opts))
	t.Cleanup(func() { srv.Close(); p.Close() })
	calls := new(atomic.Int32)
	app := p.Serve(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/xml")
		w.Write([]byte("<Response/>"))
	}))
	_, err := p.CreateService(emulator.ServiceConfig{UniqueName: svc, OutOfSessionCallbackURL: app})
	require.NoError(t, err)
	_, err = p.AddNumber(svc, emulator.NewPhoneNumber{Number: pn1})
	require.NoError(t, err)
	return p, srv, calls
}

const contactJSON = `{"channel":"sms","from":"` + rider + `","to":"` + pn1 + `","body":"hi"}`

// A web page the developer visits cannot drive the emulator: the control
// API takes JSON only (a form or text/plain, which a page may send
// without asking, is 415), refuses another origin (403), and a Host that
// is not the emulator's (421, DNS rebinding) on every route. Each refusal
// changes nothing and calls no webhook.
func TestGatesRefuseWebPages(t *testing.T) {
	p, srv, calls := gated(t, nil)
	before := state(t, p)
	tests := []struct {
		name         string
		method, path string
		body         string
		auth         bool
		headers      []string
		status       int
	}{
		{"reset as text/plain", "POST", "/emulator/reset", "", false, []string{"Content-Type", "text/plain"}, 415},
		{"reset without a Content-Type", "POST", "/emulator/reset", "", false, nil, 415},
		{"reset as a form", "POST", "/emulator/reset", "a=b", false, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415},
		{"a contact as text/plain", "POST", "/emulator/inbound", contactJSON, false, []string{"Content-Type", "text/plain;charset=UTF-8"}, 415},
		{"a contact as JSON in Latin-1", "POST", "/emulator/inbound", contactJSON, false, []string{"Content-Type", "application/json; charset=iso-8859-1"}, 415},
		{"the clock as text/plain", "POST", "/emulator/clock", `{"advance":"1h"}`, false, []string{"Content-Type", "text/plain"}, 415},
		{"another origin's contact", "POST", "/emulator/inbound", contactJSON, false, []string{"Content-Type", "application/json", "Origin", "http://evil.example"}, 403},
		{"another origin's reset", "POST", "/emulator/reset", "", false, []string{"Content-Type", "application/json", "Origin", "http://localhost:3000"}, 403},
		{"an opaque origin", "POST", "/emulator/reset", "", false, []string{"Content-Type", "application/json", "Origin", "null"}, 403},
		{"another origin reading events", "GET", "/emulator/events", "", false, []string{"Origin", "http://evil.example"}, 403},
		{"another origin reading the page", "GET", "/", "", false, []string{"Origin", "https://evil.example"}, 403},
		{"another origin, authenticated", "GET", "/v1/Services", "", true, []string{"Origin", "http://evil.example"}, 403},
		{"a cross-site POST without Origin", "POST", "/emulator/reset", "", false, []string{"Content-Type", "application/json", "Sec-Fetch-Site", "cross-site"}, 403},
		{"a rebound name, the page", "GET", "/", "", false, []string{"Host", "evil.example:4010"}, 421},
		{"a rebound name, events", "GET", "/emulator/events", "", false, []string{"Host", "evil.example"}, 421},
		{"a rebound name, deliveries", "GET", "/emulator/deliveries", "", false, []string{"Host", "rebind.evil.example"}, 421},
		{"a rebound name, a contact", "POST", "/emulator/inbound", contactJSON, false, []string{"Content-Type", "application/json", "Host", "evil.example"}, 421},
		{"a rebound name, the REST API", "GET", "/v1/Services", "", true, []string{"Host", "evil.example"}, 421},
		{"a rebound name, an unknown path", "GET", "/nothing", "", false, []string{"Host", "evil.example"}, 421},
		{"a name ending in localhost", "GET", "/", "", false, []string{"Host", "localhost.evil.example"}, 421},
		{"another address", "GET", "/", "", false, []string{"Host", "192.0.2.1"}, 421},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := raw(t, srv, tt.method, tt.path, tt.body, tt.auth, tt.headers...)
			assert.Equal(t, tt.status, status, body)
			assert.Contains(t, body, `"code":`, "Twilio's error shape")
			assert.Equal(t, before, state(t, p), "a refused request changed the state")
			assert.Zero(t, calls.Load(), "a refused contact reached the application")
		})
	}
}

// What the gates let through: the emulator's own names and origin, JSON
// with or without a charset.
func TestGatesLetTheEmulatorsOwnThrough(t *testing.T) {
	p, srv, calls := gated(t, nil)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	for _, host := range []string{"localhost", "LOCALHOST:" + strconv.Itoa(port), "127.0.0.1", "127.0.0.1:1", "[::1]", "[::1]:" + strconv.Itoa(port), "::1"} {
		status, body := raw(t, srv, "GET", "/", "", false, "Host", host)
		assert.Equal(t, 200, status, "%s: %s", host, body)
	}
	status, body := raw(t, srv, "POST", "/emulator/inbound", contactJSON, false, "Content-Type", "application/json; charset=utf-8", "Origin", srv.URL, "Sec-Fetch-Site", "same-origin")
	assert.Equal(t, 200, status, body)
	status, body = raw(t, srv, "GET", "/emulator/events", "", false, "Origin", "http://localhost:"+strconv.Itoa(port), "Host", "localhost:"+strconv.Itoa(port))
	assert.Equal(t, 200, status, body)
	status, body = raw(t, srv, "POST", "/emulator/reset", "", false, "Content-Type", "application/json")
	assert.Equal(t, 204, status, body)
	assert.Equal(t, int32(1), calls.Load())
	assert.Empty(t, p.Services())
}

// A request that came through a proxy or a tunnel is not local, though
// it reaches the emulator from loopback: it needs Basic auth, unless the
// control API is opened to all. Opening it opens no other gate.
func TestGatesForwardedIsNotLocal(t *testing.T) {
	_, srv, _ := gated(t, nil)
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-Ip", "Via"} {
		status, _ := raw(t, srv, "GET", "/emulator/events", "", false, h, "for=203.0.113.9")
		assert.Equal(t, 401, status, h)
		status, _ = raw(t, srv, "GET", "/", "", false, h, "203.0.113.9")
		assert.Equal(t, 401, status, h)
		status, _ = raw(t, srv, "GET", "/emulator/events", "", true, h, "203.0.113.9")
		assert.Equal(t, 200, status, h)
	}

	_, open, _ := gated(t, &emulator.ServerOptions{OpenControl: true})
	status, _ := raw(t, open, "GET", "/emulator/events", "", false, "X-Forwarded-For", "203.0.113.9")
	assert.Equal(t, 200, status)
	status, _ = raw(t, open, "GET", "/emulator/events", "", false, "Host", "evil.example")
	assert.Equal(t, 421, status, "OpenControl opens no other gate")
	status, _ = raw(t, open, "POST", "/emulator/reset", "", false, "Content-Type", "text/plain")
	assert.Equal(t, 415, status, "OpenControl opens no other gate")
	status, _ = raw(t, open, "POST", "/emulator/reset", "", false, "Content-Type", "application/json", "Origin", "http://evil.example")
	assert.Equal(t, 403, status, "OpenControl opens no other gate")
}

// The Host may be the address the request reached (oosc emulate --addr
// 0.0.0.0:4010, called by the machine's address), or a name allowed.
func TestGatesHostOfTheListeningAddress(t *testing.T) {
	p := emulator.New(nil)
	s := emulator.NewServer(p, &emulator.ServerOptions{AllowedHosts: []string{"emulator", "tunnel.example:443"}})
	serve := func(host string) int {
		r := httptest.NewRequest("GET", "/emulator/events", nil)
		r.Host = host
		r.RemoteAddr = "192.0.2.99:5000"
		r.SetBasicAuth(emulator.DefaultAccountSid, callbacktest.DefaultAuthToken)
		r = r.WithContext(context.WithValue(r.Context(), http.LocalAddrContextKey, &net.TCPAddr{IP: net.ParseIP("192.0.2.10"), Port: 4010}))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w.Code
	}
	for host, want := range map[string]int{
		"192.0.2.10:4010": 200, "192.0.2.10": 200, "192.0.2.11:4010": 421,
		"emulator:4010": 200, "EMULATOR": 200, "tunnel.example:443": 200, "tunnel.example": 421, "other:4010": 421, "": 421,
	} {
		assert.Equal(t, want, serve(host), host)
	}
}
