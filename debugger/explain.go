package debugger

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/judge"
)

// Case is one of the five cases of 80905 "Unknown Scenario", numbered as
// Twilio's error page lists them (https://www.twilio.com/docs/api/errors/80905).
// Cases 1, 2 and 5 say why the contact was out of session (its
// [oosc.Cause]); cases 3 and 4 why the out-of-session callback did not
// save it.
type Case int

// The five cases of 80905.
const (
	// CaseNotInSession: the sender is not a Participant of an open
	// Session for the number they reached (never was, or the Session was
	// deleted).
	CaseNotInSession Case = 1
	// CaseSessionEnded: the sender's Session on that number closed or
	// expired.
	CaseSessionEnded Case = 2
	// CaseNoCallback: the Service has no out-of-session callback.
	CaseNoCallback Case = 3
	// CaseInvalidAnswer: the callback answered, but with neither valid
	// TwiML as application/xml nor valid auto-create JSON as
	// application/json.
	CaseInvalidAnswer Case = 4
	// CaseOtherProxyNumber: the sender is in an open Session, but reached
	// a Proxy number other than the one they were given there.
	CaseOtherProxyNumber Case = 5
)

// String says what the case is, in words.
func (c Case) String() string {
	switch c {
	case CaseNotInSession:
		return "the sender is in no open Session for this Proxy number"
	case CaseSessionEnded:
		return "the sender's Session on this Proxy number closed or expired"
	case CaseNoCallback:
		return "the Service has no out-of-session callback"
	case CaseInvalidAnswer:
		return "the out-of-session callback's answer was neither valid TwiML as application/xml nor valid auto-create JSON as application/json"
	case CaseOtherProxyNumber:
		return "the sender is in an open Session but reached another Proxy number than the one given to them"
	}
	return fmt.Sprintf("case %d", int(c))
}

// ErrUnknownCase is returned for a number that is not one of the five
// cases of 80905.
var ErrUnknownCase = errors.New("debugger: unknown case of 80905")

// MarshalText writes the case's number and words, for JSON: "4: the
// out-of-session callback's answer was ...". A number outside 1 to 5 is an
// error matching [ErrUnknownCase].
func (c Case) MarshalText() ([]byte, error) {
	if c < CaseNotInSession || c > CaseOtherProxyNumber {
		return nil, fmt.Errorf("%w: %d", ErrUnknownCase, int(c))
	}
	return []byte(fmt.Sprintf("%d: %s", int(c), c)), nil
}

// UnmarshalText reads what MarshalText writes: the case's number, alone or
// before a colon and any words (which may have changed since they were
// written). A number outside 1 to 5 is an error matching [ErrUnknownCase].
func (c *Case) UnmarshalText(b []byte) error {
	num, _, _ := strings.Cut(string(b), ":")
	n, err := strconv.Atoi(strings.TrimSpace(num))
	if err != nil || n < int(CaseNotInSession) || n > int(CaseOtherProxyNumber) {
		return fmt.Errorf("%w: %q", ErrUnknownCase, clip(string(b)))
	}
	*c = Case(n)
	return nil
}

// Explanation is what an event means for a Proxy application.
type Explanation struct {
	Code  oosc.Code `json:"code"`
	Title string    `json:"title"` // Twilio's title of the code
	// Cases are the cases of 80905 the event shows (or, for another
	// code, the ones it leads to): why the contact was out of session, and
	// why the callback did not save it. Empty when none applies.
	Cases []Case `json:"cases"`
	// Cause is why the contact was out of session, from the recorded
	// callback request or the source; "" when unknown.
	Cause oosc.Cause `json:"cause,omitempty"`
	// Settled reports whether the event shows the cases; when false,
	// Summary says what it cannot tell.
	Settled bool `json:"settled"`
	// Summary says what happened, naming what the event recorded: the
	// webhook's URL, its status or why it gave none, the values of the
	// answer at fault, the Session.
	Summary string `json:"summary"`
	Fix     string `json:"fix"`
	// Problems are the judge's errors on the recorded answer, when the
	// event recorded one and the judge refuses it.
	Problems []oosc.Problem `json:"problems,omitempty"`
}

