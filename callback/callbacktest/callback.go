package callbacktest

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
)

// Fixed account and Service SIDs of the callbacks this package makes.
const (
	AccountSid = "AC00000000000000000000000000000001"
	ServiceSid = "KS00000000000000000000000000000001"
)

// DefaultAuthToken signs requests when no token is given.
const DefaultAuthToken = "callbacktest-auth-token"

// Callback is the out-of-session callback Proxy sends for an inbound
// interaction: the interaction itself, what Proxy knows of the sender's
// previous Session, and a sequence number that makes its SIDs.
type Callback struct {
	oosc.Inbound
	// Previous is the sender's previous Session as Proxy reports it; nil
	// when Proxy knows none.
	Previous *Previous
	// Seq numbers the callback: its CallSid or MessageSid is CA or SM and
	// 32 hex digits made from it, so that the same Callback gives the same
	// form.
	Seq int
}

// Previous is the sender's previous Session and its Participants, as Proxy
// reports them in the callback.
type Previous struct {
	Seq          int             // numbers its SIDs (KC, KP), as Callback.Seq does
	UniqueName   string          // the Session's name; "" for none
	Status       string          // default "closed"
	ClosedReason string          // default "api" when Status is closed
	Mode         autocreate.Mode // default voice-and-message
	Created      time.Time       // default: Ended less an hour
	Ended        time.Time       // default: 2026-01-01T00:00:00Z when closed
	// SenderProxy is the proxy number the sender had; default: the callback's To.
	SenderProxy string
	// Other is the other Participant's identifier, OtherProxy the proxy
	// number they were given (default: the callback's To).
	Other, OtherProxy string
}

// Call is the callback of an inbound call from from to the Proxy number to.
func Call(from, to string) Callback {
	return Callback{Inbound: oosc.Inbound{Channel: oosc.Voice, From: from, To: to}}
}

// Message is the callback of an inbound SMS from from to the Proxy number to.
func Message(from, to, body string) Callback {
	return Callback{Inbound: oosc.Inbound{Channel: oosc.SMS, From: from, To: to, Body: body}}
}

// After returns c with a previous Session that is closed (or as p says)
// and in which the sender talked with p.Other.
func (c Callback) After(p Previous) Callback {
	c.Previous = &p
	return c
}

// WithMedia returns the message c with media URLs.
func (c Callback) WithMedia(urls ...string) Callback {
	c.Media = append(append([]string(nil), c.Media...), urls...)
	return c
}

// SID makes a Twilio-shaped SID: prefix and 32 hex digits from n.
func SID(prefix string, n int) string { return fmt.Sprintf("%s%032x", prefix, n) }

// InteractionSid returns the callback's CallSid or MessageSid.
func (c Callback) InteractionSid() string {
	if c.Channel == oosc.Voice {
		return SID("CA", c.Seq)
	}
	return SID("SM", c.Seq)
}

// Form returns the parameters Proxy sends: the standard voice parameters
// (AccountSid, ApiVersion, CallSid, CallStatus=ringing, Direction=inbound,
// From, To, Caller, Called) or SMS parameters (MessageSid, SmsSid,
// SmsMessageSid, SmsStatus=received, Body, NumMedia, NumSegments,
// MediaUrlN, MediaContentTypeN), then the previous Session (session*) and
// both of its Participants (inboundParticipant* for the sender,
// outboundParticipant* for the other) when c has one. It panics for a
// channel other than Voice and SMS, as httptest does on misuse.
func (c Callback) Form() url.Values {
	f := url.Values{}
	set := func(k, v string) { f.Set(k, v) }
	set("AccountSid", AccountSid)
	set("ApiVersion", "2010-04-01")
	set("From", c.From)
	set("To", c.To)
	switch c.Channel {
	case oosc.Voice:
		set("CallSid", c.InteractionSid())
		set("CallStatus", "ringing")
		set("Direction", "inbound")
		set("Caller", c.From)
		set("Called", c.To)
	case oosc.SMS:
		s := c.InteractionSid()
		set("MessageSid", s)
		set("SmsSid", s)
		set("SmsMessageSid", s)
		set("SmsStatus", "received")
		set("Body", c.Body)
		set("NumMedia", strconv.Itoa(len(c.Media)))
		set("NumSegments", "1")
		for i, u := range c.Media {
			set("MediaUrl"+strconv.Itoa(i), u)
			set("MediaContentType"+strconv.Itoa(i), "image/jpeg")
		}
	default:
		panic(fmt.Sprintf("callbacktest: callback channel %q is neither oosc.Voice nor oosc.SMS", c.Channel))
	}
	if p := c.Previous; p != nil {
		p.addTo(f, c)
	}
	return f
}

// ISODate is the layout of the dates Proxy sends: ISO 8601 in UTC.
const ISODate = "2006-01-02T15:04:05Z"

func (p Previous) addTo(f url.Values, c Callback) {
	status := p.Status
	if status == "" {
		status = "closed"
	}
	reason := p.ClosedReason
	if reason == "" && status == "closed" {
		reason = "api"
	}
	mode := p.Mode
	if mode == "" {
		mode = autocreate.VoiceAndMessage
	}
	ended := p.Ended
	if ended.IsZero() && status == "closed" {
		ended = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	created := p.Created
	if created.IsZero() {
		created = ended.Add(-time.Hour)
		if ended.IsZero() {
			created = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		}
	}
	session := SID("KC", p.Seq)
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	set("sessionSid", session)
	set("sessionUniqueName", p.UniqueName)
	set("sessionAccountSid", AccountSid)
	set("sessionServiceSid", ServiceSid)
	set("sessionStatus", status)
	set("sessionClosedReason", reason)
	set("sessionMode", string(mode))
	set("sessionDateCreated", created.UTC().Format(ISODate))
	updated := created
	if !ended.IsZero() {
		updated = ended
		set("sessionDateEnded", ended.UTC().Format(ISODate))
	}
	set("sessionDateUpdated", updated.UTC().Format(ISODate))
	senderProxy, otherProxy := p.SenderProxy, p.OtherProxy
	if senderProxy == "" {
		senderProxy = c.To
	}
	if otherProxy == "" {
		otherProxy = c.To
	}
	participant := func(prefix string, n int, id, proxy string) {
		set(prefix+"Sid", SID("KP", 2*p.Seq+n))
		set(prefix+"Identifier", id)
		set(prefix+"ProxyIdentifier", proxy)
		set(prefix+"ProxyIdentifierSid", SID("PN", 1+n))
		set(prefix+"AccountSid", AccountSid)
		set(prefix+"ServiceSid", ServiceSid)
		set(prefix+"SessionSid", session)
		set(prefix+"DateCreated", created.UTC().Format(ISODate))
		set(prefix+"DateUpdated", created.UTC().Format(ISODate))
	}
	participant("inboundParticipant", 0, c.From, senderProxy)
	if p.Other != "" {
		participant("outboundParticipant", 1, p.Other, otherProxy)
	}
}
