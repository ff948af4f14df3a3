package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/judge"
)

// ContactOutcome is how Proxy dealt with an inbound contact.
type ContactOutcome string

// The outcomes of an inbound contact.
const (
	OutcomeRouted  ContactOutcome = "routed"  // delivered through an active Session
	OutcomeTwiML   ContactOutcome = "twiml"   // answered by the out-of-session callback's TwiML; no Session
	OutcomeCreated ContactOutcome = "created" // an auto-create Session was made and the contact routed into it
	OutcomeFailed  ContactOutcome = "failed"  // dropped with an error; Codes say why
	OutcomeIgnored ContactOutcome = "ignored" // the number reached is not in the Service's pool
	OutcomeDropped ContactOutcome = "dropped" // an opt-out keyword: not forwarded, no callback (80901)
	OutcomeBlocked ContactOutcome = "blocked" // the intercept callback answered 403 (80909)
)

// Result is what happened to one inbound contact. Its JSON is the shape
// oosc simulate --json prints for a contact, and the emulator's REST
// control API answers.
type Result struct {
	Outcome ContactOutcome `json:"outcome"`
	Codes   []oosc.Code    `json:"codes"` // the Twilio codes Proxy would log, ascending
	// Session is the uniqueName (or SID) of the Session the contact was
	// routed through or created, including one created by an auto-create
	// answer whose contact then failed; "" when none.
	Session   string     `json:"session,omitempty"`
	DeliverTo string     `json:"deliverTo,omitempty"` // routed or created: who receives the contact
	ShownFrom string     `json:"shownFrom,omitempty"` // routed or created: the proxy number they see it from
	Cause     oosc.Cause `json:"cause,omitempty"`     // for every contact that found no Session
	Detail    string     `json:"detail,omitempty"`    // what went wrong: the judge's problems, the failed operation
	// Response is the out-of-session callback's answer, judged, when the
	// callback was called.
	Response *callbacktest.Response `json:"-"`
}

// Webhook is one request the emulator sent to an application.
type Webhook struct {
	Kind   string     // out-of-session, intercept or status
	URL    string     // where it went
	Form   url.Values // what it carried, signed
	At     time.Time  // the virtual clock
	Status int        // the answer's status; 0 when none came
}

// The kinds of webhook.
const (
	WebhookOutOfSession = "out-of-session"
	WebhookIntercept    = "intercept"
	WebhookStatus       = "status"
)

// optOut are the keywords that opt a sender out (or back in): a message
// that is exactly one of them is not forwarded.
var optOut = map[string]bool{"STOP": true, "STOPALL": true, "UNSUBSCRIBE": true, "END": true, "CANCEL": true,
	"QUIT": true, "ARRET": true, "ARRETE": true, "ARRETT": true, "UNSTOP": true}

// IsOptOut reports whether a message body is an opt-out keyword as Proxy
// matches them: trimmed of spaces, in any case.
func IsOptOut(body string) bool { return optOut[strings.ToUpper(strings.TrimSpace(body))] }

// Inbound handles an inbound contact to a Service at the emulator's
// current time, as Proxy does: an opt-out keyword is dropped; a contact
// from a Participant of an active Session on that number is routed
// (through the intercept callback, when there is one); any other goes to
// the out-of-session callback, whose answer is judged and, for an
// auto-create session, carried out. The error is for a call that cannot
// be made: an unknown Service, a channel other than voice and sms.
func (p *Proxy) Inbound(ctx context.Context, service string, in oosc.Inbound) (Result, error) {
	if !in.Channel.Valid() {
		return Result{}, fmt.Errorf("%w %q: an inbound contact is voice or sms", oosc.ErrUnknownChannel, in.Channel)
	}
	p.mu.Lock()
	svc, err := p.service(service)
	if err != nil {
		p.mu.Unlock()
		return Result{}, err
	}
	p.tick()
	if svc.byNumber[in.To] == nil {
		p.mu.Unlock()
		return Result{Outcome: OutcomeIgnored, Codes: []oosc.Code{}, Detail: in.To + " is not in the Service's pool"}, nil
	}
	if in.Channel == oosc.SMS && IsOptOut(in.Body) {
		defer p.mu.Unlock()
		return p.failed(Result{}, svc, in, nil, OutcomeDropped, "the message is an opt-out keyword: not forwarded, no callback", oosc.CodeMessageMatchedStopWord), nil
	}
	if q := svc.active[pair{in.From, in.To}]; q != nil {
		return p.route(ctx, svc, q, in, Result{}), nil // route unlocks
	}
	return p.outOfSession(ctx, svc, in), nil // unlocks
}