// Explain explains an event from what it recorded. For 80905 and 80913
// it re-judges the recorded callback answer, when there is one, as Proxy
// would (at the time the request was sent, else the event's), and says
// why a callback gave no answer (nothing listening, a timeout) when the
// event says; a code logged with the out-of-session callback's answer
// (12100 for its TwiML, 80603 for the Session its auto-create JSON asked
// for) is explained from that answer; an 80905 whose Codes name such a
// code is explained as that code's; for Proxy's other codes it says what
// happened and what to change; for any other code it says it explains
// only Proxy's.
func Explain(e Event) Explanation {
	x := Explanation{Code: e.Code, Title: e.Code.Title(), Cases: []Case{}, Cause: e.Cause}
	hook := callbackHook(e)
	var req *callback.Request
	if hook != nil && len(hook.Parameters) > 0 {
		req = callback.ParseRequest(hook.Parameters, nil)
		if x.Cause == "" && (req.PreviousSession != nil || req.Channel != "") {
			x.Cause = req.Cause()
		}
	}
	switch {
	case e.Code == oosc.CodeUnknownScenario:
		explainUnknownScenario(&x, e, hook, req)
	case e.Code == oosc.CodeOutOfSessionCallbackError:
		explainCallbackError(&x, hook)
	case hook == nil && e.Webhook != nil && explainOtherWebhook(&x, e, e.Webhook):
	case hook != nil && hook.Answered && explainAnswerCode(&x, e, hook, req):
	default:
		explainCode(&x, e)
	}
	return x
}

// callbackHook is the event's webhook when it may be the out-of-session
// callback: of that kind, or of a kind not recorded; nil otherwise.
func callbackHook(e Event) *Webhook {
	if e.Webhook == nil || (e.Webhook.Kind != "" && e.Webhook.Kind != WebhookOutOfSession) {
		return nil
	}
	return e.Webhook
}

// caseOf maps why the contact was out of session to a case of 80905.
func caseOf(c oosc.Cause) (Case, bool) {
	switch c {
	case oosc.CauseNoPreviousSession:
		return CaseNotInSession, true
	case oosc.CauseSessionClosed, oosc.CauseSessionExpired, oosc.CauseSessionFailed:
		return CaseSessionEnded, true
	case oosc.CauseOtherProxyNumber:
		return CaseOtherProxyNumber, true
	}
	return 0, false
}

// why says why the contact was out of session, adding its case to x.
func why(x *Explanation) string {
	if c, ok := caseOf(x.Cause); ok {
		x.Cases = append(x.Cases, c)
		return "out of session because " + c.String()
	}
	if x.Cause == oosc.CauseUnknown {
		return "out of session: a previous Session is known, but nothing says why it no longer carries the contact"
	}
	return "why the contact was out of session is not recorded"
}

func explainUnknownScenario(x *Explanation, e Event, hook *Webhook, req *callback.Request) {
	why := why(x)
	service := "the Service"
	if e.ServiceSid != "" {
		service += " " + e.ServiceSid
	}
	switch {
	case hook == nil && len(e.Codes) > 0:
		// An event that lists its contact's codes records the callback's
		// exchange whenever the contact called it.
		x.Cases = append(x.Cases, CaseNoCallback)
		x.Settled = true
		x.Summary = "no out-of-session callback was called: " + service + " has none (case 3), so every out-of-session contact fails; " + why
		x.Fix = "set the Service's OutOfSessionCallbackUrl to your callback.Handler"
	case hook == nil:
		// Twilio records the callback's request with the event when it
		// called one; none recorded most likely means none is configured.
		x.Cases = append(x.Cases, CaseNoCallback)
		x.Summary = "80905 with no callback request recorded: most likely " + service + " has no out-of-session callback (case 3), so every out-of-session contact fails; " + why
		x.Fix = "set the Service's OutOfSessionCallbackUrl to your callback.Handler; if it is set, find the callback's own error (80913, 11200) logged at the same time, which the event does not show"
	case !hook.Answered:
		x.Cases = append(x.Cases, CaseInvalidAnswer)
		x.Settled = true
		f := failureOf(hook)
		x.Summary = "the out-of-session callback was called but gave no answer: " + f.what(hook) + "; " + why
		x.Fix = f.fix(hook, "OutOfSessionCallbackUrl")
	default:
		v := judgeAnswer(hook, req, e.Time)
		sibling := siblingOf(e)
		if s := v.Session; s != nil && v.Kind == oosc.AutoCreateAnswer && ofCreate(sibling) {
			// Valid as a document, or not: the code logged with it says
			// what stopped Proxy.
			what, fix := createFailure(sibling, *s, v, e)
			x.Cases = append(x.Cases, CaseInvalidAnswer)
			x.Settled = true
			x.Problems = v.Errors()
			x.Summary = fmt.Sprintf("the out-of-session callback%s answered auto-create JSON that Proxy could not carry out (%s): %s; %s", at(hook), titled(sibling), what, why)
			x.Fix = fix
			return
		}
		if v.Valid() {
			x.Summary = "the recorded answer (" + answerOf(hook) + ") is valid as judged now, so it does not show why Proxy refused it; " + why +
				". Proxy may have failed to carry it out: an auto-create Session it could not create logs its own code (80603, 80604, 80605, 80103, 80616, 80203 to 80208) at the same time"
			x.Fix = "look for a Proxy code logged with this event; if the callback's answer changed since, " + e.Code.URL()
			return
		}
		x.Cases = append(x.Cases, CaseInvalidAnswer)
		x.Settled = true
		x.Problems = firstWithCode(v.Errors(), sibling)
		x.Summary = fmt.Sprintf("the out-of-session callback%s answered %s, which Proxy refuses: %s; %s", at(hook), answerOf(hook), problemText(x.Problems), why)
		x.Fix = fixFor(v.Kind, x.Problems[0])
	}
}

