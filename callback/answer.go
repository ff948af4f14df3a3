package callback

import (
	"errors"
	"fmt"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/judge"
	"github.com/oosc-dev/oosc/twiml"
)

// Answer is what a decision function returns: TwiML or an auto-create
// session. Make one with [TwiML], [RawTwiML] or [AutoCreate]. The zero
// Answer is no answer, and the handler falls back.
type Answer struct {
	doc     TwiMLDocument
	raw     []byte
	session *autocreate.Session
}

// TwiMLDocument is a TwiML answer that can be written out, such as a
// [*twiml.VoiceResponse] or a [*twiml.MessagingResponse]. Only those two
// are trusted to be well-formed; any other implementation is validated as
// bytes like [RawTwiML].
type TwiMLDocument interface {
	Bytes() ([]byte, error)
}

// TwiML answers with a built TwiML document.
func TwiML(doc TwiMLDocument) Answer { return Answer{doc: doc} }

// RawTwiML answers with TwiML as bytes. It is validated like any answer.
func RawTwiML(doc []byte) Answer { return Answer{raw: doc} }

// AutoCreate answers with an auto-create session: Proxy creates a Session
// between the sender and s.ParticipantIdentifier and routes the
// interaction into it.
func AutoCreate(s autocreate.Session) Answer { return Answer{session: &s} }

// IsZero reports whether a is no answer.
func (a Answer) IsZero() bool { return a.doc == nil && a.raw == nil && a.session == nil }

// Kind returns oosc.TwiMLAnswer, oosc.AutoCreateAnswer, or "" for no
// answer.
func (a Answer) Kind() oosc.AnswerKind {
	switch {
	case a.session != nil:
		return oosc.AutoCreateAnswer
	case a.doc != nil || a.raw != nil:
		return oosc.TwiMLAnswer
	}
	return ""
}

// Rendered is an answer written out for one request, as the handler would
// send it, with the judge's verdict on it.
type Rendered struct {
	Kind        oosc.AnswerKind // oosc.TwiMLAnswer or oosc.AutoCreateAnswer
	ContentType string          // application/xml or application/json
	Body        []byte          // the bytes the handler would write
	Verdict     judge.Verdict   // valid, with any warnings
}

// Render writes the answer for req and judges it as the handler does,
// without HTTP: for a unit test of a decision function. now is the clock
// a dateExpiry must be after, as Options.Now is the handler's (nil:
// time.Now). The error is [ErrNoAnswer] for the zero Answer, or an
// [*oosc.ValidationError] saying why the handler would send the fallback
// instead.
func (a Answer) Render(req *Request, now func() time.Time) (Rendered, error) {
	if req == nil {
		req = &Request{}
	}
	ct, body, err := a.render(req, now)
	if err != nil {
		return Rendered{Kind: a.Kind()}, err
	}
	return Rendered{Kind: a.Kind(), ContentType: ct, Body: body, Verdict: judgeBody(ct, body, req, now)}, nil
}

func inbound(req *Request) oosc.Inbound {
	return oosc.Inbound{Channel: req.Channel, From: req.From, To: req.To}
}

func judgeBody(ct string, body []byte, req *Request, now func() time.Time) judge.Verdict {
	return judge.Body(ct, body, inbound(req), &judge.Options{Now: now})
}

// render writes the answer for the request and validates it: TwiML for the
// request's channel, an auto-create session for its sender and channel.
// This module's builders and Sessions are checked as values, without
// parsing their bytes again, when they are what the request's channel
// needs; when that finds a problem, and for every other answer, the judge
// decides on the bytes. A panic while writing (a document whose Bytes
// panics) is an invalid answer.
func (a Answer) render(req *Request, now func() time.Time) (contentType string, body []byte, err error) {
	kind := a.Kind()
	defer func() {
		if p := recover(); p != nil {
			contentType, body = "", nil
			err = unwritten(kind, req, fmt.Errorf("writing the answer panicked: %v", p))
		}
	}()
	switch {
	case a.session != nil:
		body, err := a.session.MarshalJSON() // not json.Marshal, which would compact it again
		if err != nil {
			return "", nil, unwritten(kind, req, err)
		}
		if a.session.ValidateFor(inbound(req), now).Valid() {
			return autocreate.ContentType, body, nil
		}
		return checked(autocreate.ContentType, body, req, now)
	case a.doc != nil:
		return renderDocument(a.doc, req, now)
	case a.raw != nil:
		return checked(twiml.ContentType, a.raw, req, now)
	}
	return "", nil, ErrNoAnswer
}

// renderDocument writes doc and validates it for the request. Only this
// module's builders, answering their own channel, are checked as trees;
// any other TwiMLDocument is judged as bytes, whatever methods it has.
func renderDocument(doc TwiMLDocument, req *Request, now func() time.Time) (string, []byte, error) {
	var tree func() oosc.Report
	switch d := doc.(type) {
	case *twiml.VoiceResponse:
		if d == nil {
			return "", nil, unwritten(oosc.TwiMLAnswer, req, errNilDocument)
		}
		if req.Channel == oosc.Voice {
			tree = d.Validate
		}
	case *twiml.MessagingResponse:
		if d == nil {
			return "", nil, unwritten(oosc.TwiMLAnswer, req, errNilDocument)
		}
		if req.Channel == oosc.SMS {
			tree = d.Validate
		}
	}
	body, err := doc.Bytes()
	if err != nil {
		return "", nil, unwritten(oosc.TwiMLAnswer, req, err)
	}
	if tree != nil && len(body) <= twiml.MaxDocumentBytes && tree().Valid() {
		return twiml.ContentType, body, nil
	}
	return checked(twiml.ContentType, body, req, now)
}

var errNilDocument = errors.New("the TwiML document is a nil pointer")

// checked judges body as Proxy would and returns it, or the reason it
// would be refused.
func checked(ct string, body []byte, req *Request, now func() time.Time) (string, []byte, error) {
	v := judgeBody(ct, body, req, now)
	if !v.Valid() {
		return "", nil, &oosc.ValidationError{Subject: subject(v.Kind, req), Problems: v.Errors()}
	}
	return ct, body, nil
}

// unwritten is the error of an answer that could not be written out at
// all: one problem of the answer as a whole, which Proxy would log as
// 80905 since it would get no valid answer.
func unwritten(kind oosc.AnswerKind, req *Request, err error) error {
	return &oosc.ValidationError{Subject: subject(kind, req), Err: err, Problems: []oosc.Problem{{
		Severity: oosc.SeverityError, Rule: judge.RuleNotWritten, Code: oosc.CodeUnknownScenario, Message: err.Error()}}}
}

// subject names what was judged: "TwiML answer to a call".
func subject(kind oosc.AnswerKind, req *Request) string {
	what := "answer"
	switch kind {
	case oosc.TwiMLAnswer:
		what = "TwiML answer"
	case oosc.AutoCreateAnswer:
		what = "auto-create answer"
	}
	switch req.Channel {
	case oosc.Voice:
		return what + " to a call"
	case oosc.SMS:
		return what + " to a message"
	}
	return what + " to an interaction of unknown channel"
}