// failed records a contact that did not go through, logging each code.
func (p *Proxy) failed(r Result, svc *service, in oosc.Inbound, s *session, outcome ContactOutcome, detail string, codes ...oosc.Code) Result {
	return p.failedHook(r, svc, in, s, outcome, detail, nil, codes...)
}

// failedHook is failed for a contact whose webhook exchange (hook) is
// known, so that its events are explained from it.
func (p *Proxy) failedHook(r Result, svc *service, in oosc.Inbound, s *session, outcome ContactOutcome, detail string, hook *debugger.Webhook, codes ...oosc.Code) Result {
	r.Outcome, r.Detail = outcome, detail
	r.Codes = sortedCodes(codes)
	if s != nil {
		r.Session = s.name()
	}
	for _, c := range r.Codes {
		p.logHook(Event{At: p.now, Code: c, Service: svc.sid, Session: r.Session, From: in.From, To: in.To, Cause: r.Cause, Detail: detail}, hook)
	}
	return r
}

func sortedCodes(codes []oosc.Code) []oosc.Code {
	out := slices.Clone(codes)
	slices.Sort(out)
	return slices.Compact(append([]oosc.Code{}, out...))
}

// route delivers a contact through the Session of its sender's
// Participant q, as step 2 of the rules says. It is called with the lock
// held, and returns with it released.
func (p *Proxy) route(ctx context.Context, svc *service, q *participant, in oosc.Inbound, r Result) Result {
	s := q.s
	switch {
	case in.Channel == oosc.Voice && !s.mode.Voice():
		defer p.mu.Unlock()
		return p.failed(r, svc, in, s, OutcomeFailed, "a call into a "+string(s.mode)+" Session", oosc.CodeCallToMessageOnlySession)
	case in.Channel == oosc.SMS && !s.mode.Messages():
		defer p.mu.Unlock()
		return p.failed(r, svc, in, s, OutcomeFailed, "a message into a "+string(s.mode)+" Session", oosc.CodeMessageToVoiceOnlySession)
	}
	other := s.partner(q)
	if other == nil {
		defer p.mu.Unlock()
		return p.failed(r, svc, in, s, OutcomeFailed, "Session "+s.name()+" has no other Participant", oosc.CodeNoPartnerParticipant)
	}
	kind, data := interactionOf(in)
	itSid := p.sid("KI")
	if target := svc.cfg.InterceptCallbackURL; target != "" {
		form := url.Values{}
		for k, v := range map[string]string{
			"interactionSid": itSid, "interactionSessionSid": s.sid, "interactionServiceSid": svc.sid,
			"interactionAccountSid": p.o.AccountSid, "interactionType": kind, "interactionData": data,
			"inboundParticipantSid": q.sid, "outboundParticipantSid": other.sid,
		} {
			form.Set(k, v)
		}
		hook := p.record(WebhookIntercept, target, form)
		p.mu.Unlock()
		status, _, _, _, _ := p.post(ctx, target, form)
		p.mu.Lock()
		p.hooks[hook].Status = status
		if status == http.StatusForbidden {
			defer p.mu.Unlock()
			return p.failed(r, svc, in, s, OutcomeBlocked, "the intercept callback answered 403", oosc.CodeInboundContactRejected)
		}
		// The Session may have changed while the intercept was asked.
		if svc.active[pair{in.From, in.To}] != q || s.partner(q) != other {
			defer p.mu.Unlock()
			return p.failed(r, svc, in, s, OutcomeFailed, "Session "+s.name()+" changed while the intercept callback was asked", oosc.CodeUnknownParticipant)
		}
	}
	svc.touch(s)
	it := svc.interact(s, kind, data, q, other, callbacktest.SID(inboundPrefix(in), p.next()))
	it.Sid = itSid
	p.sent = append(p.sent, Delivery{At: p.now, To: other.identifier, From: other.proxy.value, Channel: in.Channel, Body: in.Body, Session: s.sid})
	if r.Outcome == "" {
		r.Outcome = OutcomeRouted
	}
	r.Codes = []oosc.Code{}
	r.Session, r.DeliverTo, r.ShownFrom = s.name(), other.identifier, other.proxy.value
	p.statusCallback(ctx, svc, it) // unlocks
	return r
}

