package webhook_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/oosc-dev/oosc/webhook"
)

const benchURL = "https://hooks.example.com/out-of-session"

// benchForm is a form of n fields shaped like Proxy's voice callback:
// phone numbers, SIDs and dates, most of them escaped.
func benchForm(n int) url.Values {
	form := url.Values{}
	for i := range n {
		switch i % 3 {
		case 0:
			form.Set(fmt.Sprintf("participant%dIdentifier", i), fmt.Sprintf("+1415555%04d", i))
		case 1:
			form.Set(fmt.Sprintf("session%dSid", i), fmt.Sprintf("KC0123456789abcdef0123456789ab%04d", i))
		default:
			form.Set(fmt.Sprintf("session%dDateUpdated", i), "2026-11-27T07:00:00Z")
		}
	}
	return form
}

// BenchmarkVerify: the plain function, keying an HMAC per check.
func BenchmarkVerify(b *testing.B) {
	form := benchForm(55)
	sig := webhook.Sign(token, benchURL, form)
	tokens := []string{token}
	b.ReportAllocs()
	for b.Loop() {
		if err := webhook.Verify(tokens, benchURL, form, sig); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyForm: a Verifier over the same url.Values, its keyed
// HMACs reused.
func BenchmarkVerifyForm(b *testing.B) {
	form := benchForm(55)
	v := newVerifier(b, &webhook.Options{PublicURL: "https://hooks.example.com"})
	r := httptest.NewRequest(http.MethodPost, benchURL, nil)
	r.Header.Set(webhook.Header, webhook.Sign(token, benchURL, form))
	b.ReportAllocs()
	for b.Loop() {
		if err := v.VerifyForm(r, form); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyRequest: a Verifier over the body, parsing included.
func BenchmarkVerifyRequest(b *testing.B) {
	form := benchForm(55)
	body := []byte(form.Encode())
	v := newVerifier(b, &webhook.Options{PublicURL: "https://hooks.example.com"})
	r := httptest.NewRequest(http.MethodPost, benchURL, nil)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set(webhook.Header, webhook.Sign(token, benchURL, form))
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := v.Verify(r, body); err != nil {
			b.Fatal(err)
		}
	}
}
