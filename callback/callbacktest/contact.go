package callbacktest

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
)

// Fixed account and Service SIDs of the callbacks this package makes.
const (
	AccountSid = "AC00000000000000000000000000000001"
	ServiceSid = "KS00000000000000000000000000000001"
)

// DefaultAuthToken signs requests when no token is given.
const DefaultAuthToken = "callbacktest-auth-token"

// Contact is an inbound call or message that reaches a Proxy number.
type Contact struct {
	Channel callback.Channel // callback.Voice or callback.Messaging
	From    string           // the sender: E.164, a channel address, or "anonymous"
	To      string           // the Proxy number reached
	Body    string           // a message's text
	Media   []string         // a message's media URLs (MMS), at most 10
	// Previous is the sender's previous Session as Proxy reports it; nil
	// when Proxy knows none.
	Previous *Previous
	// Seq numbers the contact: its CallSid or MessageSid is CA or SM and 32
	// hex digits made from it, so that the same Contact gives the same form.
	Seq int
}

// Previous is the sender's previous Session and its Participants, as Proxy
// reports them in the callback.
type Previous struct {
	Seq          int             // numbers its SIDs (KC, KP), as Contact.Seq does
	UniqueName   string          // the Session's name; "" for none
	Status       string          // default "closed"
	ClosedReason string          // default "api" when Status is closed
	Mode         autocreate.Mode // default voice-and-message
	Created      time.Time       // default: Ended less an hour
	Ended        time.Time       // default: 2026-01-01T00:00:00Z when closed
	// SenderProxy is the proxy number the sender had; default: the contact's To.
	SenderProxy string
	// Other is the other Participant's identifier, OtherProxy the proxy
	// number they were given (default: the contact's To).
	Other, OtherProxy string
}

// Call is an inbound call from from to the Proxy number to.
func Call(from, to string) Contact { return Contact{Channel: callback.Voice, From: from, To: to} }

// Message is an inbound SMS from from to the Proxy number to.
func Message(from, to, body string) Contact {
	return Contact{Channel: callback.Messaging, From: from, To: to, Body: body}
}

// After returns c with a previous Session that is closed (or as p says)
// and in which the sender talked with p.Other.
func (c Contact) After(p Previous) Contact {
	c.Previous = &p
	return c
}

// WithMedia returns the message c with media URLs.
func (c Contact) WithMedia(urls ...string) Contact {
	c.Media = append(append([]string(nil), c.Media...), urls...)
	return c
}

// sid makes a Twilio-shaped SID: prefix and 32 hex digits from n.
func sid(prefix string, n int) string { return fmt.Sprintf("%s%032x", prefix, n) }

// ContactSid returns the contact's CallSid or MessageSid.
func (c Contact) ContactSid() string {
	if c.Channel == callback.Voice {
		return sid("CA", c.Seq)
	}
	return sid("SM", c.Seq)
}

// Form returns the parameters Proxy sends for c: the standard voice
// parameters (AccountSid, ApiVersion, CallSid, CallStatus=ringing,
// Direction=inbound, From, To, Caller, Called) or SMS parameters
// (MessageSid, SmsSid, SmsMessageSid, SmsStatus=received, Body, NumMedia,
// NumSegments, MediaUrlN, MediaContentTypeN), then the previous Session
// (session*) and both of its Participants (inboundParticipant* for the
// sender, outboundParticipant* for the other) when c has one. It panics for
// a channel other than Voice and Messaging, as httptest does on misuse.
func (c Contact) Form() url.Values {
	f := url.Values{}
	set := func(k, v string) { f.Set(k, v) }
	set("AccountSid", AccountSid)
	set("ApiVersion", "2010-04-01")
	set("From", c.From)
	set("To", c.To)
	switch c.Channel {
	case callback.Voice:
		set("CallSid", c.ContactSid())
		set("CallStatus", "ringing")
		set("Direction", "inbound")
		set("Caller", c.From)
		set("Called", c.To)
	case callback.Messaging:
		s := c.ContactSid()
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
		panic(fmt.Sprintf("callbacktest: contact channel %q is neither callback.Voice nor callback.Messaging", c.Channel))
	}
	if p := c.Previous; p != nil {
		p.addTo(f, c)
	}
	return f
}

const isoDate = "2006-01-02T15:04:05Z"

func (p Previous) addTo(f url.Values, c Contact) {
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
	session := sid("KC", p.Seq)
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
	set("sessionDateCreated", created.UTC().Format(isoDate))
	updated := created
	if !ended.IsZero() {
		updated = ended
		set("sessionDateEnded", ended.UTC().Format(isoDate))
	}
	set("sessionDateUpdated", updated.UTC().Format(isoDate))
	senderProxy, otherProxy := p.SenderProxy, p.OtherProxy
	if senderProxy == "" {
		senderProxy = c.To
	}
	if otherProxy == "" {
		otherProxy = c.To
	}
	participant := func(prefix string, n int, id, proxy string) {
		set(prefix+"Sid", sid("KP", 2*p.Seq+n))
		set(prefix+"Identifier", id)
		set(prefix+"ProxyIdentifier", proxy)
		set(prefix+"ProxyIdentifierSid", sid("PN", 1))
		set(prefix+"AccountSid", AccountSid)
		set(prefix+"ServiceSid", ServiceSid)
		set(prefix+"SessionSid", session)
		set(prefix+"DateCreated", created.UTC().Format(isoDate))
		set(prefix+"DateUpdated", created.UTC().Format(isoDate))
	}
	participant("inboundParticipant", 0, c.From, senderProxy)
	if p.Other != "" {
		participant("outboundParticipant", 1, p.Other, otherProxy)
	}
}
