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
	"unicode/utf8"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/internal/proxyform"
	"github.com/oosc-dev/oosc/judge"
)

// Outcome is how a contact, or a scenario step's operation, went.
type Outcome string

// The outcomes of an inbound contact.
const (
	OutcomeRouted  Outcome = "routed"  // delivered through an active Session
	OutcomeTwiML   Outcome = "twiml"   // answered by the out-of-session callback's TwiML; no Session
	OutcomeCreated Outcome = "created" // an auto-create Session was made and the contact routed into it
	OutcomeFailed  Outcome = "failed"  // dropped with an error; Codes say why
	OutcomeIgnored Outcome = "ignored" // the number reached is not in the Service's pool
	OutcomeDropped Outcome = "dropped" // an opt-out keyword: not forwarded, no callback (80901)
	OutcomeBlocked Outcome = "blocked" // the intercept callback answered 403 (80909)
)

// The outcomes of a scenario step's other operations (create, close, ...).
const (
	OutcomeOK    Outcome = "ok"    // the operation succeeded
	OutcomeError Outcome = "error" // the operation was refused; the step's Codes say why
)

// Result is what happened to one inbound contact. Its JSON is the shape
// oosc simulate --json prints for a contact, and the emulator's REST
// control API answers.
type Result struct {
	Outcome Outcome     `json:"outcome"`
	Codes   []oosc.Code `json:"codes"` // the Twilio codes Proxy would log, ascending
	// Session is the uniqueName (or SID) of the Session the contact was
	// routed through or created, including one created by an auto-create
	// answer whose contact then failed; "" when none.
	Session   string `json:"session,omitempty"`
	DeliverTo string `json:"deliverTo,omitempty"` // routed or created: who receives the contact
	ShownFrom string `json:"shownFrom,omitempty"` // routed or created: the proxy number they see it from
	// Interaction is the SID (KI) of the Interaction a routed or created
	// contact made; "" when none.
	Interaction string     `json:"interaction,omitempty"`
	Cause       oosc.Cause `json:"cause,omitempty"`  // for every contact that found no Session
	Detail      string     `json:"detail,omitempty"` // what went wrong: the judge's problems, the failed operation
	// Callback is the out-of-session callback's exchange, its whole
	// answer, and the judge's verdict on it, when the callback was
	// called; nil otherwise.
	Callback *Exchange `json:"-"`
}

// Contact is an inbound contact the emulator has handled, as
// Options.OnContact receives it: when it arrived on the virtual clock,
// the Service it reached, what came in, and what became of it.
type Contact struct {
	Time       time.Time
	ServiceSid string
	Inbound    oosc.Inbound
	Result     Result
}

// optOut are the keywords that opt a sender out (or back in): a message
// that is exactly one of them is not forwarded.
var optOut = map[string]bool{"STOP": true, "STOPALL": true, "UNSUBSCRIBE": true, "END": true, "CANCEL": true,
	"QUIT": true, "ARRET": true, "ARRETE": true, "ARRETT": true, "UNSTOP": true}

// IsOptOut reports whether a message body is an opt-out keyword as Proxy
// matches them: trimmed of spaces, in any case.
func IsOptOut(body string) bool {
	body = strings.TrimSpace(body)
	// No keyword is over 11 runes, nor a body over 44 bytes: a long
	// message is not upper-cased whole.
	return len(body) <= utf8.UTFMax*len("UNSUBSCRIBE") && optOut[strings.ToUpper(body)]
}

