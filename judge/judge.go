package judge

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/twiml"
)

// Kind is the kind of an answer.
type Kind string

// The two kinds of answer Proxy accepts.
const (
	TwiML      Kind = "twiml"       // TwiML, served as application/xml
	AutoCreate Kind = "auto-create" // an auto-create session, served as application/json
)

// Media types of the two kinds of answer, as oosc sends them.
const (
	TwiMLContentType      = twiml.ContentType
	AutoCreateContentType = autocreate.ContentType
)

// Twilio error codes the judge reports.
const (
	ErrUnknownScenario    = 80905 // the answer is neither valid TwiML nor valid auto-create JSON
	ErrCallbackStatus     = 80913 // the callback answered with a status outside 2xx
	ErrParticipantInvalid = 80404 // participantIdentifier is not a valid address
	ErrAlreadyInSession   = 80103 // participantIdentifier is the sender
	ErrAddressNeedsMsg    = 80616 // a channel address outside a message-only Session
	ErrSessionInvalid     = 80701 // a Session that cannot be created (uniqueName, dateExpiry)
	ErrMessageToVoiceOnly = 80910 // a message into a voice-only Session
	ErrCallToMessageOnly  = 80911 // a call into a message-only Session
	ErrTwiMLTooLarge      = 11750 // TwiML over 64 kB
	ErrTwiMLParse         = 12100 // TwiML that does not parse
	ErrTwiMLRoot          = 12102 // TwiML whose root is not <Response>
	ErrTwiMLSchema        = 12200 // TwiML that parses but breaks the schema
)

// Codes of the problems the judge finds itself; the body's problems keep
// the codes of the twiml and autocreate packages.
const (
	CodeStatus      = "status"       // a status outside 2xx
	CodeContentType = "content-type" // a Content-Type Proxy does not take, or none
)

// Contact is the interaction an answer is for.
type Contact struct {
	// Channel is twiml.Voice for a call and twiml.Messaging for a message.
	// When it is "", TwiML must be valid for one of them and an auto-create
	// mode is not checked against the channel.
	Channel twiml.Channel
	// From is the sender, whom an auto-create session must not name as the
	// participant. "" skips that check.
	From string
}

// Options tune a judgement. The zero value is the default: strict TwiML
// validation, dateExpiry judged against time.Now.
type Options struct {
	// Lenient reports what Twilio only warns about in TwiML (12200, the
	// 13xxx value warnings) as warnings instead of errors.
	Lenient bool
	// Now is the time a dateExpiry must be after. Default: time.Now().
	Now time.Time
}

// Problem is one finding about an answer. It carries the fields of both
// the twiml and the autocreate problems, with the same JSON names.
type Problem struct {
	Severity twiml.Severity `json:"severity"` // error: Proxy refuses the answer; warning: it does not
	// Code is stable: CodeStatus, CodeContentType, or the code of a
	// twiml.Problem or an autocreate.Problem.
	Code string `json:"code"`
	// Channel is the channel a TwiML problem was found for, set only when
	// the contact's channel is unknown and the document failed for both.
	Channel twiml.Channel `json:"channel,omitempty"`
	Path    string        `json:"path,omitempty"`  // TwiML element path, /Response/Gather[1]/Say[2]
	Attr    string        `json:"attr,omitempty"`  // TwiML attribute
	Line    int           `json:"line,omitempty"`  // TwiML line, from 1
	Field   string        `json:"field,omitempty"` // auto-create JSON key
	Message string        `json:"message"`         // what is wrong and, where it helps, what is allowed
	// TwilioError is the Twilio error this problem would cause, 0 when no
	// specific one is known (the answer as a whole then causes 80905).
	TwilioError int `json:"twilioError,omitempty"`
}

