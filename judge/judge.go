package judge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/twiml"
)

// The rules of an answer as a whole; the body's problems keep the rules
// of the twiml and autocreate packages.
const (
	RuleStatus      oosc.Rule = "status"       // a status outside 2xx (80913)
	RuleContentType oosc.Rule = "content-type" // a Content-Type Proxy does not take, or none (80905)
	RuleNotWritten  oosc.Rule = "not-written"  // the answer could not be written out at all (80905)
	// RuleKindSniffed is a note, not a fault: no Content-Type was given, so
	// the kind of the body was told from its first byte.
	RuleKindSniffed oosc.Rule = "kind-sniffed"
)

// Options tune a judgement. The zero value is the default: strict TwiML
// validation, dateExpiry judged against time.Now, an auto-create session
// judged against the interaction.
type Options struct {
	// Lenient reports what Twilio only warns about in TwiML (12200, the
	// 13xxx value warnings) as warnings instead of errors.
	Lenient bool
	// Now is the clock a dateExpiry must be after. Default: time.Now.
	Now func() time.Time
	// DocumentOnly judges an auto-create document on its own terms, as
	// Proxy reads it before it creates the Session: one JSON object, known
	// keys in their case, the right JSON types, a participantIdentifier, a
	// known mode, ttl and dateExpiry in their forms. What Proxy finds only
	// while creating the Session (an identifier's form, a uniqueName's
	// length, a dateExpiry in the past, the sender named as participant, a
	// mode that cannot carry the interaction) is left out: the emulator
	// creates the Session and reports those as Proxy's own codes.
	DocumentOnly bool
}

// Verdict is the judgement of one answer: what it is, what it holds, and
// its problems.
type Verdict struct {
	// Kind is what the answer is, or is taken for; "" when the status
	// alone decided.
	Kind oosc.AnswerKind
	// Channel is the channel a valid TwiML answer is valid for; "" for an
	// invalid answer and for an auto-create session.
	Channel oosc.Channel
	// Session is the auto-create session the body holds, when it parsed.
	Session *autocreate.Session
	// Problems are the answer's problems, errors and warnings: its
	// status, its Content-Type, then its body's (with the rules of
	// packages twiml and autocreate), each with the Twilio code it causes
	// on its own, if any. Never nil in a Verdict of Response or Body.
	Problems []oosc.Problem
}

func (v Verdict) report() oosc.Report { return oosc.Report{Problems: v.Problems} }

// Valid reports whether Proxy accepts the answer: no problem is an error
// (warnings allowed).
func (v Verdict) Valid() bool { return v.report().Valid() }

// Errors returns the problems of severity error, in a new slice.
func (v Verdict) Errors() []oosc.Problem { return v.report().Errors() }

// Warnings returns the problems of severity warning, in a new slice.
func (v Verdict) Warnings() []oosc.Problem { return v.report().Warnings() }

// Has reports whether a problem breaks rule.
func (v Verdict) Has(rule oosc.Rule) bool { return v.report().Has(rule) }

// LoggedCodes returns the Twilio codes Proxy logs for the answer,
// ascending, each once: none for a valid answer; 80913 alone for a status
// outside 2xx or no answer; otherwise the codes of the errors and 80905,
// which every answer Proxy refuses causes. An auto-create Session Proxy
// cannot create gives Proxy's own code beside 80905 ([80103 80905] for the
// sender named as participant). TwiML gives the code Twilio logs for that
// fault in any TwiML answer ([12100 80905] for TwiML that does not parse):
// Twilio does not say whether Proxy logs it beside 80905, so both are
// listed, and an emulator reports the same list. An error without a code
// of its own (a Content-Type Proxy does not take) gives [80905].
func (v Verdict) LoggedCodes() []oosc.Code {
	if v.Valid() {
		return []oosc.Code{}
	}
	codes := v.report().Codes()
	if !slices.Contains(codes, oosc.CodeOutOfSessionCallbackError) && !slices.Contains(codes, oosc.CodeUnknownScenario) {
		codes = append(codes, oosc.CodeUnknownScenario)
		slices.Sort(codes)
	}
	return codes
}

// Err returns nil for a valid answer, else an [*oosc.ValidationError]
// holding its errors, whose subject names the kind of answer.
func (v Verdict) Err() error {
	if v.Valid() {
		return nil
	}
	subject := "answer"
	switch v.Kind {
	case oosc.TwiMLAnswer:
		subject = "TwiML answer"
	case oosc.AutoCreateAnswer:
		subject = "auto-create answer"
	}
	return &oosc.ValidationError{Subject: subject, Problems: v.Errors()}
}

