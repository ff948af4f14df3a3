package twiml

import "fmt"

// Channel is the kind of interaction a TwiML document answers.
type Channel string

// The channels of an out-of-session callback.
const (
	// Voice is an inbound call: voice TwiML (<Say>, <Dial>, <Gather>, ...).
	Voice Channel = "voice"
	// Messaging is an inbound SMS, MMS or other message: messaging TwiML
	// (<Message>, <Redirect>).
	Messaging Channel = "messaging"
)

// Channels returns the channels in a fixed order, voice first, in a new
// slice each call.
func Channels() []Channel { return []Channel{Voice, Messaging} }

// ParseChannel returns the channel named s ("voice" or "messaging").
func ParseChannel(s string) (Channel, error) {
	switch Channel(s) {
	case Voice, Messaging:
		return Channel(s), nil
	}
	return "", fmt.Errorf("twiml: unknown channel %q (want voice or messaging): %w", s, ErrUnknownChannel)
}

// Valid reports whether c is one of the known channels.
func (c Channel) Valid() bool { return c == Voice || c == Messaging }

// String returns the channel's name.
func (c Channel) String() string { return string(c) }

func (c Channel) other() Channel {
	if c == Voice {
		return Messaging
	}
	return Voice
}
