package emulator

import (
	"errors"
	"fmt"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
)

// Error is a Twilio error from an emulator operation: the code Proxy
// would answer or log, and what went wrong.
type Error struct {
	Code    oosc.Code
	Message string
}

// Error returns the code, Twilio's title of it, and the message.
func (e *Error) Error() string {
	if title := e.Code.Title(); title != "" {
		return fmt.Sprintf("emulator: %d %s: %s", int(e.Code), title, e.Message)
	}
	return fmt.Sprintf("emulator: %d: %s", int(e.Code), e.Message)
}

func fail(code oosc.Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrNotFound is matched, with errors.Is, by the errors of operations on
// a Service, phone number, Session, Participant or Interaction that does
// not exist: *Error values with Twilio's 20404.
var ErrNotFound = errors.New("emulator: not found")

// Is makes errors.Is(err, ErrNotFound) true for every 20404 error.
func (e *Error) Is(target error) bool {
	return target == ErrNotFound && e.Code == oosc.CodeNotFound
}

func notFound(what, name string) *Error {
	return fail(oosc.CodeNotFound, "no %s %q", what, name)
}

// GeoMatchLevel is how a Service matches a Participant's number to its
// pool's, as Twilio names it; "" is GeoMatchCountry.
type GeoMatchLevel string

// The geography levels.
const (
	GeoMatchCountry  GeoMatchLevel = "country"   // the same country calling code (Twilio's default)
	GeoMatchAreaCode GeoMatchLevel = "area-code" // for +1 numbers, the same area code too
	GeoMatchOverlay  GeoMatchLevel = "overlay"   // in Twilio's enum, defined nowhere: matched as country
	GeoMatchRadius   GeoMatchLevel = "radius"    // in Twilio's enum, defined nowhere: matched as country
)

// NumberSelectionBehavior is how a Service picks a proxy number among
// those that match, as Twilio names it; "" is PreferSticky.
type NumberSelectionBehavior string

// The number selection behaviors.
const (
	PreferSticky NumberSelectionBehavior = "prefer-sticky" // the number the identifier held most recently, when free (Twilio's default)
	AvoidSticky  NumberSelectionBehavior = "avoid-sticky"  // a number the identifier has never held, else the one it held least recently
)

// Retention is how long Proxy keeps a closed Session before deleting it
// with its Participants and Interactions.
const Retention = 90 * 24 * time.Hour

// DefaultTTL is a Session's ttl when neither it nor its Service sets one
// and it has no dateExpiry: 90 days, as Twilio's error page 80904 says
// (the OpenAPI description calls a defaultTtl of 0 unlimited; the
// behaviour page wins).
const DefaultTTL = 90 * 24 * time.Hour

// ServiceConfig is what can be set on a Service.
type ServiceConfig struct {
	UniqueName string // unique among the emulator's Services; "" for none
	// OutOfSessionCallbackURL is called for a contact that finds no
	// Session; "" for none.
	OutOfSessionCallbackURL string
	// InterceptCallbackURL is called before each routed interaction; a
	// 403 blocks it. "" for none.
	InterceptCallbackURL string
	// CallbackURL is told of each Interaction's status; "" for none.
	CallbackURL string
	// DefaultTTL is a Session's ttl when it has none; 0: none.
	DefaultTTL time.Duration
	// GeoMatchLevel is GeoMatchCountry (default, ""), GeoMatchAreaCode,
	// GeoMatchOverlay or GeoMatchRadius.
	GeoMatchLevel GeoMatchLevel
	// NumberSelectionBehavior is PreferSticky (default, "") or AvoidSticky.
	NumberSelectionBehavior NumberSelectionBehavior
	// ChatInstanceSid is kept and shown, as Twilio does; the emulator has
	// no chat.
	ChatInstanceSid string
}

// ServiceUpdate changes a Service's configuration, as SessionUpdate
// changes a Session: each field set replaces the configuration's, nil
// fields are left as they are, and an empty string unsets a name or URL.
type ServiceUpdate struct {
	UniqueName              *string
	OutOfSessionCallbackURL *string
	InterceptCallbackURL    *string
	CallbackURL             *string
	DefaultTTL              *time.Duration
	GeoMatchLevel           *GeoMatchLevel
	NumberSelectionBehavior *NumberSelectionBehavior
	ChatInstanceSid         *string
}

// apply returns cfg changed by u.
func (u ServiceUpdate) apply(cfg ServiceConfig) ServiceConfig {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&cfg.UniqueName, u.UniqueName)
	set(&cfg.OutOfSessionCallbackURL, u.OutOfSessionCallbackURL)
	set(&cfg.InterceptCallbackURL, u.InterceptCallbackURL)
	set(&cfg.CallbackURL, u.CallbackURL)
	set(&cfg.ChatInstanceSid, u.ChatInstanceSid)
	if u.DefaultTTL != nil {
		cfg.DefaultTTL = *u.DefaultTTL
	}
	if u.GeoMatchLevel != nil {
		cfg.GeoMatchLevel = *u.GeoMatchLevel
	}
	if u.NumberSelectionBehavior != nil {
		cfg.NumberSelectionBehavior = *u.NumberSelectionBehavior
	}
	return cfg
}

