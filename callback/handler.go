package callback

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/internal/form"
	"github.com/oosc-dev/oosc/internal/redact"
	"github.com/oosc-dev/oosc/twiml"
	"github.com/oosc-dev/oosc/webhook"
)

// Decision limits. Twilio waits 15 s for the whole answer, connection
// included.
const (
	DefaultDecisionTimeout = 5 * time.Second
	MaxDecisionTimeout     = 14 * time.Second
)

// outerMargin is how long before a sooner deadline of the request's
// context (set by http.TimeoutHandler or another middleware) the fallback
// goes out, so that it is written before the middleware gives up and
// answers 503 itself.
const outerMargin = 100 * time.Millisecond

// DecideFunc decides the answer to an out-of-session interaction. ctx carries the request context's values and
// the decision's deadline: DecisionTimeout, or, when the request's context
// has a sooner deadline (an http.TimeoutHandler around the handler), 100
// ms before that one. The deadline also covers writing out and validating
// the answer; when it passes, ctx is done with context.DeadlineExceeded,
// the handler sends the fallback at once and returns, and what the
// function returns later is dropped. ctx is canceled when the client goes
// away and when the answer has been written. A function that ignores ctx
// still gets its fallback sent in time: over HTTP/1.x it runs on the
// request's goroutine, which it keeps until it returns (the connection is
// then closed); over HTTP/2 it runs on a goroutine of its own, which it
// keeps instead.
type DecideFunc func(ctx context.Context, req *Request) (Answer, error)

// Options configure a [Handler]. The zero value of each field is its
// documented default; only Verifier (or InsecureSkipVerify) must be set:
//
//	v, err := webhook.NewVerifier([]string{token}, nil)
//	...
//	h, err := callback.NewHandler(decide, &callback.Options{Verifier: v})
type Options struct {
	// Verifier checks each request's signature; its body limit and URL
	// rules apply to the handler too, and it answers and reports every
	// request the handler refuses ([webhook.Verifier.Reject]: its Logger
	// and OnReject). Required unless InsecureSkipVerify is set.
	Verifier *webhook.Verifier
	// InsecureSkipVerify turns X-Twilio-Signature checking off, so that
	// anyone can call the handler. Default: false. For local tests only.
	// A Verifier given with it still sets the body limit and reports
	// rejections; without one, rejections are reported to OnOutcome only.
	InsecureSkipVerify bool
	// DecisionTimeout is the decision's deadline. Default:
	// DefaultDecisionTimeout (5 s); at most MaxDecisionTimeout (14 s).
	//
	// Behind an http.TimeoutHandler, give the TimeoutHandler a longer
	// timeout: DecisionTimeout plus a second is ample. Were it equal or
	// shorter, the handler would still answer 100 ms before its deadline,
	// but the decision would get less time than DecisionTimeout. An
	// http.Server's WriteTimeout must be longer still, or the fallback
	// cannot be written. The handler logs a warning at its first request
	// when it sees either too short.
	DecisionTimeout time.Duration
	// VoiceFallback answers a call when the decision fails. Default: a
	// short apology, then <Hangup/>. It must be valid voice TwiML.
	VoiceFallback *twiml.VoiceResponse
	// SMSFallback answers a message when the decision fails. Default: an
	// empty <Response/> (no reply). It must be valid messaging TwiML.
	SMSFallback *twiml.MessagingResponse
	// Logger receives a WARN record for each answer that fell back and for
	// each client that went away, and a DEBUG record for each request
	// answered as decided. Rejected requests (4xx), which anyone can send,
	// are the Verifier's to log (webhook.Options.Logger, at WARN at most
	// once per RejectionLogInterval), not this Logger's. A panic in its
	// handler is logged with slog's default logger and loses no answer.
	// Default: no logging.
	Logger *slog.Logger
	// LogPhoneNumbers writes phone numbers in logs in full. Default: false;
	// every phone number and channel address in every attribute (from, to,
	// the reason, the validation problems) keeps only its last two digits.
	LogPhoneNumbers bool
	// OnOutcome, if set, is called once for each request with its outcome,
	// for metrics and traces, when its answer is written. It runs on the
	// request's goroutine and must not block; a panic in it is logged at
	// ERROR and the answer still goes out. The Outcome is not masked: use
	// [RedactPhoneNumbers] on what it holds before writing it anywhere.
	OnOutcome func(context.Context, Outcome)
	// Now is the clock used to judge an auto-create dateExpiry. Default: time.Now.
	Now func() time.Time
}

