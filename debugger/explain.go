package debugger

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/oosc-dev/oosc"
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
	Settled bool   `json:"settled"`
	Summary string `json:"summary"`
	Fix     string `json:"fix"`
	// Problems are the judge's errors on the recorded answer, when the
	// event recorded one and the judge refuses it.
	Problems []oosc.Problem `json:"problems,omitempty"`
}

// Explain explains an event. For 80905 and 80913 it re-judges the
// recorded callback answer, when there is one, as Proxy would; for Proxy's
// other codes it says what happened and what to change; for any other code
// it says it explains only Proxy's.
func Explain(e Event) Explanation {
	x := Explanation{Code: e.Code, Title: e.Code.Title(), Cases: []Case{}, Cause: e.Cause}
	var req *callback.Request
	if hook := callbackHook(e); hook != nil && len(hook.Parameters) > 0 {
		req = callback.ParseRequest(hook.Parameters, nil)
		if x.Cause == "" && (req.PreviousSession != nil || req.Channel != "") {
			x.Cause = req.Cause()
		}
	}
	switch e.Code {
	case oosc.CodeUnknownScenario:
		explainUnknownScenario(&x, e, req)
	case oosc.CodeOutOfSessionCallbackError:
		explainCallbackError(&x, e, req)
	default:
		if s, ok := proxyCodes[e.Code]; ok {
			x.Settled, x.Summary, x.Fix = true, s.summary, s.fix
			x.Cases = append(x.Cases, s.cases...)
		} else {
			code := e.Code.String()
			if x.Title != "" {
				code += " (" + x.Title + ")"
			}
			x.Summary = code + " is not one of Proxy's codes, which this package explains"
			x.Fix = "see " + e.Code.URL()
		}
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

func explainUnknownScenario(x *Explanation, e Event, req *callback.Request) {
	why := "why the contact was out of session is not recorded"
	if c, ok := caseOf(x.Cause); ok {
		x.Cases = append(x.Cases, c)
		why = "out of session because " + c.String()
	} else if x.Cause == oosc.CauseUnknown {
		why = "out of session: a previous Session is known, but nothing says why it no longer carries the contact"
	}
	hook := callbackHook(e)
	switch {
	case hook == nil:
		// Twilio records the callback's request with the event when it
		// called one; none recorded most likely means none is configured.
		x.Cases = append(x.Cases, CaseNoCallback)
		x.Summary = "80905 with no callback request recorded: most likely the Service has no out-of-session callback (case 3), so every out-of-session contact fails; " + why
		x.Fix = "set the Service's OutOfSessionCallbackUrl to your callback.Handler; if it is set, find the callback's own error (80913, 11200) logged at the same time, which the event does not show"
	case !hook.Answered:
		x.Cases = append(x.Cases, CaseInvalidAnswer)
		x.Settled = true
		x.Summary = "the out-of-session callback was called but no answer was recorded (a timeout or a failed connection); " + why
		x.Fix = "answer within 15 s, connection included: keep DecisionTimeout at its default, and make sure " + clip(hook.URL) + " is reachable from Twilio"
	default:
		v := judgeAnswer(hook, req)
		if v.Valid() {
			x.Summary = "the recorded answer is valid as judged now, so it does not show why Proxy refused it; " + why +
				". Proxy may have failed to carry it out: an auto-create Session it could not create logs its own code (80603, 80604, 80103, 80616, 80404) at the same time"
			x.Fix = "look for a Proxy code logged with this event; if the callback's answer changed since, " + e.Code.URL()
			return
		}
		x.Cases = append(x.Cases, CaseInvalidAnswer)
		x.Settled = true
		x.Problems = v.Errors()
		x.Summary = fmt.Sprintf("the out-of-session callback answered %s, which Proxy refuses: %s; %s", answerOf(hook), firstProblem(v), why)
		x.Fix = fixFor(v)
	}
}

func explainCallbackError(x *Explanation, e Event, req *callback.Request) {
	hook := callbackHook(e)
	switch {
	case hook == nil:
		x.Summary = "the out-of-session callback failed (a status outside 2xx, a timeout, or no connection), and the event recorded no request to say which"
		x.Fix = "check that the callback URL answers 2xx within 15 s; oosc check --url URL tries it"
	case !hook.Answered:
		x.Settled = true
		x.Summary = "the out-of-session callback gave no answer: a timeout (Proxy waits 15 s, connection included) or a failed connection to " + clip(hook.URL)
		x.Fix = "answer within 15 s: the handler's DecisionTimeout (5 s by default) keeps the answer in time, and the fallback goes out when the decision is late"
	case hook.Status != 0 && (hook.Status < 200 || hook.Status > 299):
		x.Settled = true
		x.Summary = fmt.Sprintf("the out-of-session callback answered status %d; Proxy takes only a 2xx answer, whatever the body", hook.Status)
		x.Fix = fixForStatus(hook.Status)
	default:
		x.Summary = "the out-of-session callback failed, but the recorded answer does not show a status outside 2xx"
		x.Fix = "look for an 11200 or 11205 logged at the same time, which names the failure"
	}
	if c, ok := caseOf(x.Cause); ok {
		x.Cases = append(x.Cases, c)
	}
}

// judgeAnswer judges a recorded answer for the recorded request. A status
// Twilio did not record is taken as 200: a status outside 2xx is 80913,
// not 80905.
func judgeAnswer(hook *Webhook, req *callback.Request) judge.Verdict {
	status := hook.Status
	if status == 0 {
		status = http.StatusOK
	}
	var in oosc.Inbound
	if req != nil {
		in = oosc.Inbound{Channel: req.Channel, From: req.From, To: req.To}
	}
	return judge.Response(status, hook.Header, hook.Body, in, nil)
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

func firstProblem(v judge.Verdict) string {
	errs := v.Errors()
	if len(errs) == 0 {
		return "no error"
	}
	s := errs[0].Message
	if len(errs) > 1 {
		s += fmt.Sprintf(" (and %d more)", len(errs)-1)
	}
	return s
}

// fixFor says what to change for the verdict's first error.
func fixFor(v judge.Verdict) string {
	errs := v.Errors()
	if len(errs) == 0 {
		return ""
	}
	p := errs[0]
	switch p.Rule {
	case judge.RuleContentType:
		return "send TwiML as application/xml, or auto-create JSON as application/json; callback.Handler always does"
	case judge.RuleStatus:
		return "answer 2xx"
	}
	switch v.Kind {
	case oosc.AutoCreateAnswer:
		return "fix the auto-create JSON (" + string(p.Rule) + "); oosc validate --content-type application/json --from SENDER FILE checks one"
	default:
		return "fix the TwiML (" + string(p.Rule) + "); oosc validate --channel voice|sms FILE checks one, and package twiml's builders write only valid TwiML"
	}
}

func fixForStatus(status int) string {
	switch {
	case status == http.StatusForbidden || status == http.StatusUnauthorized:
		return "the callback refused Twilio's request: check that it verifies signatures with the account's auth token and the URL Twilio calls (PublicURL behind a proxy)"
	case status >= 300 && status < 400:
		return "answer at the configured URL itself: Proxy does not follow a redirect"
	case status >= 500:
		return "the callback failed: with callback.Handler a failing decision gets the fallback, with 200"
	}
	return "answer 2xx with TwiML or auto-create JSON"
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
	oosc.CodeNoProxiesForService:    {"the Service's number pool is empty", "add phone numbers to the Service", nil},
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
