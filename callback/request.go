package callback

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/internal/form"
)

// Headers Twilio sends with webhooks that the request exposes. Neither is
// covered by the signature.
const (
	IdempotencyHeader = "I-Twilio-Idempotency-Token"
	HomeRegionHeader  = "X-Home-Region"
)

// Request is an out-of-session callback in typed form. Every field is
// optional: Proxy sends what it knows, and Twilio adds parameters without
// notice. [Request.Form] and [Request.Get] give every parameter as
// received.
type Request struct {
	// Channel is oosc.Voice when CallSid is present, oosc.SMS when
	// MessageSid or SmsSid is, and "" when neither is.
	Channel oosc.Channel

	From, To    string       // the sender and the Proxy number reached
	Body        string       // message text
	NumMedia    int          // from NumMedia; 0 when absent or malformed
	Attachments []Attachment // a message's media, from MediaUrlN and MediaContentTypeN
	CallSid     string       // the call's SID, for a call
	MessageSid  string       // MessageSid, or SmsSid when MessageSid is absent
	AccountSid  string       // the Twilio account

	// PreviousSession is the sender's previous Session, nil when Proxy sent none.
	PreviousSession *PreviousSession
	// InboundParticipant is the sender's Participant in the previous
	// Session and OutboundParticipant the other party, each nil when Proxy
	// sent none.
	InboundParticipant, OutboundParticipant *Participant

	IdempotencyToken string // I-Twilio-Idempotency-Token header
	HomeRegion       string // X-Home-Region header

	fields []form.Field // every parameter as received, in body order
}

// Form returns every parameter as received, including those without a
// field in Request; the values of a repeated name are in the order
// received. Each call makes a new url.Values, which the caller may change.
// (The handler keeps the parameters as a list, and makes no map unless
// asked: that saves about 13% of its time for a text in bench/.)
func (r *Request) Form() url.Values { return valuesOf(r.fields) }