// Inbound handles an inbound contact to a Service at the emulator's
// current time, as Proxy does: an opt-out keyword is dropped; a contact
// from a Participant of an active Session on that number is routed
// (through the intercept callback, when there is one); any other goes to
// the out-of-session callback, whose answer is judged and, for an
// auto-create session, carried out. The error is for a call that cannot
// be made: an unknown Service, a channel other than voice and sms.
//
// No lock is held while a webhook is waited for, and the whole contact
// takes at most ContactTimeout. When the emulator is reset or restored,
// or the Service deleted, while the out-of-session or the intercept
// callback is asked, the contact ends as failed, with no code, and
// nothing of it is carried out; while the status callback is asked
// (after the delivery), its answer is not recorded.
func (p *Proxy) Inbound(ctx context.Context, service string, in oosc.Inbound) (Result, error) {
	if !in.Channel.Valid() {
		return Result{}, fmt.Errorf("%w %q: an inbound contact is voice or sms", oosc.ErrUnknownChannel, in.Channel)
	}
	ctx, cancel := context.WithTimeout(ctx, p.ContactTimeout())
	defer cancel()
	c := &contact{in: in}
	var next *call
	var err error
	var at time.Time
	var onContact func(Contact)
	func() {
		defer p.edit()()
		if c.svc, err = p.service(service); err != nil {
			return
		}
		c.epoch = p.epoch
		p.tick()
		at, onContact = p.now, p.o.OnContact
		switch {
		case c.svc.byNumber[in.To] == nil:
			c.r = Result{Outcome: OutcomeIgnored, Codes: []oosc.Code{}, Detail: in.To + " is not in the Service's pool"}
		case in.Channel == oosc.SMS && IsOptOut(in.Body):
			c.r = p.failed(c.r, c.svc, in, nil, OutcomeDropped, "the message is an opt-out keyword: not forwarded, no callback", nil, oosc.CodeMessageMatchedStopWord)
		default:
			if q := c.svc.active[pair{in.From, in.To}]; q != nil {
				next = p.route(c, q)
			} else {
				next = p.outOfSession(c)
			}
		}
	}()
	if err != nil {
		return Result{}, err
	}
	for next != nil {
		next = p.send(ctx, c, next)
	}
	if onContact != nil {
		onContact(Contact{Time: at, ServiceSid: c.svc.sid, Inbound: in, Result: c.r})
	}
	return c.r, nil
}

// contact is an inbound contact on its way: what it found, its result so
// far, and the emulator's epoch it began in, so that what runs after a
// webhook can tell whether its Service is still there.
type contact struct {
	in    oosc.Inbound
	svc   *service
	epoch int
	r     Result
	// created is the out-of-session callback's exchange whose auto-create
	// answer made the Session the contact is routed into; nil otherwise.
	// The events of a failure there are explained from it.
	created *debugger.Webhook
}

// gone says why the contact has nothing left to act on, "" when it has.
// It is called with the lock held.
func (p *Proxy) gone(c *contact) string {
	switch {
	case p.epoch != c.epoch:
		return "the emulator was reset or restored while a webhook was asked: nothing of the contact was carried out"
	case c.svc.deleted:
		return "the Service was deleted while a webhook was asked: nothing of the contact was carried out"
	}
	return ""
}

// call is a webhook to send with the lock released, recorded in the
// webhooks' log, and what to do with its answer.
type call struct {
	kind    debugger.WebhookKind
	service string // the Service's SID
	target  string
	form    url.Values
	log     *ring[Exchange] // the log it is recorded in, and where
	at      int
	now     time.Time // the clock when it was sent, to judge its answer
	// then carries the contact on from the answer, with the lock held,
	// and returns the next webhook to send, if any.
	then func(a *answer) *call
}

// answer is a webhook's exchange, its whole answer, with the judge's
// verdict for an out-of-session callback's.
type answer struct {
	hook    debugger.Webhook
	err     error
	verdict judge.Verdict
}

// call records a webhook of svc about to be sent.
func (p *Proxy) call(svc *service, kind debugger.WebhookKind, target string, form url.Values) *call {
	w := &call{kind: kind, service: svc.sid, target: target, form: form, log: p.hooks, now: p.now}
	w.at = p.hooks.push(Exchange{ServiceSid: svc.sid, Webhook: debugger.Webhook{Kind: kind, Time: p.now, URL: target, Method: http.MethodPost, Parameters: form}})
	return w
}

