package main

import (
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/emulator"
)

// builtinCallback is one of the callbacks oosc check sends to an endpoint.
type builtinCallback struct {
	Name        string
	Description string
	Callback    callbacktest.Callback
}

// The numbers the built-in callbacks use by default, from the 555-01xx
// range reserved for fiction; --from and --to replace the phone ones.
const (
	checkProxy   = "+14155550199"
	checkSender  = "+14155550101"
	checkOther   = "+14155550181"
	checkWaID    = "whatsapp:+14155550102"
	checkProxyWA = "whatsapp:+14155550198"
)

// builtinCallbacks returns the built-in callbacks, in a fixed order: a call
// and a message with and without a previous Session, after an expired
// Session, with media, from a WhatsApp sender, and from an anonymous
// caller. from and to are the sender and the Proxy number of the phone
// callbacks.
func builtinCallbacks(from, to string) []builtinCallback {
	ended := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	closed := callbacktest.Previous{Seq: 1, UniqueName: "check-ride-1", Other: checkOther, DateEnded: ended}
	expired := callbacktest.Previous{Seq: 2, UniqueName: "check-ride-2", Other: checkOther, DateEnded: ended, ClosedReason: oosc.ClosedByExpiry}
	return []builtinCallback{
		{"call-new", "a call from someone with no previous Session", withSeq(callbacktest.Call(from, to), 1)},
		{"message-new", "a text from someone with no previous Session", withSeq(callbacktest.Message(from, to, "Hi, is my ride still coming?"), 2)},
		{"call-after-closed", "a call after the Session was closed", withSeq(callbacktest.Call(from, to).After(closed), 3)},
		{"message-after-closed", "a text after the Session was closed", withSeq(callbacktest.Message(from, to, "I left my bag in the car").After(closed), 4)},
		{"message-after-expired", "a text after the Session expired", withSeq(callbacktest.Message(from, to, "Are you still there?").After(expired), 5)},
		{"message-with-media", "an MMS with a photo", withSeq(callbacktest.Message(from, to, "This one").WithMedia("https://api.twilio.com/2010-04-01/Accounts/"+emulator.DefaultAccountSid+"/Messages/MM1/Media/ME1"), 6)},
		{"whatsapp-message", "a WhatsApp message to a WhatsApp Proxy sender", withSeq(callbacktest.Message(checkWaID, checkProxyWA, "Hello from WhatsApp"), 7)},
		{"anonymous-call", "a call whose caller ID is withheld", withSeq(callbacktest.Call("anonymous", to), 8)},
	}
}

func withSeq(c callbacktest.Callback, n int) callbacktest.Callback {
	c.Seq = n
	return c
}
