package twiml

import (
	"errors"
	"fmt"
	"strings"
)

// Errors returned by this package. Match them with [errors.Is].
var (
	// ErrInvalid is matched by every [*ValidationError].
	ErrInvalid = errors.New("twiml: invalid document")
	// ErrUnknownChannel is returned for a channel other than Voice and Messaging.
	ErrUnknownChannel = errors.New("twiml: unknown channel")
	// ErrBuild is matched by errors from a builder whose input cannot be
	// written as well-formed TwiML (for example an [Attr] with an invalid name).
	ErrBuild = errors.New("twiml: cannot build document")
)

// ValidationError is the error form of an invalid [Report]. It matches
// [ErrInvalid] with [errors.Is].
type ValidationError struct {
	Channel  Channel   // the channel the document was validated for
	Problems []Problem // the errors, in document order
}

// Error counts the errors and lists up to three.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "twiml: invalid %s document: %d error", e.Channel, len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteByte('s')
	}
	for i, p := range e.Problems {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-3)
			break
		}
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }
