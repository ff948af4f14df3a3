package callback_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/twiml"
)

// Mount the handler at the Service's out_of_session_callback_url.
func ExampleNewHandler() {
	decide := func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
		if req.Channel == twiml.Voice {
			r := twiml.NewVoiceResponse()
			r.Say("This ride has ended.", nil)
			r.Hangup()
			return callback.TwiML(r), nil
		}
		r := twiml.NewMessagingResponse()
		r.Message("This ride has ended.", nil)
		return callback.TwiML(r), nil
	}
	h, err := callback.NewHandler(decide, &callback.Options{Verifier: callback.Verifier{AuthTokens: []string{"your-auth-token"}}})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /out-of-session", h)
	srv := httptest.NewServer(mux) // in production: http.Server{Handler: mux, ...}
	defer srv.Close()

	// What Twilio sends, signed with the auth token.
	form := url.Values{"CallSid": {"CA123"}, "From": {"+14155550100"}, "To": {"+14155550199"}}
	u := srv.URL + "/out-of-session"
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(callback.SignatureHeader, callback.Signature("your-auth-token", u, form))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Content-Type"))
	fmt.Println(string(body))
	// Output:
	// 200 application/xml
	// <?xml version="1.0" encoding="UTF-8"?><Response><Say>This ride has ended.</Say><Hangup/></Response>
}

// Reconnect the sender with the other party of their previous Session.
func ExampleReconnect() {
	decide := callback.Reconnect(nil)
	req := callback.ParseRequest(url.Values{
		"MessageSid": {"SM1"}, "From": {"+14155550100"}, "To": {"+14155550199"},
		"sessionSid": {"KC1"}, "sessionStatus": {"closed"},
		"outboundParticipantIdentifier":      {"+14155550123"},
		"outboundParticipantProxyIdentifier": {"+14155550198"},
	}, nil)
	a, _ := decide(context.Background(), req)
	fmt.Println(a.Kind())
	// Output: auto-create
}

// Answer every call and message with a fixed notice.
func ExampleReply() {
	decide := callback.Reply("This number is no longer in service.", "This number no longer takes messages.")
	a, _ := decide(context.Background(), callback.ParseRequest(url.Values{"CallSid": {"CA1"}}, nil))
	fmt.Println(a.Kind())
	// Output: twiml
}

// Connect the sender with whoever the application's directory names.
func ExampleDirectory() {
	assigned := map[string]string{"+14155550100": "+14155550123"} // rider -> driver
	lookup := func(_ context.Context, req *callback.Request) (callback.Contact, error) {
		driver, ok := assigned[req.From]
		if !ok {
			return callback.Contact{}, callback.ErrNoContact
		}
		return callback.Contact{Identifier: driver}, nil
	}
	decide := callback.Directory(lookup, nil)
	a, _ := decide(context.Background(), callback.ParseRequest(url.Values{"MessageSid": {"SM1"}, "From": {"+14155550100"}}, nil))
	fmt.Println(a.Kind())
	// Output: auto-create
}

// Check a signature without the handler.
func ExampleVerifySignature() {
	params := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+14158675310"}, "Digits": {"1234"},
		"From": {"+14158675310"}, "To": {"+18005551212"}}
	err := callback.VerifySignature([]string{"12345"}, "https://example.com/myapp.php?foo=1&bar=2", params, "L/OH5YylLD5NRKLltdqwSvS0BnU=")
	fmt.Println(err)
	// Output: <nil>
}
