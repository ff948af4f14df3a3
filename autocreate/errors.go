package autocreate

import "errors"

// Errors of this package, besides the [*oosc.ValidationError] of an
// invalid document. Match them with [errors.Is].
var (
	// ErrInvalidIdentifier is returned by ParseIdentifier.
	ErrInvalidIdentifier = errors.New("autocreate: invalid identifier")
	// ErrMarshal is returned when a Session cannot be written as JSON.
	ErrMarshal = errors.New("autocreate: cannot marshal session")
)