// String formats the problem on one line: the channel when set, the
// severity, where (an element path with @attribute and line, or a JSON
// field; nothing for the answer as a whole), the code and the message:
// "error /Response/Say[1]@voise (line 1): unknown-attribute: ...".
func (p Problem) String() string {
	var b strings.Builder
	if p.Channel != "" {
		b.WriteString(string(p.Channel) + ": ")
	}
	b.WriteString(p.Severity.String())
	where := p.Field
	if where == "" {
		where = p.Path
	}
	if p.Attr != "" {
		where += "@" + p.Attr
	}
	if where != "" {
		b.WriteString(" " + where)
	}
	if p.Line > 0 {
		b.WriteString(" (line " + strconv.Itoa(p.Line) + ")")
	}
	b.WriteString(": " + p.Code + ": " + p.Message)
	return b.String()
}

// Verdict is the judgement of one answer.
type Verdict struct {
	// Valid reports whether Proxy accepts the answer: no problem of
	// severity error.
	Valid bool `json:"valid"`
	// Kind is what the answer is, or is taken for; "" when the status
	// alone decided.
	Kind Kind `json:"kind,omitempty"`
	// Channel is the channel a valid TwiML answer is valid for.
	Channel twiml.Channel `json:"channel,omitempty"`
	// TwilioErrors are the errors Proxy would log, ascending; empty when
	// the answer is valid. An invalid answer with a 2xx status always
	// causes 80905; a status outside 2xx causes 80913 alone.
	TwilioErrors []int `json:"twilioErrors"`
	// Problems are the errors and warnings, status and Content-Type first,
	// then the body's in document order.
	Problems []Problem `json:"problems"`
	// Session is the auto-create session the body holds, when it parsed.
	Session *autocreate.Session `json:"-"`
}

// Errors returns the problems of severity error.
func (v Verdict) Errors() []Problem { return v.filter(twiml.Error) }

// Warnings returns the problems of severity warning.
func (v Verdict) Warnings() []Problem { return v.filter(twiml.Warning) }

func (v Verdict) filter(s twiml.Severity) []Problem {
	return slices.DeleteFunc(slices.Clone(v.Problems), func(p Problem) bool { return p.Severity != s })
}

// Has reports whether the verdict holds a problem with code c.
func (v Verdict) Has(code string) bool {
	return slices.ContainsFunc(v.Problems, func(p Problem) bool { return p.Code == code })
}

// Err returns nil for a valid answer, else an [*Error] that matches
// [ErrInvalid].
func (v Verdict) Err() error {
	if v.Valid {
		return nil
	}
	return &Error{Verdict: v}
}

// ErrInvalid is matched by every [*Error]: an answer Proxy does not accept.
var ErrInvalid = errors.New("judge: Proxy would not accept the answer")

// Error is the error form of an invalid [Verdict].
type Error struct {
	Verdict Verdict // the whole verdict, warnings included
}

// Error names the kind and the Twilio errors and lists up to three problems.
func (e *Error) Error() string {
	var b strings.Builder
	kind := string(e.Verdict.Kind)
	if kind == "" {
		kind = "callback"
	}
	fmt.Fprintf(&b, "judge: invalid %s answer", kind)
	if len(e.Verdict.TwilioErrors) > 0 {
		fmt.Fprintf(&b, " (Twilio %s)", joinInts(e.Verdict.TwilioErrors))
	}
	errs := e.Verdict.Errors()
	for i, p := range errs {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(errs)-3)
			break
		}
		b.WriteString("; " + p.String())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *Error) Is(target error) bool { return target == ErrInvalid }

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

// Response judges an HTTP answer to an out-of-session callback as Proxy
// does: a status outside 2xx fails with 80913 whatever the body; then the
// Content-Type must be application/xml (TwiML) or application/json
// (auto-create), compared case-insensitively with parameters tolerated; then
// the body must be valid for the contact. opts may be nil.
func Response(status int, header http.Header, body []byte, c Contact, opts *Options) Verdict {
	if status < 200 || status > 299 {
		v := Verdict{TwilioErrors: []int{ErrCallbackStatus}, Problems: []Problem{}}
		v.Problems = []Problem{{Severity: twiml.Error, Code: CodeStatus, TwilioError: ErrCallbackStatus,
			Message: fmt.Sprintf("status %d is not 2xx; Proxy drops the contact whatever the body (80913)", status)}}
		return v
	}
	var ct string
	if header != nil {
		ct = header.Get("Content-Type")
	}
	if ct == "" {
		return finish(Verdict{Kind: sniff(body), Problems: []Problem{{Severity: twiml.Error, Code: CodeContentType,
			TwilioError: ErrUnknownScenario,
			Message:     "no Content-Type; Proxy needs application/xml (TwiML) or application/json (auto-create) (80905)"}}})
	}
	return judgeBody(ct, true, body, c, opts)
}

