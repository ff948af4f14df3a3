package emulator

import (
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

// ErrNotFound is matched by the errors of operations on a Service, phone
// number, Session, Participant or Interaction that does not exist: Twilio's
// 20404.
var ErrNotFound = &Error{Code: oosc.CodeNotFound, Message: "not found"}

// Is makes errors.Is(err, ErrNotFound) true for every 20404 error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t == ErrNotFound && e.Code == oosc.CodeNotFound
}

func notFound(what, name string) *Error {
	return fail(oosc.CodeNotFound, "no %s %q", what, name)
}

// Geography and number selection of a Service, as Twilio names them.
const (
	GeoMatchCountry  = "country"   // the same country calling code (Twilio's default)
	GeoMatchAreaCode = "area-code" // for +1 numbers, the same area code too
	GeoMatchOverlay  = "overlay"   // in Twilio's enum, defined nowhere: matched as country
	GeoMatchRadius   = "radius"    // in Twilio's enum, defined nowhere: matched as country

	PreferSticky = "prefer-sticky" // the number the identifier held most recently, when free (Twilio's default)
	AvoidSticky  = "avoid-sticky"  // a number the identifier has never held, else the one it held least recently
)

// Session statuses.
const (
	StatusOpen       = "open"
	StatusInProgress = "in-progress"
	StatusClosed     = "closed"
)

// Closed reasons: "api" is the one Twilio documents; "expired" is the
// emulator's convention for a Session closed by its ttl or dateExpiry.
const (
	ClosedByAPI    = "api"
	ClosedByExpiry = "expired"
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
	GeoMatchLevel string
	// NumberSelectionBehavior is PreferSticky (default, "") or AvoidSticky.
	NumberSelectionBehavior string
	// ChatInstanceSid is kept and shown, as Twilio does; the emulator has
	// no chat.
	ChatInstanceSid string
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
	// InUse counts the active Sessions that use the number.
	InUse            int
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
	Status          string // open, in-progress or closed
	ClosedReason    string // api or expired, when closed
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
func (s *Session) Active() bool { return s.Status == StatusOpen || s.Status == StatusInProgress }

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
	// Status is the Session's first status: StatusOpen (the default, "")
	// or StatusInProgress; another is 80608.
	Status string
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

// SessionUpdate changes a Session: its status (StatusClosed closes it,
// StatusInProgress reopens a closed one), its ttl and its dateExpiry.
// Nil fields are left as they are.
type SessionUpdate struct {
	Status     string
	TTL        *time.Duration
	DateExpiry *time.Time
	// FailOnParticipantConflict is NewSession's, for a reopen.
	FailOnParticipantConflict bool
}

// Interaction is one routed contact or Message Interaction of a Session.
type Interaction struct {
	Sid                    string // KI...
	SessionSid             string
	Type                   string // message, voice or unknown
	Data                   string // JSON: {"body": ...} for a message
	InboundParticipantSid  string
	InboundResourceSid     string // the CA/SM of the inbound leg
	InboundResourceStatus  string
	OutboundParticipantSid string
	OutboundResourceSid    string
	OutboundResourceStatus string
	Created, Updated       time.Time
}

// Delivery is what a phone received through the emulator: a routed
// contact or a Message Interaction.
type Delivery struct {
	At      time.Time    `json:"at"`
	To      string       `json:"to"`   // the receiving identifier
	From    string       `json:"from"` // the proxy number it is shown from
	Channel oosc.Channel `json:"channel"`
	Body    string       `json:"body,omitempty"`
	Media   []string     `json:"media,omitempty"` // a message's media URLs
	Session string       `json:"session"`         // the Session's SID
}

// Event is a warning or error Proxy would have logged in the Debugger.
type Event struct {
	At      time.Time  `json:"at"`
	Code    oosc.Code  `json:"code"`
	Service string     `json:"service,omitempty"` // KS...
	Session string     `json:"session,omitempty"` // the Session's uniqueName, or SID
	From    string     `json:"from,omitempty"`    // the sender, for a contact
	To      string     `json:"to,omitempty"`      // the Proxy number reached
	Cause   oosc.Cause `json:"cause,omitempty"`   // for a contact that found no Session
	Detail  string     `json:"detail,omitempty"`
	// Explanation and Fix are package debugger's, as for the same event
	// from Twilio's Debugger: what happened in the terms of the five causes
	// of 80905, and what to change.
	Explanation string `json:"explanation,omitempty"`
	Fix         string `json:"fix,omitempty"`
}

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
