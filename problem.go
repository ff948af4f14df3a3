package oosc

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// MaxProblems is how many problems a validator of this module lists. The
// problems past it are counted in one more problem, of rule
// RuleTooManyProblems, so that no input can grow a report without bound.
const MaxProblems = 100

// RuleTooManyProblems is the rule of the problem that counts those past
// MaxProblems: an error when any of them is one.
const RuleTooManyProblems Rule = "too-many-problems"

// Severity says whether a problem makes what was validated invalid.
type Severity int

// The severities.
const (
	// SeverityError makes it invalid: Twilio refuses it, fails the verb,
	// or (in strict validation) logs a warning for it.
	SeverityError Severity = iota + 1
	// SeverityWarning is reported but leaves it valid.
	SeverityWarning
)

// String returns "error" or "warning"; "" for the zero Severity.
func (s Severity) String() string {
	switch s {
	case 0:
		return ""
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	}
	return "severity(" + strconv.Itoa(int(s)) + ")"
}

// ErrUnknownSeverity is returned for a severity other than error and
// warning (and the zero Severity, written "").
var ErrUnknownSeverity = errors.New("oosc: unknown severity")

// MarshalText writes the severity's name, for JSON: "error", "warning", or
// "" for the zero Severity (a zero Problem survives a round trip). Any
// other value is an error matching [ErrUnknownSeverity].
func (s Severity) MarshalText() ([]byte, error) {
	if s < 0 || s > SeverityWarning {
		return nil, fmt.Errorf("%w %d", ErrUnknownSeverity, int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText reads what MarshalText writes: "error", "warning" or "".
// Anything else is an error matching [ErrUnknownSeverity].
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "":
		*s = 0
	case "error":
		*s = SeverityError
	case "warning":
		*s = SeverityWarning
	default:
		return fmt.Errorf("%w %q (want error or warning)", ErrUnknownSeverity, clip(string(b)))
	}
	return nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

// Rule names the rule a problem breaks, such as "unknown-element" or
// "sender-as-participant". Rules are stable: tools may match on them. Each
// package that validates declares its rules as constants (twiml.Rule…,
// autocreate.Rule…, judge.Rule…).
type Rule string

// Problem is one finding of a validation: of a TwiML document, an
// auto-create session, or a whole answer as Proxy receives it.
type Problem struct {
	Severity Severity `json:"severity"`
	Rule     Rule     `json:"rule"`
	// Code is the Twilio error this problem causes, 0 when no specific one
	// is known (an invalid answer as a whole then causes 80905). Message
	// does not repeat it; String names it once.
	Code Code `json:"code,omitempty"`
	// Channel is the channel a TwiML problem was found for, set when a
	// document was judged for both channels because the interaction's was
	// unknown.
	Channel Channel `json:"channel,omitempty"`
	// Path locates a TwiML element, /Response/Gather[1]/Say[2] (the index
	// counts siblings of the same name, from 1); "" for the document as a
	// whole.
	Path string `json:"path,omitempty"`
	Attr string `json:"attr,omitempty"` // the TwiML attribute the problem is about
	Line int    `json:"line,omitempty"` // the TwiML element's line, from 1; 0 when unknown
	// Field is the auto-create JSON key the problem is about.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"` // what is wrong and, where it helps, what is allowed
}

// String formats the problem on one line: the channel when set, the
// severity, where it is (an element path with @attribute and line, or a
// JSON field; "/" for the whole document), the rule, the message and the
// Twilio code: "error /Response/Say[1]@voise (line 1): unknown-attribute:
// ... [12200]".
func (p Problem) String() string {
	var b strings.Builder
	if p.Channel != "" {
		b.WriteString(string(p.Channel) + ": ")
	}
	if sev := p.Severity.String(); sev != "" {
		b.WriteString(sev + " ")
	}
	where := p.Field
	if where == "" {
		where = p.Path
	}
	if p.Attr != "" {
		where += "@" + p.Attr
	}
	if where == "" {
		where = "/"
	}
	b.WriteString(where)
	if p.Line > 0 {
		b.WriteString(" (line " + strconv.Itoa(p.Line) + ")")
	}
	b.WriteString(": " + string(p.Rule) + ": " + p.Message)
	if p.Code != 0 {
		b.WriteString(" [" + strconv.Itoa(int(p.Code)) + "]")
	}
	return b.String()
}

// Report is the outcome of a validation: every problem found, errors and
// warnings, in document order.
type Report struct {
	Problems []Problem `json:"problems"`
}

// Valid reports whether the report holds no error (warnings allowed).
func (r Report) Valid() bool {
	for _, p := range r.Problems {
		if p.Severity == SeverityError {
			return false
		}
	}
	return true
}

// Errors returns the problems of severity error, in a new slice.
func (r Report) Errors() []Problem { return r.filter(SeverityError) }

// Warnings returns the problems of severity warning, in a new slice.
func (r Report) Warnings() []Problem { return r.filter(SeverityWarning) }

func (r Report) filter(s Severity) []Problem {
	return slices.DeleteFunc(slices.Clone(r.Problems), func(p Problem) bool { return p.Severity != s })
}

// Has reports whether the report holds a problem breaking rule.
func (r Report) Has(rule Rule) bool {
	return slices.ContainsFunc(r.Problems, func(p Problem) bool { return p.Rule == rule })
}

// Codes returns the Twilio codes of the errors, ascending, without
// repeats; an empty slice when there are none.
func (r Report) Codes() []Code {
	out := []Code{}
	for _, p := range r.Problems {
		if p.Severity == SeverityError && p.Code != 0 && !slices.Contains(out, p.Code) {
			out = append(out, p.Code)
		}
	}
	slices.Sort(out)
	return out
}

// Err returns nil when the report is valid, else a [*ValidationError]
// holding its errors.
func (r Report) Err() error {
	if r.Valid() {
		return nil
	}
	return &ValidationError{Problems: r.Errors()}
}

// ErrInvalid is matched by every [*ValidationError].
var ErrInvalid = errors.New("oosc: invalid")

// ValidationError is what Proxy would refuse, as an error: a TwiML
// document, an auto-create session, or an answer. It is the one error
// type of every validation in the module, and it matches [ErrInvalid].
type ValidationError struct {
	// Subject says what was validated, such as "auto-create answer to a
	// call"; "" for a plain report's errors.
	Subject string
	// Problems are the errors, in document order.
	Problems []Problem
	// Err is why the subject could not be written out at all (a build or
	// marshal error, a panic), when that is the reason; nil otherwise.
	Err error
}

// Error names the subject, counts the errors and lists up to three.
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("oosc: invalid")
	if e.Subject != "" {
		b.WriteString(" " + e.Subject)
	}
	if e.Err != nil && len(e.Problems) == 0 {
		b.WriteString(": " + e.Err.Error())
		return b.String()
	}
	fmt.Fprintf(&b, ": %d error", len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteByte('s')
	}
	for i, p := range e.Problems {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-3)
			break
		}
		b.WriteString("; " + p.String())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Unwrap returns Err.
func (e *ValidationError) Unwrap() error { return e.Err }