// Body judges an answer's body. contentType is the answer's Content-Type,
// judged as [Response] does; when it is "", the kind is told by the body's
// first non-blank byte ({, [ or " for auto-create, anything else for
// TwiML) and no Content-Type problem is reported. opts may be nil.
func Body(contentType string, body []byte, c Contact, opts *Options) Verdict {
	return judgeBody(contentType, contentType != "", body, c, opts)
}

func judgeBody(ct string, ctGiven bool, body []byte, c Contact, opts *Options) Verdict {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	var v Verdict
	refused := false // a Content-Type Proxy refuses: it never reads the body
	if ctGiven {
		var ps []Problem
		v.Kind, ps = ContentType(ct)
		v.Problems = append(v.Problems, ps...)
		refused = v.Kind == ""
	}
	if v.Kind == "" {
		v.Kind = sniff(body)
	}
	n := len(v.Problems)
	switch v.Kind {
	case AutoCreate:
		s, r := autocreate.ValidateBytes(body, autocreate.Inbound{From: c.From, Channel: c.Channel}, o.Now)
		if !r.Has(autocreate.CodeSyntax) && !r.Has(autocreate.CodeNotObject) {
			v.Session = &s
		}
		for _, p := range r.Problems {
			v.Problems = append(v.Problems, Problem{Severity: p.Severity, Code: string(p.Code), Field: p.Field,
				Message: p.Message, TwilioError: autoCreateError(p, c.Channel)})
		}
	default:
		v.Channel, v.Problems = judgeTwiML(body, c.Channel, o.Lenient, v.Problems)
	}
	if refused { // the body's problems are still worth fixing, but cause nothing of their own
		for i := n; i < len(v.Problems); i++ {
			v.Problems[i].TwilioError = 0
		}
	}
	return finish(v)
}

// judgeTwiML validates TwiML for ch or, when ch is "", for each channel,
// keeping the problems of the channel it is valid for, else of both.
func judgeTwiML(body []byte, ch twiml.Channel, lenient bool, prior []Problem) (twiml.Channel, []Problem) {
	val := twiml.Validator{Lenient: lenient}
	convert := func(out []Problem, r twiml.Report, label bool) []Problem {
		for _, p := range r.Problems {
			q := Problem{Severity: p.Severity, Code: string(p.Code), Path: p.Path, Attr: p.Attr, Line: p.Line,
				Message: p.Message, TwilioError: twimlError(p)}
			if label {
				q.Channel = r.Channel
			}
			out = append(out, q)
		}
		return out
	}
	if ch != "" {
		r := val.Validate(body, ch)
		return ch, convert(prior, r, false)
	}
	reports := make([]twiml.Report, 0, 2)
	for _, c := range []twiml.Channel{twiml.Voice, twiml.Messaging} {
		r := val.Validate(body, c)
		if r.Valid() {
			return c, convert(prior, r, false)
		}
		reports = append(reports, r)
	}
	for _, r := range reports {
		prior = convert(prior, r, true)
	}
	return "", prior
}

// finish sets Valid and TwilioErrors from the problems.
func finish(v Verdict) Verdict {
	if v.Problems == nil {
		v.Problems = []Problem{}
	}
	v.Valid = true
	codes := map[int]bool{}
	for _, p := range v.Problems {
		if p.Severity != twiml.Error {
			continue
		}
		v.Valid = false
		if p.TwilioError != 0 {
			codes[p.TwilioError] = true
		}
	}
	v.TwilioErrors = []int{}
	if v.Valid {
		if v.Kind != TwiML {
			v.Channel = ""
		}
		return v
	}
	v.Channel = ""
	codes[ErrUnknownScenario] = true
	for c := range codes {
		v.TwilioErrors = append(v.TwilioErrors, c)
	}
	sort.Ints(v.TwilioErrors)
	return v
}

