package autocreate

import (
	"fmt"
	"slices"

	"github.com/oosc-dev/oosc/twiml"
)

// Code identifies a kind of problem. Codes are stable: tools may match on them.
type Code string

// Parse problems: the document is not a well-formed auto-create object.
const (
	CodeSyntax         Code = "syntax"          // not JSON, not exactly one value, or trailing data
	CodeNotObject      Code = "not-object"      // a JSON value other than an object
	CodeUnknownField   Code = "unknown-field"   // a key Proxy does not define
	CodeFieldCase      Code = "field-case"      // a known key in another case (ParticipantIdentifier)
	CodeDuplicateField Code = "duplicate-field" // the same key twice
	CodeWrongType      Code = "wrong-type"      // a value of the wrong JSON type (ttl as a string)
	CodeMissingField   Code = "missing-field"   // no participantIdentifier
)

// Value problems: the fields parse but Proxy would refuse them or create a
// Session that cannot carry the interaction.
const (
	CodeEmptyField        Code = "empty-field"           // participantIdentifier present but empty
	CodeInvalidMode       Code = "invalid-mode"          // mode outside the three values
	CodeInvalidTTL        Code = "invalid-ttl"           // a negative or fractional ttl
	CodeInvalidDate       Code = "invalid-date"          // dateExpiry not RFC 3339
	CodeDateNotFuture     Code = "date-not-future"       // dateExpiry not after now
	CodeTooLong           Code = "too-long"              // uniqueName over 191 characters
	CodeInvalidIdentifier Code = "invalid-identifier"    // neither E.164 nor a channel address (80404)
	CodeSenderAsPartner   Code = "sender-as-participant" // participantIdentifier is the sender (From)
	CodeModeChannel       Code = "mode-channel-mismatch" // a mode that cannot carry the inbound call or message (80910, 80911)
	CodeAddressMode       Code = "address-needs-message-only"
)

// Warnings: reported, not rejected.
const (
	CodePII           Code = "pii-in-unique-name"  // uniqueName holds what looks like a phone number
	CodeTTLAndExpiry  Code = "ttl-and-date-expiry" // both set: dateExpiry wins
	CodeModeUnset     Code = "mode-unset"          // a channel address without mode message-only
	CodeMarshal       Code = "not-marshallable"    // a Session value that MarshalJSON refuses
	CodeChannelNeeded Code = "channel-unknown"     // the inbound channel is unknown, so the mode was not checked
)

// Problem is one finding about an auto-create answer.
type Problem struct {
	Severity twiml.Severity `json:"severity"` // error: Proxy would refuse it; warning: it would not
	Code     Code           `json:"code"`     // stable, for tools to match
	// Field is the JSON key the problem is about, "" for the whole document.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"` // what is wrong and what is allowed
}

// String formats the problem on one line: "error ttl: wrong-type: ...".
func (p Problem) String() string {
	field := p.Field
	if field == "" {
		field = "(document)"
	}
	return p.Severity.String() + " " + field + ": " + string(p.Code) + ": " + p.Message
}

// Report is the outcome of a validation.
type Report struct {
	Problems []Problem `json:"problems"` // errors and warnings, in field order
}

// Valid reports whether there are no errors.
func (r Report) Valid() bool {
	for _, p := range r.Problems {
		if p.Severity == twiml.Error {
			return false
		}
	}
	return true
}

// Errors returns the problems of severity Error.
func (r Report) Errors() []Problem { return r.filter(twiml.Error) }

// Warnings returns the problems of severity Warning.
func (r Report) Warnings() []Problem { return r.filter(twiml.Warning) }

func (r Report) filter(s twiml.Severity) []Problem {
	return slices.DeleteFunc(slices.Clone(r.Problems), func(p Problem) bool { return p.Severity != s })
}

// Has reports whether the report holds a problem with code c.
func (r Report) Has(c Code) bool {
	return slices.ContainsFunc(r.Problems, func(p Problem) bool { return p.Code == c })
}

// Err returns nil when valid, else an [*Error] holding the errors.
func (r Report) Err() error {
	if r.Valid() {
		return nil
	}
	return &Error{Problems: r.Errors()}
}

func (r *Report) add(sev twiml.Severity, code Code, field, format string, args ...any) {
	r.Problems = append(r.Problems, Problem{Severity: sev, Code: code, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (r *Report) errorf(code Code, field, format string, args ...any) {
	r.add(twiml.Error, code, field, format, args...)
}

func (r *Report) warnf(code Code, field, format string, args ...any) {
	r.add(twiml.Warning, code, field, format, args...)
}