func inboundPrefix(in oosc.Inbound) string {
	if in.Channel == oosc.Voice {
		return "CA"
	}
	return "SM"
}

// interactionOf is an Interaction's type and data for an inbound contact.
func interactionOf(in oosc.Inbound) (kind, data string) {
	if in.Channel == oosc.Voice {
		return "voice", "{}"
	}
	b, _ := json.Marshal(struct {
		Body string `json:"body"`
	}{in.Body})
	return "message", string(b)
}

// partner returns the Participant of s other than q, nil when none.
func (s *session) partner(q *participant) *participant {
	for _, o := range s.parts {
		if o != q {
			return o
		}
	}
	return nil
}

// statusCallback tells the Service's CallbackURL of an Interaction. It is
// called with the lock held, and returns with it released. A failure is
// logged as 80908.
func (p *Proxy) statusCallback(ctx context.Context, svc *service, it *Interaction) {
	target := svc.cfg.CallbackURL
	if target == "" {
		p.mu.Unlock()
		return
	}
	form := url.Values{}
	for k, v := range map[string]string{
		"interactionSid": it.Sid, "interactionSessionSid": it.SessionSid, "interactionServiceSid": svc.sid,
		"interactionAccountSid": p.o.AccountSid, "interactionType": it.Type, "interactionData": it.Data,
		"inboundParticipantSid": it.InboundParticipantSid, "inboundResourceSid": it.InboundResourceSid,
		"inboundResourceStatus": it.InboundResourceStatus, "outboundParticipantSid": it.OutboundParticipantSid,
		"outboundResourceSid": it.OutboundResourceSid, "outboundResourceStatus": it.OutboundResourceStatus,
	} {
		if v != "" {
			form.Set(k, v)
		}
	}
	hook := p.record(WebhookStatus, target, form)
	p.mu.Unlock()
	status, _, _, _, err := p.post(ctx, target, form)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hooks[hook].Status = status
	if err != nil || status < 200 || status > 299 {
		detail := fmt.Sprintf("the interaction status callback answered %d", status)
		if err != nil {
			detail = "the interaction status callback failed: " + err.Error()
		}
		p.log(Event{At: p.now, Code: oosc.CodeCallbackError, Service: svc.sid, Session: it.SessionSid, Detail: detail})
	}
}

// cause says why from found no Session on to, and returns the most recent
// Session not deleted in which from held to, whatever the cause.
func (svc *service) cause(from, to string) (oosc.Cause, *session) {
	var prev *session
	if h := svc.history[pair{from, to}]; len(h) > 0 {
		prev = h[len(h)-1]
	}
	switch {
	case svc.inUse[from] > 0:
		return oosc.CauseOtherProxyNumber, prev
	case prev == nil:
		return oosc.CauseNoPreviousSession, nil
	case prev.active(): // the sender was removed from it
		return oosc.CauseUnknown, prev
	case prev.closedReason == ClosedByExpiry:
		return oosc.CauseSessionExpired, prev
	}
	return oosc.CauseSessionClosed, prev
}