func explainCallbackError(x *Explanation, hook *Webhook) {
	switch {
	case hook == nil:
		x.Summary = "the out-of-session callback failed (a status outside 2xx, a timeout, or no connection), and the event recorded no request to say which"
		x.Fix = "check that the callback URL answers 2xx within 15 s; oosc check --url URL tries it"
	case !hook.Answered:
		x.Settled = true
		f := failureOf(hook)
		x.Summary = "the out-of-session callback gave no answer: " + f.what(hook) + "; Proxy dropped the contact"
		x.Fix = f.fix(hook, "OutOfSessionCallbackUrl")
	case hook.Status != 0 && (hook.Status < 200 || hook.Status > 299):
		x.Settled = true
		x.Summary = fmt.Sprintf("the out-of-session callback%s %s; Proxy takes only a 2xx answer, whatever the body, and dropped the contact", at(hook), statusText(hook))
		x.Fix = fixForStatus(hook, "OutOfSessionCallbackUrl")
	default:
		x.Summary = "the out-of-session callback failed, but the recorded answer (" + answerOf(hook) + ") does not show a status outside 2xx"
		x.Fix = "look for an 11200 or 11205 logged at the same time, which names the failure"
	}
	if c, ok := caseOf(x.Cause); ok {
		x.Cases = append(x.Cases, c)
	}
}

// explainOtherWebhook explains an event recorded with the intercept or
// the interaction status callback: its 403 (80909), the Session changed
// while it was asked (80903), its failure (80908). It reports whether it
// did.
func explainOtherWebhook(x *Explanation, e Event, hook *Webhook) bool {
	name, setting := "the interaction status callback", "CallbackUrl"
	if hook.Kind == WebhookIntercept {
		name, setting = "the intercept callback", "InterceptCallbackUrl"
	}
	switch e.Code {
	case oosc.CodeCallbackError:
		x.Settled = true
		if !hook.Answered {
			f := failureOf(hook)
			x.Summary = name + " gave no answer: " + f.what(hook) + "; the interaction itself went through" + inSession(e)
			x.Fix = f.fix(hook, setting)
		} else {
			x.Summary = fmt.Sprintf("%s%s %s; the interaction itself went through%s", name, at(hook), statusText(hook), inSession(e))
			x.Fix = fixForStatus(hook, setting)
		}
		return true
	case oosc.CodeInboundContactRejected:
		if hook.Kind != WebhookIntercept {
			return false
		}
		x.Settled = true
		what := "the contact" + fromTo(e)
		if hook.Parameters.Get("inboundParticipantSid") == "" && hook.Parameters.Has("interactionSid") {
			what = "a Message Interaction" + inSession(e)
		}
		x.Summary = fmt.Sprintf("the intercept callback%s answered 403 to %s, so Proxy blocked it: nothing was delivered", at(hook), what)
		x.Fix = "if the block was not meant, make the intercept callback answer 2xx for this interaction; any other answer, even a failure, lets it through"
		return true
	case oosc.CodeUnknownParticipant:
		if hook.Kind != WebhookIntercept {
			return false
		}
		x.Settled = true
		x.Summary = fmt.Sprintf("%s changed (a Participant removed, or the Session closed) while the intercept callback%s was asked, so Proxy could not match the contact%s to a Participant: nothing was delivered",
			sessionOr(e, "the Session"), at(hook), fromTo(e))
		x.Fix = "do not remove Participants or close Sessions while their contacts are routed; the contact can be sent again"
		return true
	}
	return false
}

