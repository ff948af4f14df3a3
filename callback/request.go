package callback

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/twiml"
)

// Headers Twilio sends with webhooks that the request exposes. Neither is
// covered by the signature.
const (
	IdempotencyHeader = "I-Twilio-Idempotency-Token"
	HomeRegionHeader  = "X-Home-Region"
)

// Channel is the kind of interaction: [Voice] or [Messaging]. It is
// twiml.Channel, named here so that a decision can read req.Channel
// without importing twiml.
type Channel = twiml.Channel

// The channels of an out-of-session callback.
const (
	Voice     Channel = twiml.Voice     // an inbound call
	Messaging Channel = twiml.Messaging // an inbound SMS, MMS or other message
)

// Request is an out-of-session callback in typed form. Every field is
// optional: Proxy sends what it knows, and Twilio adds parameters without
// notice. Form keeps every parameter as received.
type Request struct {
	// Channel is Voice when CallSid is present, Messaging when MessageSid
	// or SmsSid is, and "" when neither is.
	Channel Channel

	From, To   string  // the sender and the Proxy number reached
	Body       string  // message text
	NumMedia   int     // from NumMedia; 0 when absent or malformed
	Media      []Media // the attachments, from MediaUrlN and MediaContentTypeN
	CallSid    string  // the call's SID, for a call
	MessageSid string  // MessageSid, or SmsSid when MessageSid is absent
	AccountSid string  // the Twilio account

	// PreviousSession is the sender's previous Session, nil when Proxy sent none.
	PreviousSession *PreviousSession
	// Inbound is the sender's Participant in the previous Session and
	// Outbound the other party, each nil when Proxy sent none.
	Inbound, Outbound *Participant

	IdempotencyToken string // I-Twilio-Idempotency-Token header
	HomeRegion       string // X-Home-Region header

	// Form holds every parameter as received, including those without a field here.
	Form url.Values
}

// Media is one attachment of an MMS.
type Media struct {
	URL         string // where Twilio stores the file
	ContentType string // its media type, such as image/jpeg
}

// PreviousSession is what Proxy sends of the sender's previous Session, the
// one that is no longer open (not to be confused with autocreate.Session,
// the answer that creates a new one).
type PreviousSession struct {
	Sid          string          // KC...
	UniqueName   string          // the name the application gave it
	Status       string          // open, in-progress, closed, failed, unknown
	ClosedReason string          // free text; "api" when closed through the REST API
	Mode         autocreate.Mode // the kind of traffic it carried
	// Dates are zero when absent or malformed; the raw values stay in Request.Form.
	DateCreated, DateUpdated, DateStarted, DateEnded, DateLastInteraction time.Time
}

// Participant is what Proxy sends of a Participant of the previous Session.
type Participant struct {
	Sid             string // KP...
	Identifier      string // the real address (phone number or channel address)
	ProxyIdentifier string // the Proxy number the participant was given
	FriendlyName    string // the application's name for the participant
}

// ParseRequest builds the typed request from a callback's form and headers.
// It never fails: missing fields stay empty, and malformed dates and numbers
// stay zero with their raw value in Form.
func ParseRequest(form url.Values, header http.Header) *Request {
	var v fieldValues
	for name, vs := range form { // each name once, so the order does not matter
		if i := fieldOf(name); i >= 0 && len(vs) > 0 {
			v[i] = vs[0]
		}
	}
	return v.request(form, header)
}

// parseRequest is ParseRequest for a form parsed into pairs in body order,
// as the handler has it: one pass over the pairs, the first value of each
// name winning as in url.Values.Get, rather than a map lookup per field.
func parseRequest(ps []pair, form url.Values, header http.Header) *Request {
	var v fieldValues
	var seen uint64
	for _, p := range ps {
		if i := fieldOf(p.name); i >= 0 && seen&(1<<i) == 0 {
			seen |= 1 << i
			v[i] = p.value
		}
	}
	return v.request(form, header)
}

// The form fields a Request is made of, as indexes into fieldValues.
const (
	fFrom = iota
	fTo
	fBody
	fCallSid
	fMessageSid
	fSmsSid
	fAccountSid
	fNumMedia
	fSessionSid
	fSessionUniqueName
	fSessionStatus
	fSessionClosedReason
	fSessionMode
	fSessionDateCreated
	fSessionDateUpdated
	fSessionDateStarted
	fSessionDateEnded
	fSessionDateLastInteraction
	fInbound          // the inbound Participant's Sid, Identifier, ProxyIdentifier, FriendlyName
	fOutbound         = fInbound + 4
	fMediaURL         = fOutbound + 4 // MediaUrl0 to MediaUrl9
	fMediaContentType = fMediaURL + maxMedia
	nFields           = fMediaContentType + maxMedia
)

// maxMedia is the number of attachments Twilio sends at most.
const maxMedia = 10

// fieldValues holds the first value of each field of a Request.
type fieldValues [nFields]string

