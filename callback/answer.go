package callback

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/twiml"
)

// TwiMLContentType is the media type Proxy requires for a TwiML answer.
const TwiMLContentType = "application/xml"

// Answer is what a decision function returns: TwiML or an auto-create
// session. Make one with [TwiML], [RawTwiML] or [AutoCreate]. The zero
// Answer is no answer, and the handler falls back.
type Answer struct {
	doc     TwiMLDocument
	raw     []byte
	session *autocreate.Session
}

// TwiMLDocument is a TwiML answer that can be written out, such as a
// [*twiml.VoiceResponse] or a [*twiml.MessagingResponse].
type TwiMLDocument interface {
	Bytes() ([]byte, error)
}

// TwiML answers with a built TwiML document.
func TwiML(doc TwiMLDocument) Answer { return Answer{doc: doc} }

// RawTwiML answers with TwiML as bytes. It is validated like any answer.
func RawTwiML(doc []byte) Answer { return Answer{raw: doc} }

// AutoCreate answers with an auto-create session: Proxy creates a Session
// between the sender and s.ParticipantIdentifier and routes the interaction
// into it.
func AutoCreate(s autocreate.Session) Answer { return Answer{session: &s} }

// IsZero reports whether a is no answer.
func (a Answer) IsZero() bool { return a.doc == nil && a.raw == nil && a.session == nil }

// Kind returns "twiml", "auto-create", or "" for no answer.
func (a Answer) Kind() string {
	switch {
	case a.session != nil:
		return "auto-create"
	case a.doc != nil || a.raw != nil:
		return "twiml"
	}
	return ""
}

// Errors of the decision, each making the handler answer with the fallback.
var (
	ErrDecisionFailed  = errors.New("callback: decision returned an error")
	ErrDecisionPanic   = errors.New("callback: decision panicked")
	ErrDecisionTimeout = errors.New("callback: decision missed its deadline")
	ErrNoAnswer        = errors.New("callback: decision returned no answer")
	ErrUnknownChannel  = errors.New("callback: request is neither a call nor a message")
	ErrInvalidAnswer   = errors.New("callback: answer is invalid")
	ErrClientGone      = errors.New("callback: client went away before the answer")
)

// AnswerError is an answer that failed validation or could not be written.
// It matches [ErrInvalidAnswer]; the reports say what is wrong.
type AnswerError struct {
	Kind       string            // "twiml" or "auto-create"
	Channel    twiml.Channel     // the channel it was validated for
	Err        error             // a build or marshal error, if any
	TwiML      twiml.Report      // the TwiML problems
	AutoCreate autocreate.Report // the auto-create problems
}

func (e *AnswerError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "callback: invalid %s answer for %s", e.Kind, channelName(e.Channel))
	for i, p := range e.Problems() {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems())-3)
			break
		}
		b.WriteString("; " + p)
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalidAnswer) true.
func (e *AnswerError) Is(target error) bool { return target == ErrInvalidAnswer }

// Unwrap returns the build or marshal error.
func (e *AnswerError) Unwrap() error { return e.Err }

// Problems returns the errors found, one line each.
func (e *AnswerError) Problems() []string {
	var out []string
	if e.Err != nil {
		out = append(out, e.Err.Error())
	}
	for _, p := range e.TwiML.Errors() {
		out = append(out, p.String())
	}
	for _, p := range e.AutoCreate.Errors() {
		out = append(out, p.String())
	}
	return out
}

func channelName(ch twiml.Channel) string {
	if ch == "" {
		return "an unknown channel"
	}
	return string(ch)
}

// render writes the answer for the request and validates it: TwiML for the
// request's channel, an auto-create session for its sender and channel. A
// panic while writing (a document whose Bytes panics) is an invalid answer.
func (a Answer) render(req *Request, now time.Time) (contentType string, body []byte, err error) {
	kind := a.Kind()
	defer func() {
		if p := recover(); p != nil {
			contentType, body = "", nil
			err = &AnswerError{Kind: kind, Channel: req.Channel, Err: fmt.Errorf("writing the answer panicked: %v", p)}
		}
	}()
	switch {
	case a.session != nil:
		body, err := a.session.MarshalJSON() // not json.Marshal, which would compact it again
		if err != nil {
			return "", nil, &AnswerError{Kind: kind, Channel: req.Channel, Err: err}
		}
		r := a.session.ValidateFor(autocreate.Inbound{From: req.From, Channel: req.Channel}, now)
		if !r.Valid() {
			return "", nil, &AnswerError{Kind: kind, Channel: req.Channel, AutoCreate: r}
		}
		return autocreate.ContentType, body, nil
	case a.doc != nil:
		return renderDocument(a.doc, req.Channel)
	case a.raw != nil:
		return validTwiML(a.raw, req.Channel)
	}
	return "", nil, ErrNoAnswer
}

// builtDocument is this module's own builders: they write well-formed XML
// by construction, so their tree alone is validated, without parsing the
// bytes again.
type builtDocument interface {
	Bytes() ([]byte, error)
	ValidateFor(twiml.Channel) twiml.Report
}

// renderDocument writes doc and validates it for ch. Only this module's
// builders take the fast path; any other TwiMLDocument is validated as
// bytes, whatever methods it has.
func renderDocument(doc TwiMLDocument, ch twiml.Channel) (string, []byte, error) {
	var built builtDocument
	switch d := doc.(type) {
	case *twiml.VoiceResponse:
		if d == nil {
			return "", nil, &AnswerError{Kind: "twiml", Channel: ch, Err: errNilDocument}
		}
		built = d
	case *twiml.MessagingResponse:
		if d == nil {
			return "", nil, &AnswerError{Kind: "twiml", Channel: ch, Err: errNilDocument}
		}
		built = d
	}
	body, err := doc.Bytes()
	if err != nil {
		return "", nil, &AnswerError{Kind: "twiml", Channel: ch, Err: err}
	}
	if built == nil || len(body) > twiml.MaxDocumentBytes {
		return validTwiML(body, ch)
	}
	if r := built.ValidateFor(ch); !r.Valid() {
		return "", nil, &AnswerError{Kind: "twiml", Channel: ch, TwiML: r}
	}
	return TwiMLContentType, body, nil
}

var errNilDocument = errors.New("the TwiML document is a nil pointer")

// validTwiML validates TwiML bytes for ch.
func validTwiML(body []byte, ch twiml.Channel) (string, []byte, error) {
	if r := twiml.Validate(body, ch); !r.Valid() {
		return "", nil, &AnswerError{Kind: "twiml", Channel: ch, TwiML: r}
	}
	return TwiMLContentType, body, nil
}