// OutcomeKind says how a request ended.
type OutcomeKind string

// The outcomes of a request.
const (
	Answered   OutcomeKind = "answered"    // the decision's answer was written
	FellBack   OutcomeKind = "fell-back"   // the fallback was written; Err says why
	Rejected   OutcomeKind = "rejected"    // a 4xx was written; Err says why
	ClientGone OutcomeKind = "client-gone" // nothing was written: the client left
)

// Outcome describes how one request was handled.
type Outcome struct {
	Kind    OutcomeKind     // how the request ended
	Status  int             // the status written; 0 when nothing was
	Channel oosc.Channel    // "" when unknown or rejected before parsing
	Answer  oosc.AnswerKind // the kind of answer written: oosc.TwiMLAnswer or oosc.AutoCreateAnswer
	// Err is why the request fell back or was rejected: a sentinel of this
	// package (possibly wrapped) for a fallback, of package webhook for a
	// rejection, oosc.ErrUnknownChannel, or an [*oosc.ValidationError] for
	// an answer Proxy would refuse.
	Err error
	// Problems are the errors of an answer Proxy would refuse.
	Problems []oosc.Problem
	Latency  time.Duration // from the request's arrival to its answer
	// Request is the parsed request; nil when rejected before parsing.
	Request *Request
}

// Handler serves Twilio Proxy's out-of-session callback: it verifies the
// signature, parses the request, asks the decision function, validates
// the answer for the request's channel and sender, and writes it with the
// Content-Type Proxy requires, or the fallback when anything goes wrong.
// It is safe for concurrent use. Printed or logged, it shows no secret.
type Handler struct {
	decide   DecideFunc
	verifier *webhook.Verifier // never nil: a zero Verifier with InsecureSkipVerify and none given
	skip     bool
	timeout  time.Duration
	logger   *slog.Logger
	fullNums bool
	onOut    func(context.Context, Outcome)
	now      func() time.Time
	fallback map[oosc.Channel][]byte
	empty    []byte
	outer    sync.Once // the check of the outer timeouts, at the first request
}

// NewHandler returns a handler that answers with decide. It returns an
// error for a configuration that cannot work: no decision function, no
// Verifier without InsecureSkipVerify, a deadline over
// MaxDecisionTimeout, or a fallback that is not valid TwiML for its
// channel.
func NewHandler(decide DecideFunc, opts *Options) (*Handler, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if decide == nil {
		return nil, errors.New("callback: NewHandler needs a decision function")
	}
	if o.Verifier == nil && !o.InsecureSkipVerify {
		return nil, fmt.Errorf("%w: set Options.Verifier (from webhook.NewVerifier), or InsecureSkipVerify for local tests", webhook.ErrNoAuthToken)
	}
	switch {
	case o.DecisionTimeout == 0:
		o.DecisionTimeout = DefaultDecisionTimeout
	case o.DecisionTimeout < 0 || o.DecisionTimeout > MaxDecisionTimeout:
		return nil, fmt.Errorf("callback: Options.DecisionTimeout %v must be between 0 and %v (Twilio waits 15 s)", o.DecisionTimeout, MaxDecisionTimeout)
	}
	if o.VoiceFallback == nil {
		o.VoiceFallback = DefaultVoiceFallback()
	}
	if o.SMSFallback == nil {
		o.SMSFallback = twiml.NewMessagingResponse()
	}
	voice, err := validFallback(o.VoiceFallback.Bytes, oosc.Voice)
	if err != nil {
		return nil, err
	}
	sms, err := validFallback(o.SMSFallback.Bytes, oosc.SMS)
	if err != nil {
		return nil, err
	}
	empty, _ := twiml.NewMessagingResponse().Bytes() // <Response/>, valid for both channels
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Verifier == nil {
		o.Verifier = new(webhook.Verifier) // InsecureSkipVerify: the default body limit, no reporting
	}
	return &Handler{
		decide: decide, verifier: o.Verifier, skip: o.InsecureSkipVerify,
		timeout: o.DecisionTimeout, logger: o.Logger, fullNums: o.LogPhoneNumbers, onOut: o.OnOutcome, now: o.Now,
		fallback: map[oosc.Channel][]byte{oosc.Voice: voice, oosc.SMS: sms},
		empty:    empty,
	}, nil
}

