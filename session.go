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

// ClosedReason is why a Session closed, as Twilio's Session resource
// (closed_reason) and the out-of-session callback's sessionClosedReason
// parameter give it. Twilio documents the value "api" only; other values
// pass through as they come.
type ClosedReason string

// The closed reasons oosc writes and reads.
const (
	// ClosedByAPI: closed through the REST API (Status=closed), the value
	// Twilio documents.
	ClosedByAPI ClosedReason = "api"
	// ClosedByExpiry: closed at its ttl or dateExpiry. Twilio documents no
	// value for an expiry; "expired" is the emulator's, and the one
	// callback.Request.Cause reads as oosc.CauseSessionExpired.
	ClosedByExpiry ClosedReason = "expired"
)
