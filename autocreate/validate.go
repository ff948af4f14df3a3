package autocreate

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/oosc-dev/oosc/twiml"
)

// Inbound is what a validation knows of the interaction being answered.
// Its zero value knows nothing, and the checks that need it are skipped.
type Inbound struct {
	// From is the sender: the caller's number or the message's From.
	From string
	// Channel is twiml.Voice for a call, twiml.Messaging for a message.
	Channel twiml.Channel
}

// Validate checks the Session's values on their own: a participantIdentifier
// that is set and is E.164 or a channel address; a proxy identifier of the
// same form; a known mode; a non-negative ttl (written in whole seconds,
// rounded up); a dateExpiry after now
// (the zero now means time.Now()); a uniqueName of at most 191 characters.
// It warns about a uniqueName holding a phone number and about setting both
// ttl and dateExpiry.
func (s Session) Validate(now time.Time) Report {
	return s.ValidateFor(Inbound{}, now)
}

// ValidateFor checks the Session as [Session.Validate] does and against the
// inbound interaction: the participant must not be the sender, and the mode
// must carry the interaction (a call needs voice, a message needs messages).
func (s Session) ValidateFor(in Inbound, now time.Time) Report {
	var r Report
	s.check(&r, in, now)
	return r
}

// ValidateBytes parses doc strictly and, if it parses, validates the Session
// for the inbound interaction: the whole judgement of an auto-create answer.
func ValidateBytes(doc []byte, in Inbound, now time.Time) (Session, Report) {
	s, r := parse(doc)
	if r.Valid() {
		s.check(&r, in, now)
	}
	return s, r
}

func (s Session) check(r *Report, in Inbound, now time.Time) {
	if now.IsZero() {
		now = time.Now()
	}
	var partner Identifier
	switch {
	case s.ParticipantIdentifier == "":
		if !r.Has(CodeMissingField) && !r.Has(CodeEmptyField) {
			r.errorf(CodeMissingField, FieldParticipantIdentifier, "participantIdentifier is required: the address of the participant to connect the sender with")
		}
	default:
		id, err := ParseIdentifier(s.ParticipantIdentifier)
		if err != nil {
			r.errorf(CodeInvalidIdentifier, FieldParticipantIdentifier, "%s (80404)", trimSentinel(err))
		}
		partner = id
	}
	if s.ParticipantProxyIdentifier != "" {
		if _, err := ParseIdentifier(s.ParticipantProxyIdentifier); err != nil {
			r.errorf(CodeInvalidIdentifier, FieldParticipantProxyIdentifier, "%s", trimSentinel(err))
		}
	}
	if s.Mode != "" && !s.Mode.Valid() {
		r.errorf(CodeInvalidMode, FieldMode, "mode %q is not allowed; use message-only, voice-only or voice-and-message", clip(string(s.Mode)))
	}
	if s.TTL < 0 {
		r.errorf(CodeInvalidTTL, FieldTTL, "ttl %v is negative; use 0 (or leave it out) for no expiry by inactivity", s.TTL)
	}
	if !s.DateExpiry.IsZero() {
		if y := s.DateExpiry.UTC().Year(); y < 1 || y > 9999 {
			r.errorf(CodeInvalidDate, FieldDateExpiry, "dateExpiry is outside the years 1 to 9999")
		} else if !s.DateExpiry.After(now) {
			r.errorf(CodeDateNotFuture, FieldDateExpiry, "dateExpiry %s is not in the future (now is %s); Proxy refuses to create an expired Session",
				s.DateExpiry.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		}
		if s.TTL > 0 {
			r.warnf(CodeTTLAndExpiry, FieldTTL, "both ttl and dateExpiry are set; dateExpiry wins and ttl is ignored")
		}
	}
	if n := utf8.RuneCountInString(s.UniqueName); n > MaxUniqueNameLength {
		r.errorf(CodeTooLong, FieldUniqueName, "uniqueName is %d characters; at most %d are allowed", n, MaxUniqueNameLength)
	}
	if containsPhoneNumber(s.UniqueName) {
		r.warnf(CodePII, FieldUniqueName, "uniqueName looks like it holds a phone number; Proxy asks for no personal data in it")
	}
	if partner.Kind == ChannelAddress {
		switch s.Mode {
		case MessageOnly:
		case "":
			r.warnf(CodeModeUnset, FieldMode, "participantIdentifier %q is a channel address, which Proxy allows only in message-only Sessions (80616); set mode to message-only", clip(s.ParticipantIdentifier))
		default:
			r.errorf(CodeAddressMode, FieldMode, "participantIdentifier %q is a channel address, which Proxy allows only in message-only Sessions (80616), not %s", clip(s.ParticipantIdentifier), s.Mode)
		}
	}
	if in.From != "" && s.ParticipantIdentifier == in.From {
		r.errorf(CodeSenderAsPartner, FieldParticipantIdentifier, "participantIdentifier %s is the sender; name the other participant", clip(in.From))
	}
	if s.Mode.Valid() {
		switch in.Channel {
		case twiml.Voice:
			if !s.Mode.Voice() {
				r.errorf(CodeModeChannel, FieldMode, "mode %s cannot carry the inbound call; use voice-only or voice-and-message (80911)", s.Mode)
			}
		case twiml.Messaging:
			if !s.Mode.Messages() {
				r.errorf(CodeModeChannel, FieldMode, "mode %s cannot carry the inbound message; use message-only or voice-and-message (80910)", s.Mode)
			}
		}
	}
}

// trimSentinel drops the package prefix of ErrInvalidIdentifier's text.
func trimSentinel(err error) string {
	const prefix = "autocreate: invalid identifier: "
	msg := err.Error()
	if len(msg) > len(prefix) && msg[:len(prefix)] == prefix {
		return "invalid identifier: " + msg[len(prefix):]
	}
	return msg
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// clip shortens s for a message.
func clip(s string) string {
	const max = 60
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max]) + "…"
}
