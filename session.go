package oosc

// SessionStatus is the status of a Proxy Session, as Twilio's Session
// resource and the out-of-session callback's sessionStatus parameter give
// it (https://www.twilio.com/docs/proxy/api/session).
type SessionStatus string

// The statuses Twilio documents for a Session.
const (
	// SessionOpen: created, with no interaction yet.
	SessionOpen SessionStatus = "open"
	// SessionInProgress: it has carried an interaction, or was reopened.
	SessionInProgress SessionStatus = "in-progress"
	// SessionClosed: closed through the API, or at its ttl or dateExpiry.
	SessionClosed SessionStatus = "closed"
	// SessionFailed and SessionUnknown are documented by Twilio without
	// saying when a Session takes them; neither carries interactions.
	SessionFailed  SessionStatus = "failed"
	SessionUnknown SessionStatus = "unknown"
)

// Active reports whether a Session of this status carries interactions:
// open or in-progress.
func (s SessionStatus) Active() bool { return s == SessionOpen || s == SessionInProgress }
