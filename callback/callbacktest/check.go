package callbacktest

import "time"

// CheckScenario is one of the callbacks oosc check sends to an endpoint.
type CheckScenario struct {
	Name        string
	Description string
	Contact     Contact
}

// The numbers the built-in scenarios use, from the 555-01xx range reserved
// for fiction.
const (
	checkProxy   = "+14155550199"
	checkSender  = "+14155550101"
	checkOther   = "+14155550181"
	checkWaID    = "whatsapp:+14155550102"
	checkProxyWA = "whatsapp:+14155550198"
)

// CheckScenarios returns the built-in scenarios, in a fixed order: a call
// and a message with and without a previous Session, after an expired
// Session, with media, from a WhatsApp sender, and from an anonymous caller.
func CheckScenarios() []CheckScenario {
	ended := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	closed := Previous{Seq: 1, UniqueName: "check-ride-1", Other: checkOther, Ended: ended}
	expired := Previous{Seq: 2, UniqueName: "check-ride-2", Other: checkOther, Ended: ended, ClosedReason: "expired"}
	return []CheckScenario{
		{"call-new", "a call from someone with no previous Session", withSeq(Call(checkSender, checkProxy), 1)},
		{"message-new", "a text from someone with no previous Session", withSeq(Message(checkSender, checkProxy, "Hi, is my ride still coming?"), 2)},
		{"call-after-closed", "a call after the Session was closed", withSeq(Call(checkSender, checkProxy).After(closed), 3)},
		{"message-after-closed", "a text after the Session was closed", withSeq(Message(checkSender, checkProxy, "I left my bag in the car").After(closed), 4)},
		{"message-after-expired", "a text after the Session expired", withSeq(Message(checkSender, checkProxy, "Are you still there?").After(expired), 5)},
		{"message-with-media", "an MMS with a photo", withSeq(Message(checkSender, checkProxy, "This one").WithMedia("https://api.twilio.com/2010-04-01/Accounts/"+AccountSid+"/Messages/MM1/Media/ME1"), 6)},
		{"whatsapp-message", "a WhatsApp message to a WhatsApp Proxy sender", withSeq(Message(checkWaID, checkProxyWA, "Hello from WhatsApp"), 7)},
		{"anonymous-call", "a call whose caller ID is withheld", withSeq(Call("anonymous", checkProxy), 8)},
	}
}

func withSeq(c Contact, n int) Contact {
	c.Seq = n
	return c
}