// explainAnswerCode explains a code logged with the out-of-session
// callback's answer: one of the answer's own (12100 for TwiML that does
// not parse), or what Proxy met carrying out its auto-create JSON. It
// reports whether the answer explains the code.
func explainAnswerCode(x *Explanation, e Event, hook *Webhook, req *callback.Request) bool {
	v := judgeAnswer(hook, req, e.Time)
	if s := v.Session; s != nil && v.Kind == oosc.AutoCreateAnswer && ofCreate(e.Code) {
		what, fix := createFailure(e.Code, *s, v, e)
		x.Settled = true
		x.Fix = fix
		x.Problems = firstWithCode(v.Errors(), e.Code)
		if len(x.Problems) > 0 && x.Problems[0].Code != e.Code {
			x.Problems = nil // the judge's problems are not this code's
		}
		if e.Code == oosc.CodeCallToMessageOnlySession || e.Code == oosc.CodeMessageToVoiceOnlySession {
			// The Session was made; routing the contact into it failed.
			x.Summary = fmt.Sprintf("the out-of-session callback%s answered auto-create JSON, and Proxy created %s, but its %s, so Proxy refused the contact into it",
				at(hook), sessionOr(e, "its Session"), what)
			return true
		}
		why := why(x)
		x.Cases = append(x.Cases, CaseInvalidAnswer)
		x.Summary = fmt.Sprintf("the out-of-session callback%s answered auto-create JSON that Proxy could not carry out: %s; it created no Session and dropped the contact (80905, case 4); %s", at(hook), what, why)
		return true
	}
	if isProxyCode(e.Code) || v.Valid() {
		return false
	}
	probs := firstWithCode(v.Errors(), e.Code)
	if len(probs) == 0 || probs[0].Code != e.Code {
		return false
	}
	why := why(x)
	x.Cases = append(x.Cases, CaseInvalidAnswer)
	x.Settled = true
	x.Problems = probs
	x.Summary = fmt.Sprintf("the out-of-session callback%s answered %s, which Proxy refuses: %s; it logs 80905 with this code; %s", at(hook), answerOf(hook), problemText(probs), why)
	x.Fix = fixFor(v.Kind, probs[0])
	return true
}

// explainCode explains a code from the table of Proxy's codes, naming
// what the event recorded.
func explainCode(x *Explanation, e Event) {
	s, ok := proxyCodes[e.Code]
	if !ok {
		code := e.Code.String()
		if x.Title != "" {
			code += " (" + x.Title + ")"
		}
		x.Summary = code + " is not one of Proxy's codes, which this package explains"
		x.Fix = "see " + e.Code.URL()
		return
	}
	x.Settled, x.Summary, x.Fix = true, s.summary, s.fix
	if seen := seenSummaries[e.Code]; seen != nil {
		x.Summary = seen(e)
	}
	x.Cases = append(x.Cases, s.cases...)
}

// isProxyCode reports whether c is one of Proxy's codes, other than 80905
// and 80913, that this package explains.
func isProxyCode(c oosc.Code) bool {
	_, ok := proxyCodes[c]
	return ok
}

// ofCreate reports whether c may be what creating a Session met: one of
// Proxy's codes, or 20001 for a parameter it refuses.
func ofCreate(c oosc.Code) bool { return isProxyCode(c) || c == oosc.CodeBadParameters }

// siblingOf is the first code logged with an 80905 for the same contact,
// from its Codes; 0 when none is recorded.
func siblingOf(e Event) oosc.Code {
	for _, c := range e.Codes {
		if c != e.Code {
			return c
		}
	}
	return 0
}

// titled is a code with its title: "80603 Non Unique Session Name".
func titled(c oosc.Code) string {
	if t := c.Title(); t != "" {
		return c.String() + " " + t
	}
	return c.String()
}