// String describes the handler's settings without any secret.
func (h *Handler) String() string {
	if h == nil {
		return "callback.Handler(nil)"
	}
	return fmt.Sprintf("callback.Handler{Verifier: %v, InsecureSkipVerify: %v, DecisionTimeout: %v}", h.verifier, h.skip, h.timeout)
}

// GoString is String, so that %#v prints no secret either.
func (h *Handler) GoString() string { return h.String() }

// LogValue describes the handler for slog without any secret.
func (h *Handler) LogValue() slog.Value {
	if h == nil {
		return slog.StringValue("nil")
	}
	return slog.GroupValue(slog.Any("verifier", h.verifier), slog.Bool("insecure_skip_verify", h.skip),
		slog.Duration("decision_timeout", h.timeout))
}

// DefaultVoiceFallback returns the default voice fallback: a short apology
// and <Hangup/>.
func DefaultVoiceFallback() *twiml.VoiceResponse {
	r := twiml.NewVoiceResponse()
	r.Say("Sorry, we cannot connect your call right now. Please try again later.", nil)
	r.Hangup()
	return r
}

func validFallback(bytesOf func() ([]byte, error), ch oosc.Channel) ([]byte, error) {
	b, err := bytesOf()
	if err != nil {
		return nil, fmt.Errorf("callback: the %s fallback cannot be built: %w", ch, err)
	}
	if err := twiml.Validate(b, ch).Err(); err != nil {
		return nil, fmt.Errorf("callback: the %s fallback is invalid: %w", ch, err)
	}
	return b, nil
}

// ServeHTTP answers one out-of-session callback: 405, 415, 413, 400 or 403
// for a request it refuses (answered and reported by the Verifier), else
// 200 with the decision's answer or the channel's fallback. A Handler not
// made by NewHandler (the zero Handler, or a nil *Handler) has no token and
// no decision: it answers 500 to every request, as the zero
// webhook.Verifier does, and says so once in the default logger.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h == nil || h.decide == nil {
		unconfigured.Do(func() {
			slog.Error("callback: a Handler not made by NewHandler answers every request with 500; use NewHandler")
		})
		new(webhook.Verifier).Reject(w, r, webhook.ErrNoAuthToken)
		return
	}
	start := time.Now()
	h.outer.Do(func() { h.checkOuterTimeouts(r) })
	req, err := h.accept(w, r)
	if err != nil {
		h.verifier.Reject(w, r, err)
		h.report(r.Context(), Outcome{Kind: Rejected, Err: err, Status: webhook.Status(err)}, start)
		return
	}
	out := Outcome{Request: req, Channel: req.Channel}
	if req.Channel == "" {
		h.write(w, &out, twiml.ContentType, h.empty, oosc.ErrUnknownChannel)
		h.report(r.Context(), out, start)
		return
	}
	h.decideAndWrite(w, r, out, start)
}

// unconfigured logs once that a Handler was used without NewHandler.
var unconfigured sync.Once

// accept checks the method, the media type, the body's size and the
// signature, and parses the request; its error, of package webhook, is why
// it is rejected.
func (h *Handler) accept(w http.ResponseWriter, r *http.Request) (*Request, error) {
	if r.Method != http.MethodPost {
		return nil, webhook.ErrMethodNotAllowed
	}
	if !isForm(r) {
		return nil, webhook.ErrUnsupportedMediaType
	}
	body, err := h.verifier.ReadBody(w, r)
	if err != nil {
		return nil, err
	}
	if !h.skip {
		if err := h.verifier.Verify(r, body); err != nil {
			return nil, err
		}
	}
	fields, err := form.Parse(nil, body)
	if err != nil {
		return nil, webhook.ErrMalformedForm
	}
	return requestOf(fields, r.Header), nil
}

