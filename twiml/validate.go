package twiml

import (
	"errors"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/twiml/internal/check"
)

// ContentType is the media type of a TwiML answer, exactly as Proxy
// requires it for the out-of-session callback.
const ContentType = "application/xml"

// MaxDocumentBytes is the largest TwiML body Twilio accepts (error 11750
// is documented as "64 kB"; whether that is 64,000 or 65,536 bytes is not
// confirmed, so the smaller is used).
const MaxDocumentBytes = check.MaxBytes

// ErrBuild is matched by the errors of a builder whose input cannot be
// written as well-formed TwiML (an [Attr] whose name is not an XML name, or
// that repeats another attribute of its element).
var ErrBuild = errors.New("twiml: cannot build document")

// Validator validates TwiML documents. Its zero value is ready to use and
// validates in strict mode with the [MaxDocumentBytes] limit.
type Validator struct {
	// Lenient turns problems Twilio only warns about (12200 schema
	// warnings, 13xxx/14xxx value warnings) into warnings. Problems that
	// make Twilio refuse the document (parse failure, wrong root, size) and
	// verbs of the other channel stay errors. Default: false (strict).
	Lenient bool
	// MaxBytes is the size limit of a document. Default (0): MaxDocumentBytes.
	MaxBytes int
}

// Validate validates doc, a TwiML document as bytes, for channel ch in
// strict mode. It is Validator{}.Validate.
func Validate(doc []byte, ch oosc.Channel) oosc.Report { return Validator{}.Validate(doc, ch) }

// Validate validates doc, a TwiML document as bytes, for channel ch.
// Besides the schema it checks what an XML parser lets through: bytes
// before the XML declaration and the declaration itself, UTF-8, mismatched
// or unclosed tags, duplicate attributes, character references, anything
// after the root element, directives, and the size limit. A document over
// the limit gets that one problem: Twilio refuses it whatever else is
// wrong, so it is not parsed.
func (v Validator) Validate(doc []byte, ch oosc.Channel) oosc.Report {
	return check.Bytes(doc, ch, check.Options{Lenient: v.Lenient, MaxBytes: v.MaxBytes})
}