// createFailure says what Proxy met carrying out an auto-create answer s
// (v: the judge's verdict on it) that gave code, and what to change.
func createFailure(code oosc.Code, s autocreate.Session, v judge.Verdict, e Event) (what, fix string) {
	who := "participantIdentifier " + s.ParticipantIdentifier
	switch code {
	case oosc.CodeNonUniqueSessionName:
		what = fmt.Sprintf("uniqueName %q is already used by a Session of the Service (a closed Session keeps its name until it is deleted)", clipTo(s.UniqueName, 80))
		fix = "give each auto-created Session a uniqueName of its own, derived from the contact (its CallSid or MessageSid, as callback.Reconnect does), or leave uniqueName out"
	case oosc.CodeBadParameters:
		what, fix = "Proxy refused one of its parameters", "see the event's text for the parameter"
		if sidShaped(s.UniqueName) {
			what = fmt.Sprintf("uniqueName %q is shaped like a Session SID (KC and 32 hex digits)", s.UniqueName)
			fix = "name Sessions with words of your own, never a SID"
		}
	case oosc.CodeParameterValidation:
		what = "Proxy refused one of its parameters (a uniqueName over 191 characters, a dateExpiry not after the contact)"
		fix = "fix the auto-create JSON: a uniqueName of at most 191 characters, a dateExpiry in the future (or a ttl instead)"
		// The judge's own words, when it found the fault.
		for _, p := range v.Errors() {
			if p.Code == code {
				what = p.Message
				break
			}
		}
	case oosc.CodeParticipantAlreadyInSession:
		what = who + " is the sender (From) itself"
		fix = "name the other party in participantIdentifier, never the sender (From)"
	case oosc.CodeParticipantIdentifierBad:
		what = fmt.Sprintf("participantIdentifier %q is neither E.164 nor a channel address", clipTo(s.ParticipantIdentifier, 80))
		fix = "write participantIdentifier in E.164 (+14155550123), or as a channel address (whatsapp:+14155550123)"
	case oosc.CodeIdentifierTypeForMode:
		what = fmt.Sprintf("%s is a channel address, which Proxy allows only in a message-only Session, not %s", who, modeOf(s))
		fix = "answer mode message-only when participantIdentifier is a channel address"
	case oosc.CodeProxyIdentifierNotInService:
		what = "participantProxyIdentifier " + s.ParticipantProxyIdentifier + " is not a number of the Service's pool"
		fix = "name a number of the pool in participantProxyIdentifier, or leave it out so that Proxy chooses one"
	case oosc.CodeProxyIdentifierInUse:
		what = fmt.Sprintf("%s already holds %s in another active Session", who, orChosen(s.ParticipantProxyIdentifier))
		fix = "leave participantProxyIdentifier out so that Proxy chooses a number the participant does not hold, or close their other Session first"
	case oosc.CodeNoProxiesForService:
		what, fix = "the Service's pool is empty", "add phone numbers to the Service"
	case oosc.CodeNoProxyForCountry:
		what = "no number of the pool has the country of " + who
		fix = "add a number of that country to the pool"
	case oosc.CodeNoAvailableProxy:
		what = "no number of the pool meets the Service's GeoMatchLevel for " + who
		fix = "add a matching number to the pool, or relax the Service's GeoMatchLevel"
	case oosc.CodeNoUnreservedNumbers:
		what = "every number of the pool that matches " + who + " is reserved"
		fix = "add unreserved numbers to the pool, or name a reserved one in participantProxyIdentifier"
	case oosc.CodeNoAvailableUnusedProxy:
		what = "every number of the pool that matches " + who + " already pairs it with someone in an active Session"
		fix = "add numbers to the pool, or close the participant's old Sessions"
	case oosc.CodeCallToMessageOnlySession:
		what = fmt.Sprintf("mode %s cannot carry a call", modeOf(s))
		fix = "answer mode voice-and-message (or voice-only) for a call; callback.Reconnect and Directory choose it"
	case oosc.CodeMessageToVoiceOnlySession:
		what = fmt.Sprintf("mode %s cannot carry a message", modeOf(s))
		fix = "answer mode voice-and-message (or message-only) for a message"
	default:
		pc := proxyCodes[code]
		what, fix = pc.summary, pc.fix
	}
	return what, fix
}

// sidShaped reports whether s looks like a Session SID.
func sidShaped(s string) bool {
	if len(s) != 34 || s[:2] != "KC" {
		return false
	}
	for _, c := range s[2:] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}

func modeOf(s autocreate.Session) string {
	if s.Mode == "" {
		return string(autocreate.VoiceAndMessage) + " (the default)"
	}
	return string(s.Mode)
}

func orChosen(proxy string) string {
	if proxy == "" {
		return "the number Proxy chose"
	}
	return "proxy number " + proxy
}

// judgeAnswer judges a recorded answer for the recorded request, at the
// time the request was sent, else the event's, else now (a dateExpiry is
// judged against it). A status Twilio did not record is taken as 200: a
// status outside 2xx is 80913, not 80905.
func judgeAnswer(hook *Webhook, req *callback.Request, when time.Time) judge.Verdict {
	status := hook.Status
	if status == 0 {
		status = http.StatusOK
	}
	var in oosc.Inbound
	if req != nil {
		in = oosc.Inbound{Channel: req.Channel, From: req.From, To: req.To}
	}
	if !hook.Time.IsZero() {
		when = hook.Time
	}
	var opts *judge.Options
	if !when.IsZero() {
		opts = &judge.Options{Now: func() time.Time { return when }}
	}
	return judge.Response(status, hook.Header, hook.Body, in, opts)
}

// answerOf describes an answer: its status and Content-Type.
func answerOf(hook *Webhook) string {
	ct := hook.Header.Get("Content-Type")
	if ct == "" {
		ct = "no Content-Type"
	}
	if hook.Status == 0 {
		return ct
	}
	return fmt.Sprintf("%d with %s", hook.Status, ct)
}

// at names where a webhook was sent: " at URL", without a password,
// clipped; "" when the URL is not recorded.
func at(hook *Webhook) string {
	if hook.URL == "" {
		return ""
	}
	u := hook.URL
	if p, err := url.Parse(u); err == nil && p.User != nil {
		u = p.Redacted()
	}
	return " at " + clipTo(u, 100)
}

