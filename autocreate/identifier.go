package autocreate

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaxIdentifierLength is the longest Participant identifier Proxy accepts.
const MaxIdentifierLength = 191

// IdentifierKind says what kind of address an identifier is.
type IdentifierKind int

const (
	// Phone is an E.164 phone number: + and 2 to 15 digits, no leading zero.
	Phone IdentifierKind = iota + 1
	// ChannelAddress is a non-phone channel address such as
	// whatsapp:+14155550123 or messenger:123456. Proxy allows these only in
	// message-only Sessions (80616).
	ChannelAddress
)

// String returns "phone" or "channel address".
func (k IdentifierKind) String() string {
	switch k {
	case Phone:
		return "phone"
	case ChannelAddress:
		return "channel address"
	}
	return "unknown"
}

// Identifier is a parsed Participant identifier.
type Identifier struct {
	Raw     string         // as given
	Kind    IdentifierKind // Phone or ChannelAddress
	Channel string         // "whatsapp" or "messenger" for a channel address, "" for a phone
	Address string         // the part after "channel:", or the phone number
}

var (
	reMessenger = regexp.MustCompile(`^[0-9A-Za-z._-]+$`)
)

// IsE164 reports whether s is an E.164 phone number: + and 2 to 15 digits,
// the first not zero.
func IsE164(s string) bool {
	if len(s) < 3 || len(s) > 16 || s[0] != '+' || s[1] < '1' || s[1] > '9' {
		return false
	}
	for i := 2; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ParseIdentifier parses a Participant identifier: an E.164 phone number or
// a channel address (whatsapp:+E164, messenger:ID), at most 191 characters.
// The error says what is wrong; it matches [ErrInvalidIdentifier].
func ParseIdentifier(s string) (Identifier, error) {
	id := Identifier{Raw: s}
	switch {
	case s == "":
		return id, fmt.Errorf("%w: empty", ErrInvalidIdentifier)
	case utf8.RuneCountInString(s) > MaxIdentifierLength:
		return id, fmt.Errorf("%w: %d characters, at most %d are allowed", ErrInvalidIdentifier, utf8.RuneCountInString(s), MaxIdentifierLength)
	case IsE164(s):
		id.Kind, id.Address = Phone, s
		return id, nil
	}
	channel, addr, ok := strings.Cut(s, ":")
	if !ok {
		if strings.TrimLeft(s, "+0123456789 ()-.") == "" {
			return id, fmt.Errorf("%w: %q is not E.164; write + and the country code, digits only, such as +14155550123", ErrInvalidIdentifier, s)
		}
		return id, fmt.Errorf("%w: %q is neither an E.164 number (+14155550123) nor a channel address (whatsapp:+14155550123, messenger:123456)", ErrInvalidIdentifier, s)
	}
	id.Kind, id.Channel, id.Address = ChannelAddress, channel, addr
	switch channel {
	case "whatsapp":
		if !IsE164(addr) {
			return id, fmt.Errorf("%w: %q: a WhatsApp address is whatsapp: and an E.164 number, such as whatsapp:+14155550123", ErrInvalidIdentifier, s)
		}
	case "messenger":
		if !reMessenger.MatchString(addr) {
			return id, fmt.Errorf("%w: %q: a Messenger address is messenger: and a page-scoped ID, such as messenger:123456", ErrInvalidIdentifier, s)
		}
	default:
		return id, fmt.Errorf("%w: %q: unknown channel %q; use an E.164 number, whatsapp:+E164 or messenger:ID", ErrInvalidIdentifier, s, channel)
	}
	return id, nil
}

// containsPhoneNumber reports whether s holds something that looks like a
// phone number: 7 or more digits in a row, single separators ( ).- allowed
// between them.
func containsPhoneNumber(s string) bool {
	run, sep := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			run++
			sep = false
			if run >= 7 {
				return true
			}
		case !sep && run > 0 && (c == ' ' || c == '(' || c == ')' || c == '.' || c == '-'):
			sep = true
		default:
			run, sep = 0, false
		}
	}
	return false
}
