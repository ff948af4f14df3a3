package autocreate

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/oosc-dev/oosc"
)

// Validate checks the Session's values on their own: a participantIdentifier
// that is set and is E.164 or a channel address; a proxy identifier of the
// same form; a known mode; a non-negative ttl (written in whole seconds,
// rounded up); a dateExpiry after now (now is the clock; nil means
// time.Now); a uniqueName of at most 191 characters. It warns about a
// uniqueName holding a phone number and about setting both ttl and
// dateExpiry.
func (s Session) Validate(now func() time.Time) oosc.Report {
	return s.ValidateFor(oosc.Inbound{}, now)
}

// ValidateFor checks the Session as [Session.Validate] does and against the
// inbound interaction it answers (only its Channel and From are used): the
// participant must not be the sender, and the mode must carry the
// interaction (a call needs voice, a message needs messages). Each problem
// carries the Twilio code Proxy would log for it.
func (s Session) ValidateFor(in oosc.Inbound, now func() time.Time) oosc.Report {
	var r report
	s.check(&r, in, now)
	return r.done()
}

// ValidateBytes parses doc strictly and, if it parses, validates the Session
// for the inbound interaction as [Session.ValidateFor] does: the whole
// judgement of an auto-create answer.
func ValidateBytes(doc []byte, in oosc.Inbound, now func() time.Time) (Session, oosc.Report) {
	s, r := parse(doc)
	if r.valid() {
		s.check(&r, in, now)
	}
	return s, r.done()
}

func (s Session) check(r *report, in oosc.Inbound, clock func() time.Time) {
	var partner Identifier
	switch {
	case s.ParticipantIdentifier == "":
		if !r.Has(RuleMissingField) && !r.Has(RuleEmptyField) {
			r.errorf(RuleMissingField, FieldParticipantIdentifier, "participantIdentifier is required: the address of the participant to connect the sender with")
		}
	default:
		id, err := ParseIdentifier(s.ParticipantIdentifier)
		if err != nil {
			r.codef(oosc.CodeParticipantIdentifierBad, RuleInvalidIdentifier, FieldParticipantIdentifier, "%s", trimSentinel(err))
		}
		partner = id
	}
	if s.ParticipantProxyIdentifier != "" {
		if _, err := ParseIdentifier(s.ParticipantProxyIdentifier); err != nil {
			r.errorf(RuleInvalidIdentifier, FieldParticipantProxyIdentifier, "%s", trimSentinel(err))
		}
	}
	if s.Mode != "" && !s.Mode.Valid() {
		r.errorf(RuleInvalidMode, FieldMode, "mode %q is not allowed; use message-only, voice-only or voice-and-message", clip(string(s.Mode)))
	}
	if s.TTL < 0 {
		r.errorf(RuleInvalidTTL, FieldTTL, "ttl %v is negative; use 0 (or leave it out) for no expiry by inactivity", s.TTL)
	}
	if !s.DateExpiry.IsZero() {
		if y := s.DateExpiry.UTC().Year(); y < 1 || y > 9999 {
			r.errorf(RuleInvalidDate, FieldDateExpiry, "dateExpiry is outside the years 1 to 9999")
		} else if now := timeOf(clock); !s.DateExpiry.After(now) {
			r.codef(oosc.CodeParameterValidation, RuleDateNotFuture, FieldDateExpiry, "dateExpiry %s is not in the future (now is %s); Proxy refuses to create an expired Session",
				s.DateExpiry.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		}
		if s.TTL > 0 {
			r.warnf(RuleTTLAndExpiry, FieldTTL, "both ttl and dateExpiry are set; dateExpiry wins and ttl is ignored")
		}
	}
	if n := utf8.RuneCountInString(s.UniqueName); n > MaxUniqueNameLength {
		r.codef(oosc.CodeParameterValidation, RuleTooLong, FieldUniqueName, "uniqueName is %d characters; at most %d are allowed", n, MaxUniqueNameLength)
	}
	if containsPhoneNumber(s.UniqueName) {
		r.warnf(RulePII, FieldUniqueName, "uniqueName looks like it holds a phone number; Proxy asks for no personal data in it")
	}
	if partner.Kind == ChannelAddress {
		switch s.Mode {
		case MessageOnly:
		case "":
			r.warnf(RuleModeUnset, FieldMode, "participantIdentifier %q is a channel address, which Proxy allows only in message-only Sessions (error 80616); set mode to message-only", clip(s.ParticipantIdentifier))
		default:
			r.codef(oosc.CodeIdentifierTypeForMode, RuleAddressNeedsMessaging, FieldMode, "participantIdentifier %q is a channel address, which Proxy allows only in message-only Sessions, not %s", clip(s.ParticipantIdentifier), s.Mode)
		}
	}
	if in.From != "" && s.ParticipantIdentifier == in.From {
		r.codef(oosc.CodeParticipantAlreadyInSession, RuleSenderAsParticipant, FieldParticipantIdentifier, "participantIdentifier %s is the sender; name the other participant", clip(in.From))
	}
	if s.Mode.Valid() {
		switch in.Channel {
		case oosc.Voice:
			if !s.Mode.Voice() {
				r.codef(oosc.CodeCallToMessageOnlySession, RuleModeChannel, FieldMode, "mode %s cannot carry the inbound call; use voice-only or voice-and-message", s.Mode)
			}
		case oosc.SMS:
			if !s.Mode.Messages() {
				r.codef(oosc.CodeMessageToVoiceOnlySession, RuleModeChannel, FieldMode, "mode %s cannot carry the inbound message; use message-only or voice-and-message", s.Mode)
			}
		}
	}
}

// timeOf reads the clock, time.Now when it is nil.
func timeOf(clock func() time.Time) time.Time {
	if clock == nil {
		return time.Now()
	}
	return clock()
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
