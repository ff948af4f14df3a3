package webhook_test

import (
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/oosc-dev/oosc/webhook"
)

// Protect any Twilio webhook of the app with the signature check.
func ExampleVerifier_Middleware() {
	v, err := webhook.NewVerifier([]string{"new-token", "previous-token"}, nil) // rotation: both accepted
	if err != nil {
		log.Fatal(err)
	}
	status := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		fmt.Println("status callback for", r.PostForm.Get("CallSid"), r.PostForm.Get("CallStatus"))
		w.WriteHeader(http.StatusNoContent)
	})
	srv := httptest.NewServer(v.Middleware(status))
	defer srv.Close()

	form := url.Values{"CallSid": {"CA1"}, "CallStatus": {"completed"}}
	for _, token := range []string{"previous-token", "forged"} {
		req, _ := http.NewRequest("POST", srv.URL+"/status", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(webhook.Header, webhook.Sign(token, srv.URL+"/status", form))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	// Output:
	// status callback for CA1 completed
	// 204
	// 403
}

// A handler of your own checks step by step, and answers what it refuses
// as the middleware does.
func ExampleVerifier_Reject() {
	v, err := webhook.NewVerifier([]string{"your-auth-token"}, &webhook.Options{
		OnReject: func(_ *http.Request, err error) { fmt.Println("refused:", err) },
	})
	if err != nil {
		log.Fatal(err)
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := v.ReadBody(w, r)
		if err == nil {
			err = v.Verify(r, body)
		}
		if err != nil {
			v.Reject(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	r := httptest.NewRequest("POST", "https://hooks.example.com/status", strings.NewReader("CallSid=CA1"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Body.String())
	// Output:
	// refused: webhook: missing X-Twilio-Signature
	// 400 Bad Request
}

// Sign and check a signature without a Verifier: Twilio's documented example.
func ExampleVerify() {
	params := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675310"}, "Digits": {"1234"},
		"From": {"+14158675310"}, "To": {"+18005551212"}}
	const u = "https://example.com/myapp.php?foo=1&bar=2"
	fmt.Println(webhook.Sign("12345", u, params))
	fmt.Println(webhook.Verify([]string{"12345"}, u, params, "L/OH5YylLD5NRKLltdqwSvS0BnU="))
	fmt.Println(webhook.Verify([]string{"12345"}, "https://example.com/myapp.php", params, "L/OH5YylLD5NRKLltdqwSvS0BnU="))
	// Output:
	// L/OH5YylLD5NRKLltdqwSvS0BnU=
	// <nil>
	// webhook: invalid X-Twilio-Signature: no match for https://example.com/myapp.php and https://example.com:443/myapp.php under 1 auth token; check that the URL is the one Twilio calls and that the token is the account's
}
