package twiml

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Severity says whether a problem makes a document invalid.
type Severity int

const (
	// Error makes the document invalid: Twilio refuses it, fails the verb, or
	// (in strict mode) logs a warning for it.
	Error Severity = iota + 1
	// Warning is reported but does not make the document invalid.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "severity(" + strconv.Itoa(int(s)) + ")"
}

// MarshalText writes the severity's name, for JSON output.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name ("error" or "warning"), so that
// JSON written by MarshalText reads back.
func (s *Severity) UnmarshalText(b []byte) error {
	for _, v := range []Severity{Error, Warning} {
		if string(b) == v.String() {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("twiml: unknown severity %q (want error or warning)", b)
}

// Code identifies a kind of problem. Codes are stable: tools may match on them.
type Code string

// Document problems: Twilio refuses the document (12100, 12102, 11750) or
// the answer does not fit the channel (14110, 13803). Always errors.
const (
	CodeTooLarge           Code = "too-large"                  // body over 64,000 bytes (11750)
	CodeInvalidUTF8        Code = "invalid-utf8"               // bytes that are not UTF-8
	CodeMalformed          Code = "malformed-xml"              // not well-formed XML (12100)
	CodeBeforeDeclaration  Code = "content-before-declaration" // bytes before <?xml ...?> (12100)
	CodeDuplicateAttribute Code = "duplicate-attribute"        // the same attribute twice on an element
	CodeAfterRoot          Code = "content-after-root"         // text, elements or a declaration after </Response>
	CodeDoctype            Code = "doctype-not-allowed"        // <!DOCTYPE ...> or another directive
	CodeRoot               Code = "root-not-response"          // root element other than <Response> (12102)
	CodeEmpty              Code = "empty-document"             // no root element
	CodeWrongChannel       Code = "wrong-channel"              // a verb of the other channel (14110, 13803)
	CodeUnknownChannel     Code = "unknown-channel"            // validation asked for an unknown channel
)

// Schema problems: Twilio logs 12200 (schema validation warning) and ignores
// the element or attribute. Errors in strict mode, warnings in lenient mode.
const (
	CodeUnknownElement      Code = "unknown-element"            // an element the channel does not have
	CodeElementCase         Code = "element-case"               // a known element in the wrong case (<say>)
	CodeMisplacedElement    Code = "misplaced-element"          // a known element under a parent that does not allow it
	CodeUnknownAttribute    Code = "unknown-attribute"          // an attribute the element does not have
	CodeAttributeCase       Code = "attribute-case"             // a known attribute in the wrong case (Voice=)
	CodeAttributeNotAllowed Code = "attribute-not-allowed-here" // an attribute the element's parent forbids (<Gather><Play digits>)
	CodeMissingAttribute    Code = "missing-attribute"          // a required attribute is absent
	CodeTextNotAllowed      Code = "text-not-allowed"           // text in an element that takes none
)

// Value problems: Twilio logs a 13xxx/14xxx warning and ignores the value or
// fails the verb. Errors in strict mode, warnings in lenient mode.
const (
	CodeInvalidValue Code = "invalid-value"     // a value outside the attribute's type, enumeration or pattern
	CodeOutOfRange   Code = "out-of-range"      // a number outside the documented range
	CodeTooLong      Code = "too-long"          // text or a value over its length limit
	CodeTooShort     Code = "too-short"         // text or a value under its minimum length
	CodeMissingText  Code = "missing-text"      // an element that needs text has none (13520)
	CodeMixedContent Code = "mixed-content"     // text and child nouns mixed where only one is allowed
	CodeEmptyVerb    Code = "empty-verb"        // a verb with nothing to do (<Dial/>, <Message/>, <Play/>)
	CodeTooMany      Code = "too-many"          // more children than Twilio takes (10 <Message>, 10 <Media>, ...)
	CodeConflict     Code = "conflicting-nouns" // nouns that cannot be combined (<Conference> with <Number>, 13000)
)

// Lint problems: Twilio accepts the document but the answer is probably not
// what was meant. Always warnings.
const (
	CodeUnreachable     Code = "unreachable-verb"         // a verb after <Hangup>, <Reject>, <Redirect>, ...
	CodeNearLimit       Code = "near-limit"               // a length within 10% of its limit
	CodeNotE164         Code = "not-e164"                 // a phone number Twilio accepts but that is not E.164
	CodeDeprecated      Code = "deprecated"               // a deprecated or legacy element or attribute
	CodeRejectNotFirst  Code = "reject-not-first"         // <Reject> after another verb: the call is answered and billed
	CodeBelowSoftMin    Code = "below-documented-minimum" // a value under the documented minimum that Twilio tolerates
	CodeProcInst        Code = "processing-instruction"   // a processing instruction Twilio ignores
	CodeByteOrderMark   Code = "byte-order-mark"          // a UTF-8 BOM, whose acceptance is unconfirmed
	CodeEmptyAttribute  Code = "empty-attribute"          // an attribute present with an empty value
	CodeUnconfirmedForm Code = "unconfirmed-form"         // a form the docs show but whose acceptance is unconfirmed
	CodeEmptyRedirect   Code = "empty-redirect"           // <Redirect/> without a URL: the current document again
	CodeTextBesideMedia Code = "text-beside-media"        // <Message> text beside <Media>, where <Body> is meant
)

type codeClass int

const (
	classDocument codeClass = iota
	classSchema
	classValue
	classLint
)

func (c Code) class() codeClass {
	switch c {
	case CodeUnknownElement, CodeElementCase, CodeMisplacedElement, CodeUnknownAttribute,
		CodeAttributeCase, CodeAttributeNotAllowed, CodeMissingAttribute, CodeTextNotAllowed:
		return classSchema
	case CodeInvalidValue, CodeOutOfRange, CodeTooLong, CodeTooShort, CodeMissingText,
		CodeMixedContent, CodeEmptyVerb, CodeTooMany, CodeConflict:
		return classValue
	case CodeUnreachable, CodeNearLimit, CodeNotE164, CodeDeprecated, CodeRejectNotFirst,
		CodeBelowSoftMin, CodeProcInst, CodeByteOrderMark, CodeEmptyAttribute, CodeUnconfirmedForm,
		CodeEmptyRedirect, CodeTextBesideMedia:
		return classLint
	}
	return classDocument
}

// Problem is one finding of a validation.
type Problem struct {
	Severity Severity `json:"severity"` // error or warning
	Code     Code     `json:"code"`     // stable, for tools to match
	// Path locates the element: "/Response/Gather[1]/Say[2]" (the index
	// counts siblings with the same name, from 1). Empty for problems of the
	// document as a whole.
	Path string `json:"path,omitempty"`
	// Attr names the attribute the problem is about, if any.
	Attr string `json:"attr,omitempty"`
	// Line is the 1-based line of the element in the source bytes, 0 when
	// unknown (a document validated as an etree tree).
	Line int `json:"line,omitempty"`
	// Message says what is wrong and, where it helps, what is allowed.
	Message string `json:"message"`
}

// String formats the problem on one line: "error /Response/Say[1]@voice: invalid-value: ..." where "@voice" names the attribute.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Severity.String())
	b.WriteByte(' ')
	if p.Path == "" {
		b.WriteByte('/')
	} else {
		b.WriteString(p.Path)
	}
	if p.Attr != "" {
		b.WriteByte('@')
		b.WriteString(p.Attr)
	}
	if p.Line > 0 {
		b.WriteString(" (line ")
		b.WriteString(strconv.Itoa(p.Line))
		b.WriteByte(')')
	}
	b.WriteString(": ")
	b.WriteString(string(p.Code))
	b.WriteString(": ")
	b.WriteString(p.Message)
	return b.String()
}

// Report is the outcome of a validation: every problem found, in document order.
type Report struct {
	Channel  Channel   `json:"channel"`  // the channel validated for
	Problems []Problem `json:"problems"` // errors and warnings, in document order
}

// Valid reports whether the document has no errors (warnings allowed).
func (r Report) Valid() bool {
	for _, p := range r.Problems {
		if p.Severity == Error {
			return false
		}
	}
	return true
}

// Errors returns the problems of severity Error.
func (r Report) Errors() []Problem { return r.filter(Error) }

// Warnings returns the problems of severity Warning.
func (r Report) Warnings() []Problem { return r.filter(Warning) }

func (r Report) filter(s Severity) []Problem {
	return slices.DeleteFunc(slices.Clone(r.Problems), func(p Problem) bool { return p.Severity != s })
}

// Has reports whether the report holds a problem with code c.
func (r Report) Has(c Code) bool {
	return slices.ContainsFunc(r.Problems, func(p Problem) bool { return p.Code == c })
}

// Err returns nil when the document is valid, else a [*ValidationError]
// holding the errors.
func (r Report) Err() error {
	if r.Valid() {
		return nil
	}
	return &ValidationError{Channel: r.Channel, Problems: r.Errors()}
}
