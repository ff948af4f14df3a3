package callbacktest_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/webhook"
)

// Build the callback Proxy sends for a text after a closed Session, signed,
// and answer it with a handler directly.
func ExampleNewRequest() {
	v, _ := webhook.NewVerifier([]string{callbacktest.DefaultAuthToken}, nil)
	h, _ := callback.NewHandler(callback.Reconnect(nil), &callback.Options{Verifier: v})
	cb := callbacktest.Message("+19515550101", "+14155550100", "I left my bag").
		After(callbacktest.Previous{UniqueName: "ride-1", Other: "+17075550102"})
	req := callbacktest.NewRequest("https://hooks.example.com/out-of-session", "", cb)
	form := cb.Form()
	fmt.Println(form.Get("sessionStatus"), form.Get("outboundParticipantIdentifier"))

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	r := callbacktest.JudgeRecorder(rec, cb)
	fmt.Println(r.Status, r.Header.Get("Content-Type"), r.Verdict.Valid())
	fmt.Println(string(r.Body))
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
	r := srv.Send(callbacktest.Call("+19515550101", "+14155550100"))
	fmt.Println(r.Status, r.Verdict.Valid(), r.Outcome.Kind)

	var errs errorsOf
	fmt.Println(callbacktest.AssertAnswered(&errs, r))
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