// fieldOf is the index of the form field name, or -1 for a field that has
// no place in a Request.
func fieldOf(name string) int {
	switch name {
	case "From":
		return fFrom
	case "To":
		return fTo
	case "Body":
		return fBody
	case "CallSid":
		return fCallSid
	case "MessageSid":
		return fMessageSid
	case "SmsSid":
		return fSmsSid
	case "AccountSid":
		return fAccountSid
	case "NumMedia":
		return fNumMedia
	case "sessionSid":
		return fSessionSid
	case "sessionUniqueName":
		return fSessionUniqueName
	case "sessionStatus":
		return fSessionStatus
	case "sessionClosedReason":
		return fSessionClosedReason
	case "sessionMode":
		return fSessionMode
	case "sessionDateCreated":
		return fSessionDateCreated
	case "sessionDateUpdated":
		return fSessionDateUpdated
	case "sessionDateStarted":
		return fSessionDateStarted
	case "sessionDateEnded":
		return fSessionDateEnded
	case "sessionDateLastInteraction":
		return fSessionDateLastInteraction
	case "inboundParticipantSid":
		return fInbound
	case "inboundParticipantIdentifier":
		return fInbound + 1
	case "inboundParticipantProxyIdentifier":
		return fInbound + 2
	case "inboundParticipantFriendlyName":
		return fInbound + 3
	case "outboundParticipantSid":
		return fOutbound
	case "outboundParticipantIdentifier":
		return fOutbound + 1
	case "outboundParticipantProxyIdentifier":
		return fOutbound + 2
	case "outboundParticipantFriendlyName":
		return fOutbound + 3
	}
	if d, ok := strings.CutPrefix(name, "Media"); ok {
		if n, ok := strings.CutPrefix(d, "Url"); ok && len(n) == 1 && '0' <= n[0] && n[0] <= '9' {
			return fMediaURL + int(n[0]-'0')
		}
		if n, ok := strings.CutPrefix(d, "ContentType"); ok && len(n) == 1 && '0' <= n[0] && n[0] <= '9' {
			return fMediaContentType + int(n[0]-'0')
		}
	}
	return -1
}

// request builds the Request from the fields' first values.
func (v *fieldValues) request(form url.Values, header http.Header) *Request {
	r := &Request{
		From: v[fFrom], To: v[fTo], Body: v[fBody],
		CallSid: v[fCallSid], MessageSid: v[fMessageSid], AccountSid: v[fAccountSid],
		Form: form,
	}
	if r.MessageSid == "" {
		r.MessageSid = v[fSmsSid]
	}
	switch {
	case r.CallSid != "":
		r.Channel = twiml.Voice
	case r.MessageSid != "":
		r.Channel = twiml.Messaging
	}
	if n, err := strconv.Atoi(v[fNumMedia]); err == nil && n > 0 {
		r.NumMedia = n
		for i := 0; i < n && i < maxMedia; i++ {
			if u := v[fMediaURL+i]; u != "" {
				r.Media = append(r.Media, Media{URL: u, ContentType: v[fMediaContentType+i]})
			}
		}
	}
	if header != nil {
		r.IdempotencyToken = header.Get(IdempotencyHeader)
		r.HomeRegion = header.Get(HomeRegionHeader)
	}
	if s := (PreviousSession{
		Sid: v[fSessionSid], UniqueName: v[fSessionUniqueName], Status: v[fSessionStatus],
		ClosedReason: v[fSessionClosedReason], Mode: autocreate.Mode(v[fSessionMode]),
		DateCreated: date(v[fSessionDateCreated]), DateUpdated: date(v[fSessionDateUpdated]),
		DateStarted: date(v[fSessionDateStarted]), DateEnded: date(v[fSessionDateEnded]),
		DateLastInteraction: date(v[fSessionDateLastInteraction]),
	}); s.Sid != "" || s.Status != "" || s.UniqueName != "" {
		r.PreviousSession = &s
	}
	r.Inbound = v.participant(fInbound)
	r.Outbound = v.participant(fOutbound)
	return r
}

// participant is the Participant whose four fields start at index at; nil
// when all are empty.
func (v *fieldValues) participant(at int) *Participant {
	p := Participant{Sid: v[at], Identifier: v[at+1], ProxyIdentifier: v[at+2], FriendlyName: v[at+3]}
	if p == (Participant{}) {
		return nil
	}
	return &p
}

// date parses an ISO 8601 date as Proxy sends it; zero when empty or malformed.
func date(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// ReasonKind says, as far as the payload shows, why an interaction is out of session.
type ReasonKind string

// The reasons an interaction reaches the out-of-session callback.
const (
	// NoPreviousSession: Proxy sent no previous Session; the sender never
	// had one on this Proxy number, or it was deleted (90 days after closing).
	NoPreviousSession ReasonKind = "no-previous-session"
	// SessionClosed: the previous Session is closed (by the API, ttl or dateExpiry).
	SessionClosed ReasonKind = "session-closed"
	// SessionFailed: the previous Session failed.
	SessionFailed ReasonKind = "session-failed"
	// OtherProxyNumber: the previous Session is still open, but the sender
	// reached a Proxy number other than the one they were given.
	OtherProxyNumber ReasonKind = "other-proxy-number"
	// UnknownReason: a previous Session is known but its status does not say why.
	UnknownReason ReasonKind = "unknown"
)

// Reason is why an interaction is out of session.
type Reason struct {
	Kind ReasonKind // one of the reasons below
	// Detail is the previous Session's closedReason for SessionClosed, the
	// proxy number the sender was given for OtherProxyNumber, else "".
	Detail string
}

// OutOfSessionReason says, as far as the payload shows, why the interaction
// reached the out-of-session callback.
func (r *Request) OutOfSessionReason() Reason {
	prev := r.PreviousSession
	if prev == nil {
		return Reason{Kind: NoPreviousSession}
	}
	switch prev.Status {
	case "closed":
		return Reason{Kind: SessionClosed, Detail: prev.ClosedReason}
	case "failed":
		return Reason{Kind: SessionFailed, Detail: prev.ClosedReason}
	case "open", "in-progress":
		if r.Inbound != nil && r.Inbound.ProxyIdentifier != "" && r.Inbound.ProxyIdentifier != r.To {
			return Reason{Kind: OtherProxyNumber, Detail: r.Inbound.ProxyIdentifier}
		}
	}
	if !prev.DateEnded.IsZero() {
		return Reason{Kind: SessionClosed, Detail: prev.ClosedReason}
	}
	return Reason{Kind: UnknownReason}
}
