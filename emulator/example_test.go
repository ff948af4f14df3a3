package emulator_test

import (
	"context"
	"fmt"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/webhook"
)

// A ride's Session closes; the rider then texts the Proxy number. Proxy
// finds no open Session and calls the out-of-session callback, whose
// Reconnect policy answers with an auto-create session back to the
// driver: the emulator creates it and delivers the message.
func ExampleProxy_Inbound() {
	p := emulator.New(nil)
	defer p.Close()

	// The application's callback, served on loopback, checking the
	// signature the emulator signs with.
	v, _ := webhook.NewVerifier([]string{callbacktest.DefaultAuthToken}, nil)
	h, _ := callback.NewHandler(callback.Reconnect(nil), &callback.Options{Verifier: v})
	svc, _ := p.CreateService(emulator.ServiceConfig{OutOfSessionCallbackURL: p.Serve(h) + "/out-of-session"})
	p.AddNumber(svc.Sid, emulator.NewPhoneNumber{Number: "+14155550100"})

	const rider, driver = "+19515550101", "+17075550102"
	p.CreateSession(svc.Sid, emulator.NewSession{UniqueName: "ride-1",
		Participants: []emulator.NewParticipant{{Identifier: rider}, {Identifier: driver}}})
	p.CloseSession(svc.Sid, "ride-1")

	r, err := p.Inbound(context.Background(), svc.Sid, oosc.Inbound{Channel: oosc.SMS, From: rider, To: "+14155550100", Body: "I left my bag"})
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Outcome, r.Cause, r.DeliverTo, r.Codes)
	// Output: created session-closed +17075550102 []
}

// A Service without an out-of-session callback: a stranger's message
// fails with 80905, which the emulator logs as Twilio's Debugger would,
// as a debugger.Event explained in the terms of the five cases of 80905.
func ExampleProxy_Events() {
	p := emulator.New(nil)
	defer p.Close()
	svc, _ := p.CreateService(emulator.ServiceConfig{UniqueName: "rides"})
	p.AddNumber(svc.Sid, emulator.NewPhoneNumber{Number: "+14155550100"})
	p.Inbound(context.Background(), svc.Sid, oosc.Inbound{Channel: oosc.SMS, From: "+19515550101", To: "+14155550100", Body: "hello?"})

	for _, e := range p.Events() {
		fmt.Println(e.Sid, e.Level, e.Code, e.Code.Title(), e.Cause)
		fmt.Printf("cases %d: %s\n", e.Explanation.Cases, e.Explanation.Fix)
	}
	// Output:
	// NO00000000000000000000000000000001 WARNING 80905 Unknown Scenario no-previous-session
	// cases [1 3]: set the Service's OutOfSessionCallbackUrl to your callback.Handler
}

// The virtual clock moves as the control API's advance moves it: a
// Session with a one-hour ttl expires, and 80904 is logged.
func ExampleProxy_Advance() {
	p := emulator.New(nil)
	defer p.Close()
	svc, _ := p.CreateService(emulator.ServiceConfig{UniqueName: "rides"})
	p.AddNumber(svc.Sid, emulator.NewPhoneNumber{Number: "+14155550100"})
	p.CreateSession(svc.Sid, emulator.NewSession{UniqueName: "ride-1", TTL: time.Hour,
		Participants: []emulator.NewParticipant{{Identifier: "+19515550101"}, {Identifier: "+17075550102"}}})

	events, _ := p.Advance(90 * time.Minute)
	for _, e := range events {
		fmt.Println(e.Time.Format(time.RFC3339), e.Code, e.Session, e.Text)
	}
	s, _ := p.Session(svc.Sid, "ride-1")
	fmt.Println(s.Status, s.ClosedReason)
	// Output:
	// 2026-01-01T01:00:00Z 80904 ride-1 the Session reached its ttl and closed
	// closed expired
}
