package oosc

import (
	"errors"
	"fmt"
	"strings"
)

// Channel is the kind of an inbound interaction: a call or a message.
type Channel string

// The channels of an out-of-session callback.
const (
	// Voice is an inbound call, answered with voice TwiML.
	Voice Channel = "voice"
	// SMS is an inbound message (SMS, MMS, or a channel such as WhatsApp),
	// answered with messaging TwiML. ParseChannel also accepts "messaging".
	SMS Channel = "sms"
)

// ErrUnknownChannel is returned for a channel other than Voice and SMS.
var ErrUnknownChannel = errors.New("oosc: unknown channel")

// Channels returns the channels in a fixed order, voice first, in a new
// slice each call.
func Channels() []Channel { return []Channel{Voice, SMS} }

// ParseChannel returns the channel named s: "voice", or "sms" and its
// synonym "messaging", in any case. The error matches [ErrUnknownChannel].
func ParseChannel(s string) (Channel, error) {
	switch strings.ToLower(s) {
	case "voice":
		return Voice, nil
	case "sms", "messaging":
		return SMS, nil
	}
	return "", fmt.Errorf("%w %q (want voice or sms)", ErrUnknownChannel, s)
}

// Valid reports whether c is Voice or SMS.
func (c Channel) Valid() bool { return c == Voice || c == SMS }

// String returns the channel's name.
func (c Channel) String() string { return string(c) }

// Inbound is an inbound interaction that reaches a Proxy number: a call,
// or a message with its text and media. Every package that needs to know
// what an answer is for takes it; its zero value knows nothing, and the
// checks that need a field it lacks are skipped.
type Inbound struct {
	Channel Channel  // Voice or SMS; "" when unknown
	From    string   // the sender: E.164, a channel address, or a raw caller ID such as "anonymous"
	To      string   // the Proxy number reached
	Body    string   // a message's text
	Media   []string // a message's media URLs (MMS)
}

// Cause is why an inbound interaction reached the out-of-session callback:
// the sender was in no open Session for the Proxy number they reached.
// Three of the five causes of error 80905 are causes of this kind; the
// other two (no callback configured, an answer Proxy refuses) come after.
type Cause string

// The causes, as far as Proxy's payload (or the emulator's state) shows.
const (
	// CauseNoPreviousSession: the sender never held this Proxy number in a
	// Session, or that Session was deleted (Proxy deletes Sessions 90 days
	// after they close).
	CauseNoPreviousSession Cause = "no-previous-session"
	// CauseSessionClosed: the sender's Session on this number was closed
	// (through the API, or for a reason Proxy does not name).
	CauseSessionClosed Cause = "session-closed"
	// CauseSessionExpired: the sender's Session on this number reached its
	// ttl or dateExpiry.
	CauseSessionExpired Cause = "session-expired"
	// CauseSessionFailed: the sender's Session on this number failed.
	CauseSessionFailed Cause = "session-failed"
	// CauseOtherProxyNumber: the sender is in an open Session, but reached
	// a Proxy number other than the one they were given there.
	CauseOtherProxyNumber Cause = "other-proxy-number"
	// CauseUnknown: a previous Session is known, but nothing says why it
	// no longer carries the interaction.
	CauseUnknown Cause = "unknown"
)

// Describe says in words what the cause means for the sender, for logs and
// explanations.
func (c Cause) Describe() string {
	switch c {
	case CauseNoPreviousSession:
		return "the sender has no Session on this Proxy number (never created, or deleted)"
	case CauseSessionClosed:
		return "the sender's Session on this Proxy number was closed"
	case CauseSessionExpired:
		return "the sender's Session on this Proxy number expired (ttl or dateExpiry)"
	case CauseSessionFailed:
		return "the sender's Session on this Proxy number failed"
	case CauseOtherProxyNumber:
		return "the sender is in an open Session, but dialled a Proxy number other than the one given to them"
	case CauseUnknown:
		return "a previous Session is known, but not why it no longer carries the interaction"
	}
	return "cause " + string(c)
}
