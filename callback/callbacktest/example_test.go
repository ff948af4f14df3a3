package callbacktest_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"time"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
)

// Build the callback Proxy sends for a text after a closed Session, signed,
// and answer it with a handler directly.
func ExampleNewRequest() {
	h, _ := callback.NewHandler(callback.Reconnect(nil), &callback.Options{
		Verifier: callback.Verifier{AuthTokens: []string{callbacktest.DefaultAuthToken}},
	})
	c := callbacktest.Message("+19515550101", "+14155550100", "I left my bag").
		After(callbacktest.Previous{UniqueName: "ride-1", Other: "+17075550102"})
	req, form := callbacktest.NewRequest("https://hooks.example.com/out-of-session", "", c)
	fmt.Println(form.Get("sessionStatus"), form.Get("outboundParticipantIdentifier"))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := callbacktest.JudgeRecorder(rec, c)
	fmt.Println(a.Status, a.Header.Get("Content-Type"), a.Verdict.Valid)
	fmt.Println(string(a.Body))
	// Output:
	// closed +17075550102
	// 200 application/json true
	// {"uniqueName":"oosc-KC00000000000000000000000000000000-SM00000000000000000000000000000000","mode":"voice-and-message","ttl":3600,"participantIdentifier":"+17075550102","participantProxyIdentifier":"+14155550100"}
}

// The strict assertion fails a test whose decision silently fell back,
// although Proxy received a valid 200 answer.
func ExampleAssertAnswered() {
	t := &exampleT{} // in a test, the test's own *testing.T
	defer t.cleanup()
	failing := func(context.Context, *callback.Request) (callback.Answer, error) {
		return callback.Answer{}, fmt.Errorf("directory down")
	}
	srv := callbacktest.NewServer(t, failing, nil)
	a := srv.Send(callbacktest.Call("+19515550101", "+14155550100"))
	fmt.Println(a.Status, a.Verdict.Valid, a.Outcome.Kind)

	var r errorsOf
	fmt.Println(callbacktest.AssertAnswered(&r, a))
	// Output:
	// 200 true fell-back
	// false
}

// exampleT stands for a *testing.T in this example.
type exampleT struct{ cleanups []func() }

func (t *exampleT) Helper()                           {}
func (t *exampleT) Cleanup(f func())                  { t.cleanups = append(t.cleanups, f) }
func (t *exampleT) Fatalf(format string, args ...any) { panic(fmt.Sprintf(format, args...)) }
func (t *exampleT) cleanup() {
	for _, f := range t.cleanups {
		f()
	}
}

type errorsOf []string

func (e *errorsOf) Errorf(format string, args ...any) { *e = append(*e, fmt.Sprintf(format, args...)) }

// A whole flow through the Proxy emulator: a Session closes, the rider
// texts again, the callback reconnects them by auto-create, and the driver
// answers through the new Session.
func ExampleProxy() {
	h, _ := callback.NewHandler(callback.Reconnect(nil), &callback.Options{
		Verifier: callback.Verifier{AuthTokens: []string{callbacktest.DefaultAuthToken}},
	})
	start := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	p, _ := callbacktest.NewProxy(callbacktest.Service{
		Numbers:  []callbacktest.Number{{Number: "+14155550100"}},
		Callback: h,
	}, start)
	defer p.Close()
	p.CreateSession(callbacktest.NewSession{UniqueName: "ride-1", Participants: []callbacktest.NewParticipant{
		{Identifier: "+19515550101"}, {Identifier: "+17075550102"},
	}})
	p.CloseSession("ride-1")
	p.Advance(start.Add(time.Minute))

	ctx := context.Background()
	r := p.Contact(ctx, callbacktest.Inbound{Channel: callback.Messaging, From: "+19515550101", To: "+14155550100", Body: "my bag?"})
	fmt.Println(r.Outcome, r.Cause, r.DeliverTo, r.Codes)
	r = p.Contact(ctx, callbacktest.Inbound{Channel: callback.Voice, From: "+17075550102", To: "+14155550100"})
	fmt.Println(r.Outcome, r.DeliverTo)
	r = p.Contact(ctx, callbacktest.Inbound{Channel: callback.Voice, From: "+16505550103", To: "+14155550100"})
	fmt.Println(r.Outcome, r.Cause)
	// Output:
	// created session-closed +17075550102 []
	// routed +19515550101
	// twiml no-previous-session
}