// isForm reports whether the request's media type is a form, whatever
// its parameters (Twilio sends "application/x-www-form-urlencoded" or
// adds "; charset=utf-8").
func isForm(r *http.Request) bool {
	mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/x-www-form-urlencoded")
}

// decision is a decision's result: its answer written out, or why there
// is none.
type decision struct {
	contentType string
	body        []byte
	err         error
}

// pending is one request whose decision is running. Whichever of the
// decision and its deadline comes first answers it, once.
type pending struct {
	h     *Handler
	w     http.ResponseWriter
	r     *http.Request
	out   Outcome
	start time.Time

	ctx      context.Context // the decision's
	alarm    *time.Timer     // answers at the deadline, when the decision runs on the request's goroutine
	mu       sync.Mutex      // held by the alarm while it answers
	answered bool            // by the decision or the alarm
}

// decideAndWrite runs the decision under its deadline and writes its
// answer, or the channel's fallback when it fails or the deadline passes
// first, or nothing when the client has gone; then it reports the outcome.
//
// Where it can, the decision runs on the request's goroutine, and at the
// deadline a timer writes the fallback (whole, with its Content-Length)
// and flushes it: the caller has its complete answer while the late
// decision still holds the request. That needs HTTP/1.x, a ResponseWriter
// that flushes, and no deadline on the request's context: over HTTP/2 a
// response ends only when the handler returns, and a middleware that
// sets a deadline (http.TimeoutHandler) or cannot flush may hold what is
// written until then. Otherwise the decision runs on a goroutine of its
// own, and the handler returns at the deadline. The first way saves the
// goroutine hand-off on every request: about half of the handler's time
// in bench/ (BenchmarkPaired: 2.4x the floor for a call with the hand-off,
// 0.92x without).
func (h *Handler) decideAndWrite(w http.ResponseWriter, r *http.Request, out Outcome, start time.Time) {
	deadline := time.Now().Add(h.timeout)
	outer, hasOuter := r.Context().Deadline()
	if hasOuter && outer.Add(-outerMargin).Before(deadline) {
		deadline = outer.Add(-outerMargin)
	}
	ctx, cancel := context.WithDeadline(r.Context(), deadline)
	defer cancel()
	p := &pending{h: h, w: w, r: r, out: out, start: start}
	if _, flushes := w.(http.Flusher); r.ProtoMajor == 1 && flushes && !hasOuter {
		p.decideHere(ctx, deadline)
	} else {
		p.decideApart(ctx)
	}
}

// decideHere calls the decision on the request's goroutine; a timer
// answers with the fallback if the decision has not returned by the
// deadline.
func (p *pending) decideHere(ctx context.Context, deadline time.Time) {
	p.ctx = ctx
	p.alarm = time.AfterFunc(time.Until(deadline), p.expire)
	returned := false
	defer func() {
		if !returned {
			// runtime.Goexit: answer now and flush, as net/http closes
			// the connection when this goroutine ends.
			p.settle(decision{err: ErrDecisionExited}, true)
		}
	}()
	d := p.h.call(ctx, p.out.Request)
	returned = true
	p.settle(d, false)
}

// expire, the alarm's function, answers with the fallback unless the
// decision has answered. It first waits for the decision's context to
// expire (its timer is set for the same instant), so that the decision
// sees DeadlineExceeded, not the cancellation that follows once the
// client has its answer. It holds the lock while it answers, so that
// settle returns only once the answer is out.
func (p *pending) expire() {
	<-p.ctx.Done()
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.answered {
		p.answered = true
		p.answer(decision{err: ErrDecisionTimeout}, true)
	}
}

// settle answers with d unless the alarm has answered; then d is dropped.
func (p *pending) settle(d decision, late bool) {
	p.mu.Lock()
	first := !p.answered
	p.answered = true
	p.mu.Unlock()
	if first {
		p.alarm.Stop()
		p.answer(d, late)
	}
}