// Service is a Proxy Service, as the emulator shows it.
type Service struct {
	Sid string // KS...
	ServiceConfig
	Created, Updated time.Time
}

// PhoneNumber is a number of a Service's pool: E.164 or a channel address.
type PhoneNumber struct {
	Sid      string // PN..., one per number
	Number   string
	Reserved bool // never chosen automatically; receives contacts and may be given explicitly
	// InUse counts the active Sessions that use the number, once each, as
	// Twilio's in_use does; Participants counts their Participants that
	// hold it (two when both Participants of a Session share it).
	InUse            int
	Participants     int
	Created, Updated time.Time
}

// NewPhoneNumber is a number of the account to add to a Service's pool:
// by Sid, the PN SID of a number of the account (see
// Proxy.AddAccountNumber), or by Number; when both are given they must
// name the same number.
type NewPhoneNumber struct {
	Number   string
	Sid      string
	Reserved bool
}

// Session is a Proxy Session, as the emulator shows it.
type Session struct {
	Sid             string
	ServiceSid      string
	UniqueName      string
	Mode            autocreate.Mode
	TTL             time.Duration
	DateExpiry      time.Time
	Status          oosc.SessionStatus // open, in-progress or closed
	ClosedReason    oosc.ClosedReason  // when closed
	Created         time.Time
	Updated         time.Time
	Started         time.Time
	LastInteraction time.Time
	Ended           time.Time
	Participants    []Participant
}

// Name is the Session's uniqueName, or its SID when it has none.
func (s *Session) Name() string {
	if s.UniqueName != "" {
		return s.UniqueName
	}
	return s.Sid
}

// Active reports whether the Session is open or in progress.
func (s *Session) Active() bool { return s.Status.Active() }

// Participant is a Participant of a Session.
type Participant struct {
	Sid                string
	SessionSid         string
	Identifier         string
	ProxyIdentifier    string
	ProxyIdentifierSid string // the PN SID of ProxyIdentifier
	FriendlyName       string
	Created, Updated   time.Time
	Deleted            time.Time // zero unless removed from its Session
}

// NewSession describes a Session to create.
type NewSession struct {
	UniqueName string
	// Status is the Session's first status: oosc.SessionOpen (the
	// default, "") or oosc.SessionInProgress; another is 80608.
	Status oosc.SessionStatus
	// Mode is message-only, voice-only or voice-and-message; "" lets the
	// emulator choose from the Participants: message-only when any of
	// them is a channel address, else voice-and-message (the emulator's
	// reading of Twilio's "an intelligent choice").
	Mode         autocreate.Mode
	TTL          time.Duration
	DateExpiry   time.Time
	Participants []NewParticipant
	// FailOnParticipantConflict refuses, on an emulator that allows
	// participant conflicts (Options.AllowParticipantConflict), a create
	// that makes an identifier and proxy number pair active in two
	// Sessions, as Twilio's parameter of that name does.
	FailOnParticipantConflict bool
}

// NewParticipant is a Participant to add: ProxyIdentifier "" lets the
// emulator choose a number as Proxy does.
type NewParticipant struct {
	Identifier      string
	ProxyIdentifier string
	FriendlyName    string
	// FailOnParticipantConflict is NewSession's, for AddParticipant.
	FailOnParticipantConflict bool
}