// statusText says what status a webhook answered, and where a redirect
// pointed.
func statusText(hook *Webhook) string {
	s := fmt.Sprintf("answered status %d", hook.Status)
	if hook.Status >= 300 && hook.Status < 400 {
		s += ", a redirect"
		if loc := hook.Header.Get("Location"); loc != "" {
			s += " to " + clipTo(loc, 100)
		}
		s += ", which Proxy does not follow"
	}
	return s
}

// firstWithCode returns problems with the first of code's put first, in
// a new slice.
func firstWithCode(ps []oosc.Problem, code oosc.Code) []oosc.Problem {
	if len(ps) == 0 {
		return nil
	}
	out := slices.Clone(ps)
	if i := slices.IndexFunc(out, func(p oosc.Problem) bool { return p.Code == code && code != 0 }); i > 0 {
		p := out[i]
		copy(out[1:i+1], out[:i])
		out[0] = p
	}
	return out
}

// problemText is the first problem's message, and how many follow.
func problemText(ps []oosc.Problem) string {
	if len(ps) == 0 {
		return "no error"
	}
	s := ps[0].Message
	if len(ps) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(ps)-1)
	}
	return s
}

// fixFor says what to change for a problem of an answer of kind.
func fixFor(kind oosc.AnswerKind, p oosc.Problem) string {
	switch p.Rule {
	case judge.RuleContentType:
		return "send TwiML as application/xml, or auto-create JSON as application/json; callback.Handler always does"
	case judge.RuleStatus:
		return "answer 2xx"
	}
	switch kind {
	case oosc.AutoCreateAnswer:
		return "fix the auto-create JSON (" + string(p.Rule) + "); oosc validate --content-type application/json --from SENDER FILE checks one"
	default:
		return "fix the TwiML (" + string(p.Rule) + "); oosc validate --channel voice|sms FILE checks one, and package twiml's builders write only valid TwiML"
	}
}

// fixForStatus says what to change for a webhook that answered a status
// outside 2xx; setting is the Service's field that holds its URL.
func fixForStatus(hook *Webhook, setting string) string {
	switch status := hook.Status; {
	case status == http.StatusForbidden || status == http.StatusUnauthorized:
		return "the callback refused Twilio's request: check that it verifies signatures with the account's auth token and the URL Twilio calls (PublicURL behind a proxy)"
	case status == http.StatusNotFound:
		return "nothing is served at that path: set the Service's " + setting + " to the path your app serves the callback at"
	case status >= 300 && status < 400:
		if loc := hook.Header.Get("Location"); loc != "" {
			return "set the Service's " + setting + " to where the redirect points (" + clipTo(loc, 100) + "), or answer at the configured URL itself"
		}
		return "answer at the configured URL itself: Proxy does not follow a redirect"
	case status >= 500 && setting == "OutOfSessionCallbackUrl":
		return "the callback failed: with callback.Handler a failing decision gets the fallback, with 200"
	case status >= 500:
		return "the callback failed: its server's logs say why; make it answer 2xx"
	}
	return "answer 2xx with TwiML or auto-create JSON"
}

// failure is why a webhook gave no answer, told from the error the
// sender saw.
type failure int

const (
	failUnknown failure = iota // no error recorded
	failRefused                // nothing listens at the URL
	failTimeout                // no answer in time
	failHost                   // the host does not resolve
	failTLS                    // the TLS handshake failed
	failClosed                 // the connection closed before an answer
	failOther
)

// failureOf reads a webhook's Error.
func failureOf(hook *Webhook) failure {
	e := strings.ToLower(hook.Error)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(e, w) {
				return true
			}
		}
		return false
	}
	switch {
	case e == "":
		return failUnknown
	case has("connection refused", "actively refused"):
		return failRefused
	case has("timeout", "deadline exceeded", "timed out"):
		return failTimeout
	case has("no such host", "server misbehaving"):
		return failHost
	case has("tls", "x509", "certificate"):
		return failTLS
	case has("eof", "connection reset", "broken pipe"):
		return failClosed
	}
	return failOther
}

// what says what happened to hook, naming its URL.
func (f failure) what(hook *Webhook) string {
	u := strings.TrimPrefix(at(hook), " at ")
	if u == "" {
		u = "the callback URL"
	}
	switch f {
	case failRefused:
		return "nothing listens at " + u + " (connection refused)"
	case failTimeout:
		return u + " did not answer in time (Proxy waits 15 s, connection included)"
	case failHost:
		return "the host of " + u + " does not resolve (no such host)"
	case failTLS:
		return "the TLS handshake with " + u + " failed (" + clipTo(hook.Error, 120) + ")"
	case failClosed:
		return "the connection to " + u + " closed before an answer came"
	case failOther:
		return "the request to " + u + " failed (" + clipTo(hook.Error, 120) + ")"
	}
	return "no answer was recorded: a timeout (Proxy waits 15 s, connection included) or a failed connection to " + u
}