// send sends a webhook without the lock, then, with it, records the
// answer and carries the contact on, unless the contact has nothing left
// to act on.
func (p *Proxy) send(ctx context.Context, c *contact, w *call) *call {
	a := answer{hook: debugger.Webhook{Kind: w.kind, Time: w.now, URL: w.target, Method: http.MethodPost, Parameters: w.form}}
	var status int
	var header http.Header
	var body []byte
	status, header, body, a.hook.Latency, a.err = p.post(ctx, w.target, w.form)
	if a.err == nil {
		a.hook.Answered, a.hook.Status, a.hook.Header, a.hook.Body = true, status, header, body
	} else {
		a.hook.Error = a.err.Error()
	}
	if w.kind == debugger.WebhookOutOfSession {
		now := w.now
		a.verdict = judge.Response(a.hook.Status, a.hook.Header, a.hook.Body, c.in, &judge.Options{DocumentOnly: true, Now: func() time.Time { return now }})
	}
	defer p.edit()()
	if p.epoch == c.epoch { // else a reset or restore emptied the log it was in
		if h := w.log.at(w.at); h != nil {
			*h = Exchange{ServiceSid: w.service, Webhook: logged(a.hook), Err: a.err, Verdict: a.verdict}
			if p.o.OnWebhook != nil {
				n := cloneExchange(*h)
				p.notices = append(p.notices, notice{webhook: &n})
			}
		}
	}
	if why := p.gone(c); why != "" {
		if w.kind != debugger.WebhookStatus { // the status callback comes after the delivery, which stands
			c.r = Result{Outcome: OutcomeFailed, Codes: []oosc.Code{}, Cause: c.r.Cause, Detail: why}
		}
		return nil
	}
	if w.then == nil {
		return nil
	}
	return w.then(&a)
}

// failed records a contact that did not go through, logging each code,
// each event with them all (its Codes); hook is the webhook exchange it
// came from, if any, for the events' explanations.
func (p *Proxy) failed(r Result, svc *service, in oosc.Inbound, s *session, outcome Outcome, detail string, hook *debugger.Webhook, codes ...oosc.Code) Result {
	r.Outcome, r.Detail = outcome, detail
	r.Codes = sortedCodes(codes)
	resource := ""
	if s != nil {
		r.Session, resource = s.name(), s.sid
	} else if hook != nil {
		resource = hook.Parameters.Get("CallSid") + hook.Parameters.Get("MessageSid")
	}
	for _, c := range r.Codes {
		p.log(debugger.Event{Time: p.now, Code: c, ServiceSid: svc.sid, ResourceSid: resource, Session: r.Session,
			From: in.From, To: in.To, Cause: r.Cause, Text: detail, Codes: slices.Clone(r.Codes)}, hook)
	}
	return r
}

func sortedCodes(codes []oosc.Code) []oosc.Code {
	out := slices.Clone(codes)
	slices.Sort(out)
	return slices.Compact(append([]oosc.Code{}, out...))
}

// route delivers a contact through the Session of its sender's
// Participant q, as step 2 of the rules says, after asking the intercept
// callback when there is one. It is called with the lock held, and
// returns the webhook to send next, if any.
func (p *Proxy) route(c *contact, q *participant) *call {
	svc, in, s := c.svc, c.in, q.s
	switch {
	case in.Channel == oosc.Voice && !s.mode.Voice():
		c.r = p.failed(c.r, svc, in, s, OutcomeFailed, "a call into a "+string(s.mode)+" Session", c.created, oosc.CodeCallToMessageOnlySession)
		return nil
	case in.Channel == oosc.SMS && !s.mode.Messages():
		c.r = p.failed(c.r, svc, in, s, OutcomeFailed, "a message into a "+string(s.mode)+" Session", c.created, oosc.CodeMessageToVoiceOnlySession)
		return nil
	}
	other := s.partner(q)
	if other == nil {
		c.r = p.failed(c.r, svc, in, s, OutcomeFailed, "Session "+s.name()+" has no other Participant", c.created, oosc.CodeNoPartnerParticipant)
		return nil
	}
	kind, data := interactionOf(in)
	itSid, inboundSid := p.sid("KI"), p.sid(inboundPrefix(in))
	if svc.cfg.InterceptCallbackURL == "" {
		return p.deliver(c, q, other, kind, data, itSid, inboundSid)
	}
	w := p.intercept(svc, Interaction{Sid: itSid, SessionSid: s.sid, Type: kind, Data: data, Created: p.now, Updated: p.now,
		InboundParticipantSid: q.sid, InboundResourceSid: inboundSid, InboundResourceStatus: inboundStatus(kind)})
	w.then = func(a *answer) *call {
		if a.hook.Status == http.StatusForbidden {
			c.r = p.failed(c.r, svc, in, s, OutcomeBlocked, "the intercept callback answered 403", &a.hook, oosc.CodeInboundContactRejected)
			return nil
		}
		// The Session may have changed while the intercept was asked.
		if svc.active[pair{in.From, in.To}] != q || s.partner(q) != other {
			c.r = p.failed(c.r, svc, in, s, OutcomeFailed, "Session "+s.name()+" changed while the intercept callback was asked", &a.hook, oosc.CodeUnknownParticipant)
			return nil
		}
		return p.deliver(c, q, other, kind, data, itSid, inboundSid)
	}
	return w
}