// MarshalJSON writes the verdict with its validity and the codes Proxy
// logs for it ([Verdict.LoggedCodes]): {"valid", "kind", "channel",
// "codes", "problems"}.
func (v Verdict) MarshalJSON() ([]byte, error) {
	problems := v.Problems
	if problems == nil {
		problems = []oosc.Problem{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // an encoder that escapes HTML still does so
	err := enc.Encode(struct {
		Valid    bool            `json:"valid"`
		Kind     oosc.AnswerKind `json:"kind,omitempty"`
		Channel  oosc.Channel    `json:"channel,omitempty"`
		Codes    []oosc.Code     `json:"codes"`
		Problems []oosc.Problem  `json:"problems"`
	}{v.Valid(), v.Kind, v.Channel, v.LoggedCodes(), problems})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

// Response judges an HTTP answer to an out-of-session callback as Proxy
// does: a status outside 2xx fails with 80913 whatever the body (a
// redirect too: Proxy's client is not known to follow one); then the
// Content-Type must be application/xml (TwiML) or application/json
// (auto-create), compared case-insensitively with parameters tolerated;
// then the body must be valid for the interaction in. opts may be nil.
func Response(status int, header http.Header, body []byte, in oosc.Inbound, opts *Options) Verdict {
	if status < 200 || status > 299 {
		return Verdict{Problems: []oosc.Problem{{Severity: oosc.SeverityError, Rule: RuleStatus,
			Code:    oosc.CodeOutOfSessionCallbackError,
			Message: fmt.Sprintf("status %d is not 2xx; Proxy drops the contact whatever the body", status)}}}
	}
	var ct string
	if header != nil {
		ct = header.Get("Content-Type")
	}
	if ct == "" {
		return Verdict{Kind: sniff(body), Problems: []oosc.Problem{{Severity: oosc.SeverityError,
			Rule: RuleContentType, Code: oosc.CodeUnknownScenario,
			Message: "no Content-Type; Proxy needs application/xml (TwiML) or application/json (auto-create)"}}}
	}
	return judge(ct, true, body, in, opts)
}

// Body judges an answer's body. contentType is the answer's Content-Type,
// judged as [Response] does; when it is "", the kind is told by the body's
// first non-blank byte ({, [ or " for auto-create, anything else for
// TwiML), a note (RuleKindSniffed) says so, and no Content-Type problem is
// reported. opts may be nil.
func Body(contentType string, body []byte, in oosc.Inbound, opts *Options) Verdict {
	return judge(contentType, contentType != "", body, in, opts)
}

func judge(ct string, ctGiven bool, body []byte, in oosc.Inbound, opts *Options) Verdict {
	var o Options
	if opts != nil {
		o = *opts
	}
	var v Verdict
	refused := false // a Content-Type Proxy refuses: it never reads the body
	if ctGiven {
		var ps []oosc.Problem
		v.Kind, ps = ContentType(ct)
		v.Problems = append(v.Problems, ps...)
		refused = v.Kind == ""
	}
	if v.Kind == "" {
		v.Kind = sniff(body)
		if !ctGiven {
			v.Problems = append(v.Problems, oosc.Problem{Severity: oosc.SeverityWarning, Rule: RuleKindSniffed,
				Message: fmt.Sprintf("no Content-Type given: judged as %s from the body's first byte", v.Kind)})
		}
	}
	n := len(v.Problems)
	switch v.Kind {
	case oosc.AutoCreateAnswer:
		v.Session, v.Problems = judgeAutoCreate(body, in, o, v.Problems)
	default:
		v.Channel, v.Problems = judgeTwiML(body, in.Channel, o.Lenient, v.Problems)
	}
	if refused { // the body's problems are still worth fixing, but cause nothing of their own
		for i := n; i < len(v.Problems); i++ {
			v.Problems[i].Code = 0
		}
	}
	if v.Problems == nil {
		v.Problems = []oosc.Problem{}
	}
	if !v.Valid() || v.Kind != oosc.TwiMLAnswer {
		v.Channel = ""
	}
	return v
}

// judgeAutoCreate judges an auto-create document for in, or on its own
// terms with DocumentOnly.
func judgeAutoCreate(body []byte, in oosc.Inbound, o Options, prior []oosc.Problem) (*autocreate.Session, []oosc.Problem) {
	if o.DocumentOnly {
		s, err := autocreate.Parse(body)
		if ve, ok := err.(*oosc.ValidationError); ok {
			return parsed(s, ve.Problems), append(prior, ve.Problems...)
		}
		if s.Mode != "" && !s.Mode.Valid() {
			prior = append(prior, oosc.Problem{Severity: oosc.SeverityError, Rule: autocreate.RuleInvalidMode,
				Field: autocreate.FieldMode, Message: fmt.Sprintf("mode %q is not message-only, voice-only or voice-and-message", s.Mode)})
		}
		return &s, prior
	}
	s, r := autocreate.ValidateBytes(body, in, o.Now)
	return parsed(s, r.Problems), append(prior, r.Problems...)
}

// parsed returns s unless the document did not parse as an object.
func parsed(s autocreate.Session, problems []oosc.Problem) *autocreate.Session {
	for _, p := range problems {
		switch p.Rule {
		case autocreate.RuleSyntax, autocreate.RuleNotObject, autocreate.RuleInvalidUTF8, autocreate.RuleByteOrderMark:
			return nil
		}
	}
	return &s
}

// judgeTwiML validates TwiML for ch or, when ch is "", for each channel,
// keeping the problems of the channel it is valid for, else of both, each
// labelled with its channel.
func judgeTwiML(body []byte, ch oosc.Channel, lenient bool, prior []oosc.Problem) (oosc.Channel, []oosc.Problem) {
	val := twiml.Validator{Lenient: lenient}
	if ch != "" {
		return ch, append(prior, val.Validate(body, ch).Problems...)
	}
	var both []oosc.Problem
	for _, c := range oosc.Channels() {
		r := val.Validate(body, c)
		if r.Valid() {
			return c, append(prior, r.Problems...)
		}
		for _, p := range r.Problems {
			p.Channel = c
			both = append(both, p)
		}
	}
	return "", append(prior, both...)
}

// ContentType judges an answer's Content-Type as Proxy does and says which
// kind of body it announces ("" when neither). The media type is compared
// case-insensitively; parameters are tolerated, with a warning for those
// whose acceptance no Twilio source confirms.
func ContentType(ct string) (oosc.AnswerKind, []oosc.Problem) {
	bad := func(format string, args ...any) (oosc.AnswerKind, []oosc.Problem) {
		return "", []oosc.Problem{{Severity: oosc.SeverityError, Rule: RuleContentType, Code: oosc.CodeUnknownScenario,
			Message: fmt.Sprintf(format, args...)}}
	}
	warn := func(k oosc.AnswerKind, format string, args ...any) (oosc.AnswerKind, []oosc.Problem) {
		return k, []oosc.Problem{{Severity: oosc.SeverityWarning, Rule: RuleContentType, Message: fmt.Sprintf(format, args...)}}
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return bad("Content-Type %q cannot be parsed; Proxy needs application/xml (TwiML) or application/json (auto-create)", clip(ct))
	}
	switch mt {
	case "application/json":
		for k, v := range params {
			if k != "charset" || !strings.EqualFold(v, "utf-8") {
				return warn(oosc.AutoCreateAnswer, "Content-Type %q has parameters other than charset=utf-8; Proxy is documented to accept only that one, send application/json alone", clip(ct))
			}
		}
		return oosc.AutoCreateAnswer, nil
	case "application/xml":
		if len(params) > 0 {
			return warn(oosc.TwiMLAnswer, "Content-Type %q has parameters; Proxy likely accepts them for TwiML but no source confirms it: send application/xml alone", clip(ct))
		}
		return oosc.TwiMLAnswer, nil
	case "text/xml", "text/html":
		return bad("Content-Type %s: Proxy accepts TwiML only as application/xml, although other Twilio webhooks take %s", mt, mt)
	}
	return bad("Content-Type %s: Proxy needs application/xml (TwiML) or application/json (auto-create)", clip(mt))
}

// sniff tells TwiML from JSON by the first non-blank byte.
func sniff(body []byte) oosc.AnswerKind {
	b := bytes.TrimLeft(bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	if len(b) > 0 && (b[0] == '{' || b[0] == '[' || b[0] == '"') {
		return oosc.AutoCreateAnswer
	}
	return oosc.TwiMLAnswer
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}