// outOfSession sends a contact that found no Session to the out-of-session
// callback, as steps 3 to 6 of the rules say. It is called with the lock
// held, and returns with it released.
func (p *Proxy) outOfSession(ctx context.Context, svc *service, in oosc.Inbound) Result {
	cause, prev := svc.cause(in.From, in.To)
	r := Result{Cause: cause}
	target := svc.cfg.OutOfSessionCallbackURL
	if target == "" {
		defer p.mu.Unlock()
		return p.failed(r, svc, in, nil, OutcomeFailed, "no out-of-session callback is configured ("+cause.Describe()+")", oosc.CodeUnknownScenario)
	}
	cb := callbacktest.Callback{Inbound: in, Seq: p.next()}
	form := cb.Form()
	form.Set("AccountSid", p.o.AccountSid)
	if prev != nil {
		svc.previousForm(form, prev, in.From)
	}
	hook := p.record(WebhookOutOfSession, target, form)
	now := p.now
	p.mu.Unlock()

	status, header, body, latency, err := p.post(ctx, target, form)
	resp := &callbacktest.Response{Callback: cb, Status: status, Header: header, Body: body, Latency: latency, Err: err}
	if err != nil {
		status = 0
	}
	resp.Verdict = judge.Response(status, header, body, in, &judge.Options{DocumentOnly: true, Now: func() time.Time { return now }})
	r.Response = resp

	p.mu.Lock()
	p.hooks[hook].Status = resp.Status
	v := resp.Verdict
	exchange := &debugger.Webhook{URL: target, Method: http.MethodPost, Parameters: form, Answered: err == nil, Status: status, Header: header, Body: body}
	switch {
	case err != nil:
		defer p.mu.Unlock()
		return p.failedHook(r, svc, in, nil, OutcomeFailed, "the out-of-session callback did not answer: "+err.Error(), exchange, oosc.CodeOutOfSessionCallbackError)
	case status < 200 || status > 299:
		defer p.mu.Unlock()
		return p.failedHook(r, svc, in, nil, OutcomeFailed, fmt.Sprintf("the out-of-session callback answered status %d", status), exchange, oosc.CodeOutOfSessionCallbackError)
	case !v.Valid():
		defer p.mu.Unlock()
		return p.failedHook(r, svc, in, nil, OutcomeFailed, "invalid "+string(v.Kind)+" answer: "+problems(v.Errors()), exchange, oosc.CodeUnknownScenario)
	case v.Kind == oosc.TwiMLAnswer:
		defer p.mu.Unlock()
		r.Outcome, r.Codes = OutcomeTwiML, []oosc.Code{}
		return r
	}
	return p.autoCreate(ctx, svc, in, *v.Session, r) // unlocks
}

// autoCreate carries out an auto-create answer: the Session between the
// sender and the participant it names, then the contact routed into it.
// It is called with the lock held, and returns with it released.
func (p *Proxy) autoCreate(ctx context.Context, svc *service, in oosc.Inbound, a autocreate.Session, r Result) Result {
	p.tick()
	s, err := svc.create(NewSession{UniqueName: a.UniqueName, Mode: a.Mode, TTL: a.TTL, DateExpiry: a.DateExpiry,
		Participants: []NewParticipant{
			{Identifier: in.From, ProxyIdentifier: in.To},
			{Identifier: a.ParticipantIdentifier, ProxyIdentifier: a.ParticipantProxyIdentifier},
		}})
	if err != nil {
		defer p.mu.Unlock()
		var e *Error
		if errors.As(err, &e) {
			return p.failed(r, svc, in, nil, OutcomeFailed, "the auto-create Session was not created: "+e.Message, e.Code, oosc.CodeUnknownScenario)
		}
		return p.failed(r, svc, in, nil, OutcomeFailed, err.Error(), oosc.CodeUnknownScenario)
	}
	r.Outcome = OutcomeCreated
	return p.route(ctx, svc, s.parts[0], in, r)
}