// decideApart calls the decision on a goroutine of its own and answers
// with the fallback when the deadline passes first.
func (p *pending) decideApart(ctx context.Context) {
	done := make(chan decision, 1) // buffered: a late decision's send never blocks
	go func() {
		returned := false
		defer func() {
			if !returned {
				done <- decision{err: ErrDecisionExited}
			}
		}()
		done <- p.h.call(ctx, p.out.Request)
		returned = true
	}()
	var d decision
	select {
	case d = <-done:
	case <-ctx.Done():
		select {
		case d = <-done: // it returned as the deadline passed
		default:
			d.err = ErrDecisionTimeout
		}
	}
	p.answer(d, false)
}

// answer writes the decision's answer, or the fallback when d.err says why
// there is none, or nothing when the client has gone, and reports the
// outcome. A late answer (HTTP/1.x only) goes with Connection: close, so
// that the next callback takes another connection rather than wait for
// this one's late decision, and is flushed at once.
func (p *pending) answer(d decision, late bool) {
	if d.err != nil && clientGone(p.r) {
		p.out.Kind, p.out.Err = ClientGone, ErrClientGone
	} else {
		if d.err != nil {
			d.contentType, d.body = twiml.ContentType, p.h.fallback[p.out.Channel]
		}
		if late {
			p.w.Header().Set("Connection", "close")
		}
		p.h.write(p.w, &p.out, d.contentType, d.body, d.err)
		if f, ok := p.w.(http.Flusher); ok && late {
			f.Flush()
		}
	}
	p.h.report(p.r.Context(), p.out, p.start)
}

// call calls the decision and renders its answer, turning an error, a
// panic or an invalid answer into the reason to fall back. (A
// runtime.Goexit is its callers' to catch: nothing after it runs here.)
func (h *Handler) call(ctx context.Context, req *Request) (d decision) {
	defer func() {
		if p := recover(); p != nil {
			d = decision{err: fmt.Errorf("%w: %v", ErrDecisionPanic, p)}
		}
	}()
	a, err := h.decide(ctx, req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return decision{err: ErrDecisionTimeout}
		}
		return decision{err: fmt.Errorf("%w: %w", ErrDecisionFailed, err)}
	}
	ct, body, err := a.render(req, h.now)
	return decision{contentType: ct, body: body, err: err}
}

// clientGone reports whether the request's context was canceled, as the
// server does when the client goes away. A request context that has only
// passed its deadline (set by a middleware) still gets the fallback.
func clientGone(r *http.Request) bool {
	return errors.Is(r.Context().Err(), context.Canceled)
}

// checkOuterTimeouts warns when what runs the handler leaves it less time
// than its decision's deadline: a server's WriteTimeout, or a sooner
// deadline on the request's context, as http.TimeoutHandler sets.
func (h *Handler) checkOuterTimeouts(r *http.Request) {
	ctx := context.WithoutCancel(r.Context())
	if srv, ok := r.Context().Value(http.ServerContextKey).(*http.Server); ok && srv.WriteTimeout > 0 && srv.WriteTimeout <= h.timeout+time.Second {
		h.logger.LogAttrs(ctx, slog.LevelWarn, "callback: the server's WriteTimeout is not longer than the decision's deadline plus a second: a fallback after a slow decision may not be written; make WriteTimeout longer than DecisionTimeout",
			slog.Duration("write_timeout", srv.WriteTimeout), slog.Duration("decision_timeout", h.timeout))
	}
	if d, ok := r.Context().Deadline(); ok && time.Until(d) < h.timeout+outerMargin {
		h.logger.LogAttrs(ctx, slog.LevelWarn, "callback: the request's context (an http.TimeoutHandler or another middleware) ends before the decision's deadline: the decision gets less than DecisionTimeout, and the fallback goes out 100 ms before the outer deadline; give the outer timeout DecisionTimeout plus a second",
			slog.Duration("outer_deadline_in", time.Until(d).Round(time.Millisecond)), slog.Duration("decision_timeout", h.timeout))
	}
}

