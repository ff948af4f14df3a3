package callback_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/twiml"
	"github.com/oosc-dev/oosc/webhook"
)

// Mount the handler at the Service's out_of_session_callback_url.
func ExampleNewHandler() {
	decide := func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
		if req.Channel == oosc.Voice {
			r := twiml.NewVoiceResponse()
			r.Say("This ride has ended.", nil)
			r.Hangup()
			return callback.TwiML(r), nil
		}
		r := twiml.NewMessagingResponse()
		r.Message("This ride has ended.", nil)
		return callback.TwiML(r), nil
	}
	v, err := webhook.NewVerifier([]string{"your-auth-token"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	h, err := callback.NewHandler(decide, &callback.Options{Verifier: v})
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
	req.Header.Set(webhook.Header, webhook.Sign("your-auth-token", u, form))
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
	decide := callback.Reconnect(&callback.ReconnectOptions{TTL: 2 * time.Hour})
	req := callback.ParseRequest(url.Values{
		"MessageSid": {"SM1"}, "From": {"+14155550100"}, "To": {"+14155550199"},
		"sessionSid": {"KC1"}, "sessionStatus": {"closed"},
		"outboundParticipantIdentifier":      {"+14155550123"},
		"outboundParticipantProxyIdentifier": {"+14155550198"},
	}, nil)
	a, _ := decide(context.Background(), req)
	out, err := a.Render(req, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.ContentType)
	fmt.Println(string(out.Body))
	// Output:
	// application/json
	// {"uniqueName":"oosc-KC1-SM1","mode":"voice-and-message","ttl":7200,"participantIdentifier":"+14155550123","participantProxyIdentifier":"+14155550198"}
}

// Answer every call and message with a fixed notice.
func ExampleReply() {
	decide := callback.Reply("This number is no longer in service.", "This number no longer takes messages.")
	req := callback.ParseRequest(url.Values{"CallSid": {"CA1"}, "From": {"+14155550100"}}, nil)
	a, _ := decide(context.Background(), req)
	out, _ := a.Render(req, nil)
	fmt.Println(out.Kind, out.ContentType)
	fmt.Println(string(out.Body))
	// Output:
	// twiml application/xml
	// <?xml version="1.0" encoding="UTF-8"?><Response><Say>This number is no longer in service.</Say><Hangup/></Response>
}

// Connect the sender with whoever the application's directory names.
func ExampleDirectory() {
	assigned := map[string]string{"+14155550100": "+14155550123"} // rider -> driver
	lookup := func(_ context.Context, req *callback.Request) (callback.Counterpart, error) {
		driver, ok := assigned[req.From]
		if !ok {
			return callback.Counterpart{}, callback.ErrNoCounterpart
		}
		return callback.Counterpart{Identifier: driver, UniqueName: "assigned-ride-100"}, nil
	}
	decide := callback.Directory(lookup, nil)
	for _, from := range []string{"+14155550100", "+14155550111"} {
		req := callback.ParseRequest(url.Values{"MessageSid": {"SM1"}, "From": {from}}, nil)
		a, _ := decide(context.Background(), req)
		out, _ := a.Render(req, nil)
		fmt.Println(string(out.Body))
	}
	// Output:
	// {"uniqueName":"assigned-ride-100","mode":"voice-and-message","ttl":3600,"participantIdentifier":"+14155550123"}
	// <?xml version="1.0" encoding="UTF-8"?><Response><Message>This conversation has ended. Please use the app to get in touch again.</Message></Response>
}

// Render shows what the handler would send for a decision's answer, and
// why it would fall back instead: for unit tests of a decision function.
func ExampleAnswer_Render() {
	req := callback.ParseRequest(url.Values{"MessageSid": {"SM1"}, "From": {"+14155550100"}}, nil)
	wrong := twiml.NewVoiceResponse() // voice TwiML for a message
	wrong.Say("Hello", nil)
	_, err := callback.TwiML(wrong).Render(req, nil)
	fmt.Println(errors.Is(err, oosc.ErrInvalid))
	var ve *oosc.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Subject+":", ve.Problems[0].Rule, int(ve.Problems[0].Code))
	}
	// Output:
	// true
	// TwiML answer to a message: wrong-channel 14110
}