// deliver hands a routed contact to the other Participant, and returns
// the status callback to send, if any. It is called with the lock held.
func (p *Proxy) deliver(c *contact, q, other *participant, kind InteractionType, data, itSid, inboundSid string) *call {
	svc, in, s := c.svc, c.in, q.s
	svc.touch(s)
	it := svc.interact(s, itSid, kind, data, q, other, inboundSid)
	p.sent.push(Delivery{Time: p.now, To: other.identifier, From: other.proxy.value, Channel: in.Channel, Body: in.Body,
		Media: slices.Clone(in.Media), SessionSid: s.sid, ServiceSid: svc.sid, Source: SourceRouted})
	if c.r.Outcome == "" {
		c.r.Outcome = OutcomeRouted
	}
	c.r.Codes = []oosc.Code{}
	c.r.Session, c.r.DeliverTo, c.r.ShownFrom, c.r.Interaction = s.name(), other.identifier, other.proxy.value, it.Sid
	return p.statusCallback(svc, it)
}

func inboundPrefix(in oosc.Inbound) string {
	if in.Channel == oosc.Voice {
		return "CA"
	}
	return "SM"
}

// interactionOf is an Interaction's type and data for an inbound contact.
func interactionOf(in oosc.Inbound) (kind InteractionType, data string) {
	if in.Channel == oosc.Voice {
		return InteractionVoice, "" // a call's duration, once it ends (see EndCall)
	}
	b, _ := json.Marshal(struct {
		Body string `json:"body"`
	}{in.Body})
	return InteractionMessage, string(b)
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

// statusCallback returns the webhook that tells the Service's CallbackURL
// of an Interaction, nil when there is none; a failure is logged as
// 80908. It is called with the lock held.
func (p *Proxy) statusCallback(svc *service, it *Interaction) *call {
	target := svc.cfg.CallbackURL
	if target == "" {
		return nil
	}
	form := p.hookInteraction(svc, *it).StatusForm()
	w := p.call(svc, debugger.WebhookStatus, target, form)
	w.then = func(a *answer) *call {
		if a.err != nil || a.hook.Status < 200 || a.hook.Status > 299 {
			detail := fmt.Sprintf("the interaction status callback answered %d", a.hook.Status)
			if a.err != nil {
				detail = "the interaction status callback failed: " + a.err.Error()
			}
			e := debugger.Event{Time: p.now, Code: oosc.CodeCallbackError, ServiceSid: svc.sid, ResourceSid: it.SessionSid, Text: detail}
			if s := svc.sessByID[it.SessionSid]; s != nil {
				e.Session = s.name()
			}
			p.log(e, &a.hook)
		}
		return nil
	}
	return w
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
	case prev.closedReason == oosc.ClosedByExpiry:
		return oosc.CauseSessionExpired, prev
	}
	return oosc.CauseSessionClosed, prev
}