// write writes a 200 answer and records the outcome; err is why the
// answer is a fallback, nil when it is the decision's.
func (h *Handler) write(w http.ResponseWriter, out *Outcome, ct string, body []byte, err error) {
	out.Kind, out.Status, out.Answer = Answered, http.StatusOK, oosc.TwiMLAnswer
	if ct == autocreate.ContentType {
		out.Answer = oosc.AutoCreateAnswer
	}
	if err != nil {
		out.Kind, out.Err = FellBack, err
		var ve *oosc.ValidationError
		if errors.As(err, &ve) {
			out.Problems = ve.Problems
		}
	}
	hd := w.Header()
	hd.Set("Content-Type", ct)
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	hd.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// report logs the outcome and passes it to the hook.
//
// A panic in the Logger's handler or in OnOutcome is logged at ERROR rather
// than passed on: net/http would recover it by dropping the connection
// with the answer still unsent. OnOutcome is called even when logging
// panicked.
func (h *Handler) report(ctx context.Context, out Outcome, start time.Time) {
	out.Latency = time.Since(start)
	defer h.survive(ctx)
	if h.onOut != nil {
		defer h.hook(ctx, out)
	}
	level, msg := slog.LevelDebug, "out-of-session callback answered"
	switch out.Kind {
	case FellBack:
		level, msg = slog.LevelWarn, "out-of-session callback answered with the fallback"
	case Rejected:
		return // the Verifier has reported it
	case ClientGone:
		level, msg = slog.LevelWarn, "out-of-session callback client went away; nothing written"
	}
	if !h.logger.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("outcome", string(out.Kind)),
		slog.Int("status", out.Status),
		slog.Duration("latency", out.Latency),
	}
	if out.Channel != "" {
		attrs = append(attrs, slog.String("channel", string(out.Channel)))
	}
	if out.Answer != "" && out.Status == http.StatusOK {
		attrs = append(attrs, slog.String("answer", string(out.Answer)))
	}
	if req := out.Request; req != nil {
		attrs = append(attrs, slog.String("from", h.phone(req.From)), slog.String("to", h.phone(req.To)),
			slog.String("cause", string(req.Cause())))
		if req.CallSid != "" {
			attrs = append(attrs, slog.String("call_sid", req.CallSid))
		}
		if req.MessageSid != "" {
			attrs = append(attrs, slog.String("message_sid", req.MessageSid))
		}
		if req.IdempotencyToken != "" {
			attrs = append(attrs, slog.String("idempotency_token", req.IdempotencyToken))
		}
	}
	if out.Err != nil {
		attrs = append(attrs, slog.String("reason", h.text(out.Err.Error())))
	}
	if len(out.Problems) > 0 {
		problems := make([]string, len(out.Problems))
		for i, p := range out.Problems {
			problems[i] = h.text(p.String())
		}
		attrs = append(attrs, slog.Any("problems", problems))
	}
	h.logger.LogAttrs(ctx, level, msg, attrs...)
}

// hook passes the outcome to OnOutcome; see report for its panics.
func (h *Handler) hook(ctx context.Context, out Outcome) {
	defer h.survive(ctx)
	h.onOut(ctx, out)
}

// survive, deferred, stops a panic of the Logger's handler or of OnOutcome
// and logs it at ERROR: with the Logger, or with slog's default logger when
// the Logger panics again.
func (h *Handler) survive(ctx context.Context) {
	v := recover()
	if v == nil {
		return
	}
	const msg = "callback: Options.OnOutcome or Options.Logger panicked while reporting an outcome"
	panicked := slog.String("panic", h.text(fmt.Sprint(v)))
	defer func() {
		if recover() != nil {
			slog.Error(msg, panicked)
		}
	}()
	h.logger.LogAttrs(ctx, slog.LevelError, msg, panicked)
}

// phone masks every digit of a phone number or channel address but the
// last two, unless LogPhoneNumbers is set.
func (h *Handler) phone(s string) string {
	if h.fullNums {
		return s
	}
	return redact.Digits(s)
}

// text masks every phone number in s, unless LogPhoneNumbers is set.
func (h *Handler) text(s string) string {
	if h.fullNums {
		return s
	}
	return redactText(s)
}
