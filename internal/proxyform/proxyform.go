// Package proxyform builds the forms Twilio Proxy POSTs to an application,
// and signs them as Twilio does. It is what callbacktest and the emulator
// share, so that the callbacks of a unit test and those of an emulated
// Proxy carry the same parameters, and so that the emulator does not
// depend on a test helper.
package proxyform

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/internal/numbering"
	"github.com/oosc-dev/oosc/webhook"
)

// The test account: the account, Service and auth token of the callbacks
// callbacktest makes and of an emulator made without options.
const (
	AccountSid = "AC00000000000000000000000000000001"
	ServiceSid = "KS00000000000000000000000000000001"
	AuthToken  = "callbacktest-auth-token"
)

// Timeout is how long Proxy waits for a webhook's answer.
const Timeout = 15 * time.Second

// ISODate is the layout of the dates Proxy sends: ISO 8601 in UTC.
const ISODate = "2006-01-02T15:04:05Z"

// SID makes a Twilio-shaped SID: prefix and 32 hex digits from n.
func SID(prefix string, n int) string { return fmt.Sprintf("%s%032x", prefix, n) }

// date formats t as Proxy does; "" for the zero time.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(ISODate)
}

// OutOfSession is an out-of-session callback: the inbound contact, the
// account it reached, its call or message SID, and the sender's previous
// Session when Proxy knows one.
type OutOfSession struct {
	Inbound    oosc.Inbound
	AccountSid string
	// InteractionSid is the contact's CallSid (CA...) or MessageSid
	// (SM...).
	InteractionSid string
	Previous       *Session
}

// Form returns the parameters Proxy sends, as the example of Proxy's
// Webhooks page and Twilio's voice and messaging webhooks have them: for a
// call AccountSid, ApiVersion, CallSid, CallStatus=ringing,
// Direction=inbound, From, To, Caller, Called, the geography of each of
// the four (City, State, Zip, Country) and AddOns; for a message
// MessageSid, SmsSid, SmsMessageSid, SmsStatus=received, Body, NumMedia,
// NumSegments, MediaUrlN, MediaContentTypeN and the geography of From and
// To; then the previous Session, if any. Geography comes from the
// number's digits (package numbering): what they do not tell (a city, a
// ZIP code, the state of a number outside North America) is sent empty,
// as Twilio sends it. It panics for a channel other than voice and SMS:
// callers check it first.
func (c OutOfSession) Form() url.Values {
	f := url.Values{}
	f.Set("AccountSid", c.AccountSid)
	f.Set("ApiVersion", "2010-04-01")
	f.Set("From", c.Inbound.From)
	f.Set("To", c.Inbound.To)
	geography(f, "From", c.Inbound.From)
	geography(f, "To", c.Inbound.To)
	switch c.Inbound.Channel {
	case oosc.Voice:
		f.Set("CallSid", c.InteractionSid)
		f.Set("CallStatus", "ringing")
		f.Set("Direction", "inbound")
		f.Set("Caller", c.Inbound.From)
		f.Set("Called", c.Inbound.To)
		geography(f, "Caller", c.Inbound.From)
		geography(f, "Called", c.Inbound.To)
		f.Set("AddOns", addOns)
	case oosc.SMS:
		f.Set("MessageSid", c.InteractionSid)
		f.Set("SmsSid", c.InteractionSid)
		f.Set("SmsMessageSid", c.InteractionSid)
		f.Set("SmsStatus", "received")
		f.Set("Body", c.Inbound.Body)
		f.Set("NumMedia", strconv.Itoa(len(c.Inbound.Media)))
		f.Set("NumSegments", "1")
		for i, u := range c.Inbound.Media {
			f.Set("MediaUrl"+strconv.Itoa(i), u)
			f.Set("MediaContentType"+strconv.Itoa(i), "image/jpeg")
		}
	default:
		panic(fmt.Sprintf("proxyform: channel %q is neither voice nor sms", c.Inbound.Channel))
	}
	if c.Previous != nil {
		c.Previous.addTo(f)
	}
	return f
}

// addOns is the AddOns of a call that ran no Add-on: the value of the
// Webhooks page's example.
const addOns = `{"status":"successful","message":null,"code":null,"results":{}}`

// geography sets a number's City, State, Zip and Country, prefixed: the
// state (or province) and the country its digits tell, else "".
func geography(f url.Values, prefix, number string) {
	f.Set(prefix+"City", "")
	f.Set(prefix+"State", numbering.Region(number))
	f.Set(prefix+"Zip", "")
	f.Set(prefix+"Country", numbering.Country(number))
}

// Session is a previous Session of the sender and its Participants, as
// Proxy reports them in the out-of-session callback. Empty fields are not
// sent.
type Session struct {
	Sid, UniqueName, AccountSid, ServiceSid string
	Status                                  oosc.SessionStatus
	ClosedReason                            oosc.ClosedReason
	Mode                                    string
	Created, Updated, Started               time.Time
	LastInteraction, Ended                  time.Time
	// Inbound is the sender's Participant, Outbound the other one; nil
	// when the Session has none.
	Inbound, Outbound *Participant
}

// Participant is a Participant of a previous Session.
type Participant struct {
	Sid, Identifier, ProxyIdentifier, ProxyIdentifierSid, FriendlyName string
	Created, Updated                                                   time.Time
}