// ContentType judges an answer's Content-Type as Proxy does and says which
// kind of body it announces ("" when neither). The media type is compared
// case-insensitively; parameters are tolerated, with a warning for those
// whose acceptance no Twilio source confirms.
func ContentType(ct string) (Kind, []Problem) {
	bad := func(format string, args ...any) (Kind, []Problem) {
		return "", []Problem{{Severity: twiml.Error, Code: CodeContentType, TwilioError: ErrUnknownScenario, Message: fmt.Sprintf(format, args...)}}
	}
	warn := func(k Kind, format string, args ...any) (Kind, []Problem) {
		return k, []Problem{{Severity: twiml.Warning, Code: CodeContentType, Message: fmt.Sprintf(format, args...)}}
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return bad("Content-Type %q cannot be parsed; Proxy needs application/xml (TwiML) or application/json (auto-create) (80905)", clip(ct))
	}
	switch mt {
	case "application/json":
		for k, v := range params {
			if k != "charset" || !strings.EqualFold(v, "utf-8") {
				return warn(AutoCreate, "Content-Type %q has parameters other than charset=utf-8; Proxy is documented to accept only that one, send application/json alone", clip(ct))
			}
		}
		return AutoCreate, nil
	case "application/xml":
		if len(params) > 0 {
			return warn(TwiML, "Content-Type %q has parameters; Proxy likely accepts them for TwiML but no source confirms it: send application/xml alone", clip(ct))
		}
		return TwiML, nil
	case "text/xml", "text/html":
		return bad("Content-Type %s: Proxy accepts TwiML only as application/xml, although other Twilio webhooks take %s (80905)", mt, mt)
	}
	return bad("Content-Type %s: Proxy needs application/xml (TwiML) or application/json (auto-create) (80905)", clip(mt))
}

// sniff tells TwiML from JSON by the first non-blank byte.
func sniff(body []byte) Kind {
	b := bytes.TrimLeft(bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	if len(b) > 0 && (b[0] == '{' || b[0] == '[' || b[0] == '"') {
		return AutoCreate
	}
	return TwiML
}

// twimlError is the Twilio error a TwiML problem causes, 0 when unknown.
func twimlError(p twiml.Problem) int {
	if p.Severity != twiml.Error {
		return 0
	}
	switch p.Code {
	case twiml.CodeTooLarge:
		return ErrTwiMLTooLarge
	case twiml.CodeMalformed, twiml.CodeInvalidUTF8, twiml.CodeBeforeDeclaration, twiml.CodeDuplicateAttribute,
		twiml.CodeAfterRoot, twiml.CodeDoctype, twiml.CodeEmpty:
		return ErrTwiMLParse
	case twiml.CodeRoot:
		return ErrTwiMLRoot
	case twiml.CodeUnknownElement, twiml.CodeElementCase, twiml.CodeMisplacedElement, twiml.CodeUnknownAttribute,
		twiml.CodeAttributeCase, twiml.CodeAttributeNotAllowed, twiml.CodeMissingAttribute, twiml.CodeTextNotAllowed:
		return ErrTwiMLSchema
	}
	return 0
}

// autoCreateError is the Twilio error an auto-create problem causes, 0
// when only 80905 is known.
func autoCreateError(p autocreate.Problem, ch twiml.Channel) int {
	if p.Severity != twiml.Error {
		return 0
	}
	switch p.Code {
	case autocreate.CodeInvalidIdentifier:
		if p.Field == autocreate.FieldParticipantIdentifier {
			return ErrParticipantInvalid
		}
	case autocreate.CodeSenderAsPartner:
		return ErrAlreadyInSession
	case autocreate.CodeAddressMode:
		return ErrAddressNeedsMsg
	case autocreate.CodeTooLong, autocreate.CodeDateNotFuture:
		return ErrSessionInvalid
	case autocreate.CodeModeChannel:
		if ch == twiml.Voice {
			return ErrCallToMessageOnly
		}
		return ErrMessageToVoiceOnly
	}
	return 0
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