// previousForm adds a previous Session and its Participants to a callback
// form, named as Proxy names them: session*, inboundParticipant* (the
// sender's) and outboundParticipant* (the other's).
func (svc *service) previousForm(f url.Values, s *session, from string) {
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(callbacktest.ISODate)
	}
	acct := svc.p.o.AccountSid
	set("sessionSid", s.sid)
	set("sessionUniqueName", s.uniqueName)
	set("sessionAccountSid", acct)
	set("sessionServiceSid", svc.sid)
	set("sessionStatus", s.status)
	set("sessionClosedReason", s.closedReason)
	set("sessionMode", string(s.mode))
	set("sessionDateCreated", date(s.created))
	set("sessionDateUpdated", date(s.updated))
	set("sessionDateStarted", date(s.started))
	set("sessionDateLastInteraction", date(s.last))
	set("sessionDateEnded", date(s.ended))
	sides := 0
	for _, q := range slices.Concat(s.parts, s.removed) {
		prefix := "outboundParticipant"
		if q.identifier == from {
			prefix = "inboundParticipant"
		} else if sides++; sides > 1 {
			continue
		}
		set(prefix+"Sid", q.sid)
		set(prefix+"Identifier", q.identifier)
		set(prefix+"ProxyIdentifier", q.proxy.value)
		set(prefix+"ProxyIdentifierSid", q.proxy.sid)
		set(prefix+"FriendlyName", q.friendlyName)
		set(prefix+"AccountSid", acct)
		set(prefix+"ServiceSid", svc.sid)
		set(prefix+"SessionSid", s.sid)
		set(prefix+"DateCreated", date(q.created))
		set(prefix+"DateUpdated", date(q.updated))
	}
}

// SendMessage sends a Message Interaction: a message to a Participant of
// an active Session, from its proxy number, as the application does
// through Proxy's REST API. The Session's expiry by ttl counts from now.
func (p *Proxy) SendMessage(ctx context.Context, service, session, participantSid, body string, media []string) (Interaction, error) {
	p.mu.Lock()
	svc, s, err := p.session(service, session)
	if err != nil {
		p.mu.Unlock()
		return Interaction{}, err
	}
	p.tick()
	to, err := s.participant(participantSid)
	switch {
	case err != nil:
		p.mu.Unlock()
		return Interaction{}, err
	case !s.active():
		p.mu.Unlock()
		return Interaction{}, fail(oosc.CodeSessionClosed, "Session %s is closed", s.name())
	case !s.mode.Messages():
		p.mu.Unlock()
		return Interaction{}, fail(oosc.CodeMessageToVoiceOnlySession, "Session %s is %s", s.name(), s.mode)
	}
	_, data := interactionOf(oosc.Inbound{Channel: oosc.SMS, Body: body})
	svc.touch(s)
	it := svc.interact(s, "message", data, nil, to, "")
	p.sent = append(p.sent, Delivery{At: p.now, To: to.identifier, From: to.proxy.value, Channel: oosc.SMS, Body: body, Session: s.sid})
	view := *it
	p.statusCallback(ctx, svc, it) // unlocks
	return view, nil
}

// record logs a webhook about to be sent and returns its index.
func (p *Proxy) record(kind, target string, form url.Values) int {
	p.hooks = append(p.hooks, Webhook{Kind: kind, URL: target, Form: form, At: p.now})
	return len(p.hooks) - 1
}

// maxAnswerBytes bounds what is read of a webhook's answer: more than
// TwiML's 64 kB limit, so that an oversized answer is judged, not cut.
const maxAnswerBytes = 1 << 20

// post sends a signed webhook, as Twilio does, with an idempotency token,
// and reads the answer. It is called without the lock.
func (p *Proxy) post(ctx context.Context, target string, form url.Values) (status int, header http.Header, body []byte, latency time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, WebhookTimeout)
	defer cancel()
	req := callbacktest.NewSignedRequest(ctx, target, p.o.AuthToken, form)
	req.Header.Set("I-Twilio-Idempotency-Token", idempotencyToken(req))
	start := time.Now()
	resp, err := p.o.Client.Do(req)
	if err != nil {
		return 0, nil, nil, time.Since(start), err
	}
	latency = time.Since(start)
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	return resp.StatusCode, resp.Header, body, latency, err
}

// idempotencyToken is unique per request and the same for the same
// request: derived from its signature.
func idempotencyToken(r *http.Request) string {
	sig := r.Header.Get("X-Twilio-Signature")
	var b strings.Builder
	for _, c := range []byte(sig) {
		fmt.Fprintf(&b, "%02x", c)
		if b.Len() >= 32 {
			break
		}
	}
	return b.String()
}

func problems(ps []oosc.Problem) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}