// Get returns the first value of the parameter name, or "" when there is
// none, as url.Values.Get does.
func (r *Request) Get(name string) string {
	for _, f := range r.fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// Attachment is one media file of an MMS.
type Attachment struct {
	URL         string // where Twilio stores the file
	ContentType string // its media type, such as image/jpeg
}

// PreviousSession is what Proxy sends of the sender's previous Session, the
// one that is no longer open (not to be confused with autocreate.Session,
// the answer that creates a new one).
type PreviousSession struct {
	Sid          string             // KC...
	UniqueName   string             // the name the application gave it
	Status       oosc.SessionStatus // as Proxy sent it; "" when absent
	ClosedReason oosc.ClosedReason  // as Proxy sent it: oosc.ClosedByAPI when closed through the REST API
	Mode         autocreate.Mode    // the kind of traffic it carried
	// Dates are zero when absent or malformed; Request.Get gives the raw values.
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
// stay zero, with their raw value in Form. Of a repeated parameter, the
// first value counts, as url.Values.Get gives it.
func ParseRequest(form url.Values, header http.Header) *Request {
	return requestOf(fieldsOf(form), header)
}

// requestOf builds the typed request from the form's fields, in body order.
func requestOf(fields []form.Field, header http.Header) *Request {
	r := &Request{fields: fields}
	var (
		smsSid, numMedia string
		prev             sessionFields
		in, out          Participant
		media            [maxMedia]Attachment
	)
	// Backwards, so that the first value of a repeated name is set last.
	for i := len(fields) - 1; i >= 0; i-- {
		v := fields[i].Value
		switch name := fields[i].Name; name {
		case "From":
			r.From = v
		case "To":
			r.To = v
		case "Body":
			r.Body = v
		case "CallSid":
			r.CallSid = v
		case "MessageSid":
			r.MessageSid = v
		case "SmsSid":
			smsSid = v
		case "AccountSid":
			r.AccountSid = v
		case "NumMedia":
			numMedia = v
		case "sessionSid":
			prev.sid = v
		case "sessionUniqueName":
			prev.uniqueName = v
		case "sessionStatus":
			prev.status = v
		case "sessionClosedReason":
			prev.closedReason = v
		case "sessionMode":
			prev.mode = v
		case "sessionDateCreated":
			prev.created = v
		case "sessionDateUpdated":
			prev.updated = v
		case "sessionDateStarted":
			prev.started = v
		case "sessionDateEnded":
			prev.ended = v
		case "sessionDateLastInteraction":
			prev.lastInteraction = v
		case "inboundParticipantSid":
			in.Sid = v
		case "inboundParticipantIdentifier":
			in.Identifier = v
		case "inboundParticipantProxyIdentifier":
			in.ProxyIdentifier = v
		case "inboundParticipantFriendlyName":
			in.FriendlyName = v
		case "outboundParticipantSid":
			out.Sid = v
		case "outboundParticipantIdentifier":
			out.Identifier = v
		case "outboundParticipantProxyIdentifier":
			out.ProxyIdentifier = v
		case "outboundParticipantFriendlyName":
			out.FriendlyName = v
		default:
			if n, ok := mediaIndex(name, "MediaUrl"); ok {
				media[n].URL = v
			} else if n, ok := mediaIndex(name, "MediaContentType"); ok {
				media[n].ContentType = v
			}
		}
	}
	if r.MessageSid == "" {
		r.MessageSid = smsSid
	}
	switch {
	case r.CallSid != "":
		r.Channel = oosc.Voice
	case r.MessageSid != "":
		r.Channel = oosc.SMS
	}
	if n, err := strconv.Atoi(numMedia); err == nil && n > 0 {
		r.NumMedia = n
		for _, m := range media[:min(n, maxMedia)] {
			if m.URL != "" {
				r.Attachments = append(r.Attachments, m)
			}
		}
	}
	if header != nil {
		r.IdempotencyToken = header.Get(IdempotencyHeader)
		r.HomeRegion = header.Get(HomeRegionHeader)
	}
	if prev.sid != "" || prev.status != "" || prev.uniqueName != "" {
		r.PreviousSession = &PreviousSession{
			Sid: prev.sid, UniqueName: prev.uniqueName, Status: oosc.SessionStatus(prev.status),
			ClosedReason: oosc.ClosedReason(prev.closedReason), Mode: autocreate.Mode(prev.mode),
			DateCreated: date(prev.created), DateUpdated: date(prev.updated),
			DateStarted: date(prev.started), DateEnded: date(prev.ended),
			DateLastInteraction: date(prev.lastInteraction),
		}
	}
	r.InboundParticipant = participant(in)
	r.OutboundParticipant = participant(out)
	return r
}

// maxMedia is the number of attachments Twilio sends at most: MediaUrl0
// to MediaUrl9.
const maxMedia = 10

// mediaIndex returns N of a name prefix+N, N one digit.
func mediaIndex(name, prefix string) (int, bool) {
	if len(name) != len(prefix)+1 || name[:len(prefix)] != prefix {
		return 0, false
	}
	if c := name[len(prefix)]; '0' <= c && c <= '9' {
		return int(c - '0'), true
	}
	return 0, false
}

// sessionFields are the raw values of the previous Session's fields.
type sessionFields struct {
	sid, uniqueName, status, closedReason, mode       string
	created, updated, started, ended, lastInteraction string
}

// participant returns p, or nil when all its fields are empty.
func participant(p Participant) *Participant {
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

// Cause says, as far as the payload shows, why the interaction reached the
// out-of-session callback: no previous Session; a previous Session that
// closed (oosc.CauseSessionExpired when its closedReason says "expired",
// as the emulator writes it; Twilio documents no value for expiry) or
// failed; or a previous Session still open on another Proxy number.
func (r *Request) Cause() oosc.Cause {
	prev := r.PreviousSession
	if prev == nil {
		return oosc.CauseNoPreviousSession
	}
	switch prev.Status {
	case oosc.SessionClosed:
		if prev.ClosedReason == oosc.ClosedByExpiry {
			return oosc.CauseSessionExpired
		}
		return oosc.CauseSessionClosed
	case oosc.SessionFailed:
		return oosc.CauseSessionFailed
	case oosc.SessionOpen, oosc.SessionInProgress:
		if p := r.InboundParticipant; p != nil && p.ProxyIdentifier != "" && p.ProxyIdentifier != r.To {
			return oosc.CauseOtherProxyNumber
		}
	}
	if !prev.DateEnded.IsZero() {
		return oosc.CauseSessionClosed
	}
	return oosc.CauseUnknown
}
