package emulator_test

import (
	"context"
	"fmt"

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
