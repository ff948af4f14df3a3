// Package twiliogo shows Twilio's own Go helper library,
// github.com/twilio/twilio-go, driving the Proxy emulator (oosc emulate,
// or emulator.NewServer in a test) unchanged: only its HTTP client is
// told where Proxy is. Its test runs an application's whole flow against
// the emulator.
package twiliogo

import (
	"net/http"
	"net/url"

	"github.com/twilio/twilio-go/client"
	proxy "github.com/twilio/twilio-go/rest/proxy/v1"
)

// NewProxyClient returns twilio-go's Proxy v1 client for the account,
// whose requests to https://proxy.twilio.com go to base instead, such as
// http://127.0.0.1:4010 (oosc emulate's default). Everything else about
// the client is twilio-go's own.
func NewProxyClient(base *url.URL, accountSid, authToken string) *proxy.ApiService {
	c := &client.Client{
		Credentials: client.NewCredentials(accountSid, authToken),
		HTTPClient:  &http.Client{Transport: redirectTo{base: base, next: http.DefaultTransport}},
	}
	c.SetAccountSid(accountSid)
	return proxy.NewApiServiceWithClient(c)
}

// redirectTo sends every request to base, keeping its path and query.
type redirectTo struct {
	base *url.URL
	next http.RoundTripper
}

func (t redirectTo) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = t.base.Scheme, t.base.Host
	r.Host = t.base.Host
	return t.next.RoundTrip(r)
}
