package callbacktest

import (
	"fmt"
	"net/url"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/internal/proxyform"
)

// DefaultAuthToken signs requests when no token is given:
// "callbacktest-auth-token". An emulator made without options signs with it
// too.
const DefaultAuthToken = proxyform.AuthToken

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
	Seq          int                // numbers its SIDs (KC, KP), as Callback.Seq does
	UniqueName   string             // the Session's name; "" for none
	Status       oosc.SessionStatus // default oosc.SessionClosed
	ClosedReason oosc.ClosedReason  // default oosc.ClosedByAPI when Status is closed
	Mode         autocreate.Mode    // default voice-and-message
	DateCreated  time.Time          // default: DateEnded less an hour
	DateEnded    time.Time          // default: 2026-01-01T00:00:00Z when closed
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
func SID(prefix string, n int) string { return proxyform.SID(prefix, n) }

// InteractionSid returns the callback's CallSid or MessageSid.
func (c Callback) InteractionSid() string {
	if c.Channel == oosc.Voice {
		return SID("CA", c.Seq)
	}
	return SID("SM", c.Seq)
}

// Form returns the parameters Proxy sends, for the account of an emulator
// made without options (emulator.DefaultAccountSid): the standard voice
// parameters (AccountSid, ApiVersion, CallSid, CallStatus=ringing, Direction=inbound,
// From, To, Caller, Called, AddOns) or SMS parameters (MessageSid, SmsSid,
// SmsMessageSid, SmsStatus=received, Body, NumMedia, NumSegments,
// MediaUrlN, MediaContentTypeN), with the geography of each number (City,
// State, Zip, Country: what its digits tell, else empty), then the
// previous Session (session*) and both of its Participants
// (inboundParticipant* for the sender, outboundParticipant* for the
// other) when c has one. It panics for a
// channel other than Voice and SMS, as httptest does on misuse.
func (c Callback) Form() url.Values {
	if !c.Channel.Valid() {
		panic(fmt.Sprintf("callbacktest: callback channel %q is neither oosc.Voice nor oosc.SMS", c.Channel))
	}
	oos := proxyform.OutOfSession{Inbound: c.Inbound, AccountSid: proxyform.AccountSid, InteractionSid: c.InteractionSid()}
	if c.Previous != nil {
		oos.Previous = c.Previous.session(c)
	}
	return oos.Form()
}

// ISODate is the layout of the dates Proxy sends, ISO 8601 in UTC:
// "2006-01-02T15:04:05Z".
const ISODate = proxyform.ISODate

// session is p as Proxy reports it, with p's defaults filled in.
func (p Previous) session(c Callback) *proxyform.Session {
	status := p.Status
	if status == "" {
		status = oosc.SessionClosed
	}
	reason := p.ClosedReason
	if reason == "" && status == oosc.SessionClosed {
		reason = oosc.ClosedByAPI
	}
	mode := p.Mode
	if mode == "" {
		mode = autocreate.VoiceAndMessage
	}
	ended := p.DateEnded
	if ended.IsZero() && status == oosc.SessionClosed {
		ended = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	created := p.DateCreated
	if created.IsZero() {
		created = ended.Add(-time.Hour)
		if ended.IsZero() {
			created = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		}
	}
	updated := created
	if !ended.IsZero() {
		updated = ended
	}
	s := &proxyform.Session{Sid: SID("KC", p.Seq), UniqueName: p.UniqueName, AccountSid: proxyform.AccountSid, ServiceSid: proxyform.ServiceSid,
		Status: status, ClosedReason: reason, Mode: string(mode), Created: created, Updated: updated, Ended: ended}
	senderProxy, otherProxy := p.SenderProxy, p.OtherProxy
	if senderProxy == "" {
		senderProxy = c.To
	}
	if otherProxy == "" {
		otherProxy = c.To
	}
	participant := func(n int, id, proxy string) *proxyform.Participant {
		return &proxyform.Participant{Sid: SID("KP", 2*p.Seq+n), Identifier: id, ProxyIdentifier: proxy,
			ProxyIdentifierSid: SID("PN", 1+n), Created: created, Updated: created}
	}
	s.Inbound = participant(0, c.From, senderProxy)
	if p.Other != "" {
		s.Outbound = participant(1, p.Other, otherProxy)
	}
	return s
}