// outOfSession sends a contact that found no Session to the out-of-session
// callback, as steps 3 to 6 of the rules say. It is called with the lock
// held, and returns the webhook to send, if any.
func (p *Proxy) outOfSession(c *contact) *call {
	svc, in := c.svc, c.in
	cause, prev := svc.cause(in.From, in.To)
	c.r = Result{Cause: cause}
	target := svc.cfg.OutOfSessionCallbackURL
	if target == "" {
		c.r = p.failed(c.r, svc, in, nil, OutcomeFailed, "no out-of-session callback is configured ("+cause.Describe()+")", nil, oosc.CodeUnknownScenario)
		return nil
	}
	oos := proxyform.OutOfSession{Inbound: in, AccountSid: p.o.AccountSid, InteractionSid: proxyform.SID(inboundPrefix(in), p.next())}
	if prev != nil {
		oos.Previous = svc.previous(prev, in.From)
	}
	w := p.call(svc, debugger.WebhookOutOfSession, target, oos.Form())
	w.then = func(a *answer) *call {
		c.r.Callback = &Exchange{ServiceSid: svc.sid, Webhook: a.hook, Err: a.err, Verdict: a.verdict}
		v, hook := a.verdict, &a.hook
		switch {
		case a.err != nil:
			c.r = p.failed(c.r, svc, in, nil, OutcomeFailed, "the out-of-session callback did not answer: "+a.err.Error(), hook, v.LoggedCodes()...)
		case hook.Status < 200 || hook.Status > 299:
			c.r = p.failed(c.r, svc, in, nil, OutcomeFailed, fmt.Sprintf("the out-of-session callback answered status %d", hook.Status), hook, v.LoggedCodes()...)
		case !v.Valid():
			c.r = p.failed(c.r, svc, in, nil, OutcomeFailed, "invalid "+string(v.Kind)+" answer: "+problems(v.Errors()), hook, v.LoggedCodes()...)
		case v.Kind == oosc.TwiMLAnswer:
			c.r.Outcome, c.r.Codes = OutcomeTwiML, []oosc.Code{}
			for _, d := range replies(hook.Body, in) {
				d.Time, d.ServiceSid, d.Source = p.now, svc.sid, SourceTwiML
				p.sent.push(d)
			}
		default:
			return p.autoCreate(c, *v.Session, hook)
		}
		return nil
	}
	return w
}

// autoCreate carries out an auto-create answer: the Session between the
// sender and the participant it names, then the contact routed into it.
// It is called with the lock held, and returns the webhook to send next,
// if any.
func (p *Proxy) autoCreate(c *contact, a autocreate.Session, hook *debugger.Webhook) *call {
	svc, in := c.svc, c.in
	p.tick()
	s, err := svc.create(NewSession{UniqueName: a.UniqueName, Mode: a.Mode, TTL: a.TTL, DateExpiry: a.DateExpiry,
		Participants: []NewParticipant{
			{Identifier: in.From, ProxyIdentifier: in.To},
			{Identifier: a.ParticipantIdentifier, ProxyIdentifier: a.ParticipantProxyIdentifier},
		}})
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			c.r = p.failed(c.r, svc, in, nil, OutcomeFailed, "the auto-create Session was not created: "+e.Message, hook, e.Code, oosc.CodeUnknownScenario)
		} else {
			c.r = p.failed(c.r, svc, in, nil, OutcomeFailed, err.Error(), hook, oosc.CodeUnknownScenario)
		}
		return nil
	}
	c.r.Outcome, c.created = OutcomeCreated, hook
	return p.route(c, s.parts[0])
}

// previous is a previous Session and its Participants as the
// out-of-session callback reports them: Inbound is the sender's
// Participant, Outbound the other's, removed ones included.
func (svc *service) previous(s *session, from string) *proxyform.Session {
	acct := svc.p.o.AccountSid
	v := &proxyform.Session{Sid: s.sid, UniqueName: s.uniqueName, AccountSid: acct, ServiceSid: svc.sid, Status: s.status,
		ClosedReason: s.closedReason, Mode: string(s.mode), Created: s.created, Updated: s.updated, Started: s.started,
		LastInteraction: s.last, Ended: s.ended}
	for _, q := range slices.Concat(s.parts, s.removed) {
		side := &proxyform.Participant{Sid: q.sid, Identifier: q.identifier, ProxyIdentifier: q.proxy.value,
			ProxyIdentifierSid: q.proxy.sid, FriendlyName: q.friendlyName, Created: q.created, Updated: q.updated}
		switch {
		case q.identifier == from:
			v.Inbound = side
		case v.Outbound == nil:
			v.Outbound = side
		}
	}
	return v
}