func (s *Session) addTo(f url.Values) {
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	set("sessionSid", s.Sid)
	set("sessionUniqueName", s.UniqueName)
	set("sessionAccountSid", s.AccountSid)
	set("sessionServiceSid", s.ServiceSid)
	set("sessionStatus", string(s.Status))
	set("sessionClosedReason", string(s.ClosedReason))
	set("sessionMode", s.Mode)
	set("sessionDateCreated", date(s.Created))
	set("sessionDateUpdated", date(s.Updated))
	set("sessionDateStarted", date(s.Started))
	set("sessionDateLastInteraction", date(s.LastInteraction))
	set("sessionDateEnded", date(s.Ended))
	for _, side := range []struct {
		prefix string
		q      *Participant
	}{{"inboundParticipant", s.Inbound}, {"outboundParticipant", s.Outbound}} {
		q := side.q
		if q == nil {
			continue
		}
		set(side.prefix+"Sid", q.Sid)
		set(side.prefix+"Identifier", q.Identifier)
		set(side.prefix+"ProxyIdentifier", q.ProxyIdentifier)
		set(side.prefix+"ProxyIdentifierSid", q.ProxyIdentifierSid)
		set(side.prefix+"FriendlyName", q.FriendlyName)
		set(side.prefix+"AccountSid", s.AccountSid)
		set(side.prefix+"ServiceSid", s.ServiceSid)
		set(side.prefix+"SessionSid", s.Sid)
		set(side.prefix+"DateCreated", date(q.Created))
		set(side.prefix+"DateUpdated", date(q.Updated))
	}
}

// NewRequest returns a POST of form to target, form-encoded and signed
// with authToken as Twilio signs its webhooks. target must be an absolute
// http(s) URL.
func NewRequest(ctx context.Context, target, authToken string, form url.Values) (*http.Request, error) {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("proxyform: target %q is not an absolute http(s) URL", target)
	}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	Sign(r.Header, authToken, target, form)
	return r, nil
}

// Sign sets the form's Content-Type and the X-Twilio-Signature Twilio
// would send for a POST of form to target.
func Sign(h http.Header, authToken, target string, form url.Values) {
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set(webhook.Header, webhook.Sign(authToken, target, form))
}

// Interaction is an Interaction of a Session as Proxy reports it to the
// Service's CallbackUrl (the interaction status callback) and
// InterceptCallbackUrl.
type Interaction struct {
	Sid, SessionSid, ServiceSid, AccountSid string
	// Type is voice or message, as the REST API writes it.
	Type string
	// Data is the REST API's data: {"body": ...} for a message, a call's
	// duration once it ends, "" while it is not known.
	Data              string
	Created, Updated  time.Time
	Inbound, Outbound Leg
}

// Leg is one leg of an Interaction: the Participant, the call (CA...) or
// message (SM...) and its status; empty for the leg an Interaction has
// not, such as the inbound leg of a Message Interaction.
type Leg struct {
	ParticipantSid, ResourceSid, ResourceStatus string
}

// StatusForm returns the 18 parameters of the interaction status
// callback, as the example of Proxy's Webhooks page has them; a leg the
// Interaction has not is sent empty, as the example sends an unknown
// interactionData.
func (it Interaction) StatusForm() url.Values {
	f := it.InterceptForm()
	it.leg(f, "outbound", it.Outbound)
	return f
}

// InterceptForm returns the 13 parameters of the intercept callback, as
// Proxy's Webhooks page lists them: the Interaction and its inbound leg,
// since the outbound one is not made before the callback allows it.
func (it Interaction) InterceptForm() url.Values {
	f := url.Values{}
	f.Set("interactionSid", it.Sid)
	f.Set("interactionSessionSid", it.SessionSid)
	f.Set("interactionServiceSid", it.ServiceSid)
	f.Set("interactionAccountSid", it.AccountSid)
	f.Set("interactionType", interactionType(it.Type))
	f.Set("interactionData", it.Data)
	f.Set("interactionDateCreated", date(it.Created))
	f.Set("interactionDateUpdated", date(it.Updated))
	it.leg(f, "inbound", it.Inbound)
	return f
}

// interactionType is an Interaction's type as the Webhooks page's example
// writes it: Voice (and, by analogy, Message), capitalized where the REST
// API writes voice.
func interactionType(t string) string {
	if t == "" {
		return ""
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

func (it Interaction) leg(f url.Values, prefix string, l Leg) {
	kind, u := it.resource(l.ResourceSid)
	f.Set(prefix+"ParticipantSid", l.ParticipantSid)
	f.Set(prefix+"ResourceSid", l.ResourceSid)
	f.Set(prefix+"ResourceStatus", l.ResourceStatus)
	f.Set(prefix+"ResourceType", kind)
	f.Set(prefix+"ResourceUrl", u)
}

// resource returns the type of a call or message, as the Webhooks page's
// example writes it (call; message by analogy), and its URL in Twilio's
// REST API; "" for another SID.
func (it Interaction) resource(sid string) (kind, u string) {
	base := "https://api.twilio.com/2010-04-01/Accounts/" + it.AccountSid
	switch {
	case strings.HasPrefix(sid, "CA"):
		return "call", base + "/Calls/" + sid + ".json"
	case strings.HasPrefix(sid, "SM"):
		return "message", base + "/Messages/" + sid + ".json"
	}
	return "", ""
}