// fix says what to change; setting is the Service's field that holds the
// webhook's URL.
func (f failure) fix(hook *Webhook, setting string) string {
	switch f {
	case failRefused:
		s := "start the server that answers it, or set the Service's " + setting + " to where it listens"
		if setting == "OutOfSessionCallbackUrl" {
			s += "; oosc check --url URL tries it"
		}
		return s
	case failHost:
		return "correct the host name in the Service's " + setting
	case failTLS:
		return "serve a certificate Twilio trusts for that host (a public CA's), or an http:// URL against the emulator"
	case failClosed:
		return "the server closed the connection without answering: its logs say why (a crash, a proxy's limit)"
	case failOther:
		return "make " + strings.TrimPrefix(at(hook), " at ") + " answer 2xx within 15 s"
	}
	return "answer within 15 s, connection included: the handler's DecisionTimeout (5 s by default) keeps the answer in time, and the fallback goes out when the decision is late"
}

// sessionOr names the event's Session, or says alt when it has none.
func sessionOr(e Event, alt string) string {
	if e.Session == "" {
		return alt
	}
	return "Session " + e.Session
}

// inSession is " in Session NAME", or "" when the event names none.
func inSession(e Event) string {
	if e.Session == "" {
		return ""
	}
	return " in Session " + e.Session
}

// fromTo is " from FROM to TO", or "" when the event has neither.
func fromTo(e Event) string {
	switch {
	case e.From != "" && e.To != "":
		return " from " + e.From + " to " + e.To
	case e.From != "":
		return " from " + e.From
	case e.To != "":
		return " to " + e.To
	}
	return ""
}

// proxyCode is what one of Proxy's codes means for an application.
type proxyCode struct {
	summary, fix string
	cases        []Case
}

