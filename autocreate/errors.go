package autocreate

import (
	"errors"
	"fmt"
	"strings"
)

// Errors of this package. Match them with [errors.Is].
var (
	// ErrInvalid is matched by every [*Error]: a document or Session that
	// Proxy would not turn into a Session.
	ErrInvalid = errors.New("autocreate: invalid auto-create session")
	// ErrInvalidIdentifier is returned by ParseIdentifier.
	ErrInvalidIdentifier = errors.New("autocreate: invalid identifier")
	// ErrMarshal is returned when a Session cannot be written as JSON.
	ErrMarshal = errors.New("autocreate: cannot marshal session")
)

// Error is an invalid auto-create document or Session. It matches
// [ErrInvalid] with [errors.Is]; Problems says which fields are wrong and why.
type Error struct {
	Problems []Problem // the errors
}

// Error lists up to three problems, each with its field.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("autocreate: invalid auto-create session")
	for i, p := range e.Problems {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-3)
			break
		}
		b.WriteString("; ")
		if p.Field != "" {
			b.WriteString(p.Field + ": ")
		}
		b.WriteString(p.Message)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *Error) Is(target error) bool { return target == ErrInvalid }