// SendMessage sends a Message Interaction: a message to a Participant of
// an active Session, from its proxy number, as the application does
// through Proxy's REST API, after asking the intercept callback when
// there is one (a 403 refuses it: 80909). The Session's expiry by ttl
// counts from now.
func (p *Proxy) SendMessage(ctx context.Context, service, session, participantSid, body string, media []string) (Interaction, error) {
	ctx, cancel := context.WithTimeout(ctx, p.ContactTimeout())
	defer cancel()
	c := &contact{}
	var view Interaction
	var refused error
	var next *call
	err := func() error {
		defer p.edit()()
		svc, s, err := p.session(service, session)
		if err != nil {
			return err
		}
		c.svc, c.epoch = svc, p.epoch
		p.tick()
		to, err := s.participant(participantSid)
		if err := sendable(s, to, participantSid, err); err != nil {
			return err
		}
		_, data := interactionOf(oosc.Inbound{Channel: oosc.SMS, Body: body})
		itSid := p.sid("KI")
		send := func() *call {
			svc.touch(s)
			it := svc.interact(s, itSid, InteractionMessage, data, nil, to, "")
			p.sent.push(Delivery{Time: p.now, To: to.identifier, From: to.proxy.value, Channel: oosc.SMS, Body: body,
				Media: slices.Clone(media), SessionSid: s.sid, ServiceSid: svc.sid, Source: SourceMessage})
			view = *it
			return p.statusCallback(svc, it)
		}
		if svc.cfg.InterceptCallbackURL == "" {
			next = send()
			return nil
		}
		next = p.intercept(svc, Interaction{Sid: itSid, SessionSid: s.sid, Type: InteractionMessage, Data: data, Created: p.now, Updated: p.now})
		next.then = func(a *answer) *call {
			if a.hook.Status == http.StatusForbidden {
				p.log(debugger.Event{Time: p.now, Code: oosc.CodeInboundContactRejected, ServiceSid: svc.sid, ResourceSid: s.sid,
					Session: s.name(), From: to.proxy.value, To: to.identifier,
					Text: "the intercept callback answered 403 to a Message Interaction"}, &a.hook)
				refused = fail(oosc.CodeInboundContactRejected, "the intercept callback answered 403: the message was not sent")
				return nil
			}
			// The Session may have changed while the intercept was asked.
			if s.deleted {
				refused = notFound("Session", session)
				return nil
			}
			if refused = sendable(s, to, participantSid, nil); refused != nil {
				return nil
			}
			return send()
		}
		return nil
	}()
	if err != nil {
		return Interaction{}, err
	}
	for next != nil {
		next = p.send(ctx, c, next)
	}
	switch {
	case refused != nil:
		return Interaction{}, refused
	case view.Sid == "":
		return Interaction{}, fail(oosc.CodeUnknownParticipant, "the emulator was reset, restored or its Service deleted while the intercept callback was asked: the message was not sent")
	}
	return view, nil
}

// sendable says why a Message Interaction cannot go to Participant to
// of s (err: the lookup's), nil when it can.
func sendable(s *session, to *participant, sid string, err error) error {
	switch {
	case err != nil:
		return err
	case !to.deleted.IsZero():
		return fail(oosc.CodeUnknownParticipant, "Participant %s was removed from Session %s", sid, s.name())
	case !s.active():
		return fail(oosc.CodeSessionClosed, "Session %s is closed", s.name())
	case !s.mode.Messages():
		return fail(oosc.CodeMessageToVoiceOnlySession, "Session %s is %s", s.name(), s.mode)
	}
	return nil
}

// maxAnswerBytes bounds what is read of a webhook's answer: more than
// TwiML's 64 kB limit, so that an oversized answer is judged, not cut.
const maxAnswerBytes = 1 << 20

// post sends a signed webhook, as Twilio does, with an idempotency token,
// and reads the answer. It is called without the lock.
func (p *Proxy) post(ctx context.Context, target string, form url.Values) (status int, header http.Header, body []byte, latency time.Duration, err error) {
	ctx, cancel := context.WithTimeout(ctx, p.o.WebhookTimeout)
	defer cancel()
	req, err := proxyform.NewRequest(ctx, target, p.o.AuthToken, form)
	if err != nil {
		return 0, nil, nil, 0, err
	}
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