// proxyCodes are Proxy's codes other than 80905 and 80913.
var proxyCodes = map[oosc.Code]proxyCode{
	oosc.CodeExpiredSession: {"a Session reached its ttl or dateExpiry and closed; its Participants' next contacts are out of session (case 2 of 80905) and go to the out-of-session callback",
		"give Sessions a ttl that outlasts the conversation, or reconnect in the callback (callback.Reconnect)", []Case{CaseSessionEnded}},
	oosc.CodeMessageMatchedStopWord: {"a message that was an opt-out keyword (STOP and the like) was dropped; no callback was called",
		"nothing to fix: the sender opted out; do not send them messages until they opt back in", nil},
	oosc.CodeInboundContactRejected: {"the intercept callback answered 403, so Proxy blocked the interaction",
		"if the block was not meant, make the intercept callback answer 2xx for this sender", nil},
	oosc.CodeNonUniqueSessionName: {"a Session create named a uniqueName another Session of the Service has; on auto-create this is what a retried callback with a name derived from the contact's SID gets, and is harmless",
		"derive uniqueName from the contact's SID (one Session per contact), or leave it empty", nil},
	oosc.CodeProxyIdentifierInUse: {"the identifier already holds that proxy number in another active Session, so the pair would route ambiguously",
		"let Proxy choose the proxy number (leave ProxyIdentifier empty), or close the other Session first", nil},
	oosc.CodeTooManyParticipants: {"a third Participant was added to a Session, which has two at most",
		"create a new Session for another pair", nil},
	oosc.CodeIdentifierTypeForMode: {"a channel address (whatsapp:, messenger:) joined a Session whose mode is not message-only",
		"use mode message-only for Sessions with a channel address; an auto-create answer sets it with mode", nil},
	oosc.CodeParticipantAlreadyInSession: {"the identifier is already a Participant of the Session; on auto-create, the answer named the sender as the participant",
		"name the other party in participantIdentifier, never the sender (From)", nil},
	oosc.CodeParticipantIdentifierBad: {"an identifier was neither E.164 nor a channel address",
		"write phone numbers in E.164 (+14155550123) and channel addresses as whatsapp:+14155550123", nil},
	oosc.CodeCallToMessageOnlySession: {"a call reached a message-only Session",
		"use voice-and-message for Sessions that carry calls", nil},
	oosc.CodeMessageToVoiceOnlySession: {"a message reached a voice-only Session",
		"use voice-and-message for Sessions that carry messages", nil},
	oosc.CodeNoActiveSession: {"a call came from someone in no active Session, and Proxy had no out-of-session answer for it",
		"configure an out-of-session callback that answers calls", []Case{CaseNotInSession, CaseNoCallback}},
	oosc.CodeNoProxiesForService: {"the Service's number pool is empty", "add phone numbers to the Service", nil},
	oosc.CodeNoAvailableProxy: {"no number of the pool is compatible with the identifier under the Service's GeoMatchLevel (its area code, for area-code)",
		"add a matching number to the pool, or relax the Service's GeoMatchLevel", nil},
	oosc.CodeProxyIdentifierNotInService: {"the proxy number given is not in the Service's pool",
		"give a number of the pool as ProxyIdentifier (participantProxyIdentifier on auto-create), or leave it empty so that Proxy chooses", nil},
	oosc.CodePhoneNumberNotAvailable: {"the phone number is in another Service's pool, or is not one of the account's",
		"remove it from the other Service first, or buy it on the account", nil},
	oosc.CodeSessionStatusInvalid: {"a Session status change Proxy does not support: a Session is updated to closed or in-progress only, and only a closed one reopens",
		"send Status=closed to close a Session, Status=in-progress to reopen a closed one", nil},
	oosc.CodeDuplicateEntry: {"a Participant removed from a Session was added back to it, which Proxy refuses",
		"create a new Session for the pair", nil},
	oosc.CodeNoProxyForCountry:      {"no number of the pool matches the identifier's country (or area code)", "add a number of that country to the pool, or change GeoMatchLevel", nil},
	oosc.CodeNoUnreservedNumbers:    {"every matching number of the pool is reserved", "add unreserved numbers, or give the ProxyIdentifier explicitly", nil},
	oosc.CodeNoAvailableUnusedProxy: {"every matching number is already paired with this identifier in an active Session", "add numbers to the pool, or close the identifier's old Sessions", nil},
	oosc.CodeSessionClosed:          {"an operation reached a closed Session", "reopen it (status in-progress) or create a new one", nil},
	oosc.CodeParameterValidation:    {"Proxy refused a parameter (a uniqueName over 191 characters, a dateExpiry in the past, …)", "see the message with the event for the parameter", nil},
	oosc.CodeDuplicateParticipant:   {"Participant creates for one identifier ran at the same time in several Sessions", "create Participants of one identifier one at a time", nil},
	oosc.CodeCreatePairConflict: {"a Participant create made an identifier and proxy number pair active in two Sessions (the account allows conflicts), so its contacts may reach the wrong Session",
		"send FailOnParticipantConflict=true, or ask Twilio to remove the ProxyAllowParticipantConflict flag; let Proxy choose proxy numbers", nil},
	oosc.CodeReopenPairConflict: {"a reopened Session made an identifier and proxy number pair active in two Sessions (the account allows conflicts), so its contacts may reach the wrong Session",
		"reopen only when the other Session is closed, or send FailOnParticipantConflict=true", nil},
	oosc.CodeNoPartnerParticipant: {"a contact reached a Session with no other Participant to deliver it to", "add the second Participant before the first one writes, or close the Session", nil},
	oosc.CodeUnknownParticipant:   {"Proxy could not match the contact to a Participant (the Session changed while the contact was routed)", "do not remove Participants or close Sessions while they are in use; retry the contact", nil},
	oosc.CodeCallbackError:        {"one of the Service's callbacks (the interaction status callback, or the intercept callback) failed or answered outside 2xx; the interaction itself went through", "make the callback answer 2xx within 15 s", nil},
}

// seenSummaries say what some of Proxy's codes mean naming what the event
// recorded: its Session, sender and Proxy number.
var seenSummaries = map[oosc.Code]func(Event) string{
	oosc.CodeExpiredSession: func(e Event) string {
		return sessionOr(e, "a Session") + " reached its ttl or dateExpiry and closed; its Participants' next contacts are out of session (case 2 of 80905) and go to the out-of-session callback"
	},
	oosc.CodeMessageMatchedStopWord: func(e Event) string {
		return "a message" + fromTo(e) + " was an opt-out keyword (STOP and the like) and was dropped; no callback was called"
	},
	oosc.CodeNoPartnerParticipant: func(e Event) string {
		return "a contact" + fromTo(e) + " reached " + sessionOr(e, "a Session") + ", which has no other Participant to deliver it to"
	},
	oosc.CodeCallToMessageOnlySession: func(e Event) string {
		return "a call" + fromTo(e) + " reached " + sessionOr(e, "a Session") + ", which is message-only, so it was refused"
	},
	oosc.CodeMessageToVoiceOnlySession: func(e Event) string {
		return "a message" + fromTo(e) + " reached " + sessionOr(e, "a Session") + ", which is voice-only, so it was refused"
	},
	oosc.CodeCreatePairConflict: func(e Event) string {
		return "a Participant create" + inSession(e) + " made the pair" + fromTo(e) + " active in two Sessions (the account allows conflicts), so its contacts may reach the wrong Session"
	},
	oosc.CodeReopenPairConflict: func(e Event) string {
		return "reopening " + sessionOr(e, "a Session") + " made the pair" + fromTo(e) + " active in two Sessions (the account allows conflicts), so its contacts may reach the wrong Session"
	},
}