// SessionUpdate changes a Session: its status (oosc.SessionClosed closes
// it, oosc.SessionInProgress reopens a closed one; "" leaves it), its ttl
// and its dateExpiry. Nil fields are left as they are.
type SessionUpdate struct {
	Status     oosc.SessionStatus
	TTL        *time.Duration
	DateExpiry *time.Time
	// FailOnParticipantConflict is NewSession's, for a reopen.
	FailOnParticipantConflict bool
}

// Interaction is one routed contact or Message Interaction of a Session.
type Interaction struct {
	Sid                    string // KI...
	SessionSid             string
	Type                   InteractionType
	Data                   string // JSON: {"body": ...} for a message, {"duration": "N"} for a call once it ends; "" before
	InboundParticipantSid  string
	InboundResourceSid     string // the CA/SM of the inbound leg
	InboundResourceStatus  ResourceStatus
	OutboundParticipantSid string
	OutboundResourceSid    string
	OutboundResourceStatus ResourceStatus
	Created, Updated       time.Time
}

// InteractionType is an Interaction's type, as Twilio's REST API writes
// it (Twilio's third value, unknown, is not one the emulator makes).
type InteractionType string

// The Interaction types.
const (
	InteractionMessage InteractionType = "message"
	InteractionVoice   InteractionType = "voice"
)

// ResourceStatus is the status of an Interaction's leg, its call's or
// message's, from Twilio's Call and Message statuses, as the REST API's
// interaction resource status writes it; "" for a leg the Interaction has
// not (the inbound leg of a Message Interaction). A routed call is
// answered by Proxy (in-progress) while Proxy calls the other Participant
// (initiated), until it ends (completed, see Proxy.EndCall); a message
// was received and is delivered at once.
type ResourceStatus string

// The statuses the emulator gives an Interaction's legs.
const (
	ResourceReceived   ResourceStatus = "received"    // a message that reached Proxy
	ResourceDelivered  ResourceStatus = "delivered"   // a message Proxy delivered to the other Participant
	ResourceInProgress ResourceStatus = "in-progress" // a call Proxy answered
	ResourceInitiated  ResourceStatus = "initiated"   // the call Proxy places to the other Participant
	ResourceCompleted  ResourceStatus = "completed"   // a call that has ended
)

// Delivery is what a phone received through the emulator: a contact
// routed through a Session, a Message Interaction the application sent,
// or what the out-of-session callback's TwiML answer made Proxy send: a
// message, what a caller heard, a call a <Dial> placed (see Source).
type Delivery struct {
	Time    time.Time    `json:"time"`
	To      string       `json:"to"`   // the receiving identifier
	From    string       `json:"from"` // the number it is shown from
	Channel oosc.Channel `json:"channel"`
	// Body is a message's text; of what a caller heard, the text of each
	// <Say>, one a line.
	Body string `json:"body,omitempty"`
	// Media are a message's media URLs; of what a caller heard, the URL of
	// each <Play>.
	Media      []string `json:"media,omitempty"`
	SessionSid string   `json:"sessionSid,omitempty"` // the Session's SID; "" for a TwiML answer's
	ServiceSid string   `json:"serviceSid,omitempty"` // the Service's SID
	Source     Source   `json:"source,omitempty"`
}

// Source is how a delivery came to be.
type Source string

// The sources of a delivery. A delivery restored from a state file
// written before sources were recorded has none ("").
const (
	SourceRouted  Source = "routed"              // a contact routed to the other Participant of its Session
	SourceMessage Source = "message-interaction" // a Message Interaction the application created
	// SourceTwiML is what Proxy carried out of the out-of-session
	// callback's TwiML answer: a <Message> (or <Sms>) sent, to the sender
	// unless it says to whom; of a call, what the caller heard (Channel
	// voice: Body the <Say> texts, Media the <Play> URLs) and each call a
	// <Dial> placed to a number.
	SourceTwiML Source = "twiml"
)

// isSIDShaped reports whether s is prefix and 32 hex digits, in any case:
// a name shaped so could be taken for a SID of that resource.
func isSIDShaped(s, prefix string) bool {
	if len(s) != 34 || s[:2] != prefix {
		return false
	}
	for _, c := range []byte(s[2:]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}
