package autocreate

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// ContentType is the media type Proxy requires for an auto-create answer.
const ContentType = "application/json"

// MaxUniqueNameLength is the longest uniqueName Proxy accepts.
const MaxUniqueNameLength = 191

// Mode is the kind of traffic a Session carries.
type Mode string

// The Session modes.
const (
	MessageOnly     Mode = "message-only"
	VoiceOnly       Mode = "voice-only"
	VoiceAndMessage Mode = "voice-and-message"
)

// Valid reports whether m is one of the three modes.
func (m Mode) Valid() bool { return m == MessageOnly || m == VoiceOnly || m == VoiceAndMessage }

// Voice reports whether a Session of mode m carries calls.
func (m Mode) Voice() bool { return m == VoiceOnly || m == VoiceAndMessage }

// Messages reports whether a Session of mode m carries messages.
func (m Mode) Messages() bool { return m == MessageOnly || m == VoiceAndMessage }

// Session is an auto-create session answer. The zero value of each field
// means "not set" and is left out of the JSON.
type Session struct {
	// UniqueName names the Session, at most 191 characters, unique in the
	// Service. Proxy asks for no personal data in it.
	UniqueName string
	// Mode is the kind of traffic; if unset, Proxy picks it from the Participants.
	Mode Mode
	// TTL is how long the Session lives after its last interaction. It is
	// written as whole seconds, rounded up, so that a positive TTL such as
	// time.Until(t) never becomes 0 (no expiry). A negative TTL is invalid
	// and cannot be marshalled.
	TTL time.Duration
	// DateExpiry is when the Session ends; written in RFC 3339, UTC. It wins
	// over TTL when both are set.
	DateExpiry time.Time
	// ParticipantIdentifier is the real address of the second Participant
	// (E.164 or a channel address). Required.
	ParticipantIdentifier string
	// ParticipantProxyIdentifier is the proxy number the second Participant
	// is given; if unset, Proxy picks a non-reserved number from the pool.
	ParticipantProxyIdentifier string
}

// Field names on the wire, in the order they are written.
const (
	FieldUniqueName                 = "uniqueName"
	FieldMode                       = "mode"
	FieldTTL                        = "ttl"
	FieldDateExpiry                 = "dateExpiry"
	FieldParticipantIdentifier      = "participantIdentifier"
	FieldParticipantProxyIdentifier = "participantProxyIdentifier"
)

// fieldNames are the field names in the order they are written.
var fieldNames = [...]string{FieldUniqueName, FieldMode, FieldTTL, FieldDateExpiry, FieldParticipantIdentifier, FieldParticipantProxyIdentifier}

// FieldNames returns the six field names in the order they are written,
// in a new slice each call.
func FieldNames() []string { return append([]string(nil), fieldNames[:]...) }

// MarshalJSON writes the set fields in the documented order, the TTL in
// whole seconds rounded up. It fails for a negative TTL and for a
// dateExpiry outside the years 1 to 9999.
func (s Session) MarshalJSON() ([]byte, error) {
	if s.TTL < 0 {
		return nil, fmt.Errorf("%w: ttl %v is negative", ErrMarshal, s.TTL)
	}
	var expiry string
	if !s.DateExpiry.IsZero() {
		if y := s.DateExpiry.UTC().Year(); y < 1 || y > 9999 {
			return nil, fmt.Errorf("%w: dateExpiry year %d cannot be written in RFC 3339", ErrMarshal, y)
		}
		expiry = s.DateExpiry.UTC().Format(time.RFC3339Nano)
	}
	// One allocation: the field names need no escaping, and the values
	// are escaped as they are appended.
	b := make([]byte, 0, 96+len(s.UniqueName)+len(expiry)+len(s.ParticipantIdentifier)+len(s.ParticipantProxyIdentifier))
	b = append(b, '{')
	str := func(b []byte, name, v string) []byte {
		if v == "" {
			return b
		}
		b = appendName(b, name)
		return appendQuoted(b, v)
	}
	b = str(b, FieldUniqueName, s.UniqueName)
	b = str(b, FieldMode, string(s.Mode))
	if s.TTL > 0 {
		b = appendName(b, FieldTTL)
		b = strconv.AppendInt(b, ttlSeconds(s.TTL), 10)
	}
	b = str(b, FieldDateExpiry, expiry)
	b = str(b, FieldParticipantIdentifier, s.ParticipantIdentifier)
	b = str(b, FieldParticipantProxyIdentifier, s.ParticipantProxyIdentifier)
	return append(b, '}'), nil
}

// appendName appends "name": after a comma unless it is the first field.
// The field names are ASCII letters: nothing to escape.
func appendName(b []byte, name string) []byte {
	if len(b) > 1 {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, name...)
	return append(b, '"', ':')
}

// ttlSeconds returns d in whole seconds, rounded up.
func ttlSeconds(d time.Duration) int64 {
	secs := int64(d / time.Second)
	if d%time.Second > 0 {
		secs++
	}
	return secs
}

// appendQuoted appends v as a JSON string, escaped exactly as
// encoding/json escapes it.
func appendQuoted(b []byte, v string) []byte {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(v) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, v...)
	return append(b, '"')
}

// UnmarshalJSON parses strictly, as [Parse] does.
func (s *Session) UnmarshalJSON(data []byte) error {
	v, err := Parse(data)
	if err != nil {
		return err
	}
	*s = v
	return nil
}
