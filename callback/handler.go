package callback

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/internal/redact"
	"github.com/oosc-dev/oosc/judge"
	"github.com/oosc-dev/oosc/twiml"
)

// Decision limits. Twilio waits 15 s for the whole answer, connection included.
const (
	DefaultDecisionTimeout = 5 * time.Second
	MaxDecisionTimeout     = 14 * time.Second
)

// DecideFunc decides the answer to an out-of-session interaction. ctx
// carries the request context's values and the decision's deadline
// (DecisionTimeout, or the request context's deadline if sooner), which
// also covers writing out and validating the answer; when it passes, ctx
// is done with context.DeadlineExceeded and the handler sends the fallback
// at once, with Connection: close so that the next callback takes another
// connection, and ignores what the function returns later. ctx is canceled
// when the client goes away and when the answer has been written. A
// function that ignores ctx keeps its request's goroutine until it returns.
type DecideFunc func(ctx context.Context, req *Request) (Answer, error)

// Options configure a [Handler]. The zero value of each field is its
// documented default; only AuthTokens (or InsecureSkipVerify) must be set:
//
//	callback.Options{Verifier: callback.Verifier{AuthTokens: []string{token}}}
type Options struct {
	// Verifier checks each request's signature: its AuthTokens (required
	// unless InsecureSkipVerify is set), PublicURL, TrustedProxies and
	// MaxBodyBytes, with their defaults, apply to the handler as they do to
	// Verifier.Middleware.
	Verifier
	// InsecureSkipVerify turns X-Twilio-Signature checking off, so that
	// anyone can call the handler. Default: false. For local tests only.
	InsecureSkipVerify bool
	// DecisionTimeout is the decision's deadline. Default:
	// DefaultDecisionTimeout (5 s); at most MaxDecisionTimeout (14 s).
	DecisionTimeout time.Duration
	// VoiceFallback answers a call when the decision fails. Default: a short
	// apology, then <Hangup/>. It must be valid voice TwiML.
	VoiceFallback *twiml.VoiceResponse
	// MessagingFallback answers a message when the decision fails. Default:
	// an empty <Response/> (no reply). It must be valid messaging TwiML.
	MessagingFallback *twiml.MessagingResponse
	// Logger receives a WARN record for each answer that fell back and for
	// each client that went away, and a DEBUG record for each request
	// answered as decided. Rejected requests (4xx), which anyone can send,
	// get a WARN record at most once per RejectionLogInterval, counting the
	// ones logged at DEBUG since, so that they cannot flood the log. A
	// panic in its handler is logged with slog's default logger and loses
	// no answer. Default: no logging.
	Logger *slog.Logger
	// RejectionLogInterval is the least time between two WARN records of
	// rejected requests. Default (0): DefaultRejectionLogInterval (10 s).
	RejectionLogInterval time.Duration
	// LogPhoneNumbers writes phone numbers in logs in full. Default: false;
	// every phone number and channel address in every attribute (from, to,
	// the reason, the validation problems) keeps only its last two digits.
	LogPhoneNumbers bool
	// OnOutcome, if set, is called once for each request with its outcome,
	// for metrics, when its answer is written (a deadline's fallback is
	// reported then, not when the late decision returns). It runs on a
	// goroutine of the request and must not block; a panic in it is logged
	// at ERROR and the answer still goes out. The Outcome is not masked:
	// see [RedactPhoneNumbers].
	OnOutcome func(Outcome)
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
	Kind    OutcomeKind   // how the request ended
	Status  int           // the status written; 0 when nothing was
	Channel twiml.Channel // "" when unknown or rejected before parsing
	Answer  AnswerKind    // the kind of answer written: TwiMLAnswer or AutoCreateAnswer
	// Err is why the request fell back or was rejected: a sentinel of this
	// package, an error wrapping ErrDecisionFailed, or an [*AnswerError].
	Err error
	// Problems are the judge's errors on an invalid answer.
	Problems []judge.Problem
	Latency  time.Duration // from the request's arrival to its answer
	// Request is the parsed request; nil when rejected before parsing.
	Request *Request
}

// Handler serves Twilio Proxy's out-of-session callback: it verifies the
// signature, parses the request, asks the decision function, validates the
// answer for the request's channel and sender, and writes it with the
// Content-Type Proxy requires, or the fallback when anything goes wrong.
// It is safe for concurrent use.
type Handler struct {
	decide   DecideFunc
	verifier Verifier
	skip     bool
	timeout  time.Duration
	logger   *slog.Logger
	fullNums bool
	onOut    func(Outcome)
	now      func() time.Time
	fallback map[twiml.Channel][]byte
	empty    []byte
	rejects  rejectLog
}

// DefaultRejectionLogInterval is the default of Options.RejectionLogInterval.
const DefaultRejectionLogInterval = 10 * time.Second

// NewHandler returns a handler that answers with decide. It returns an
// error for a configuration that cannot work: no decision function, no
// auth token without InsecureSkipVerify, an empty token, a PublicURL that
// is not an absolute http(s) URL, a deadline over MaxDecisionTimeout, or a
// fallback that is not valid TwiML for its channel.
func NewHandler(decide DecideFunc, opts *Options) (*Handler, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if decide == nil {
		return nil, errors.New("callback: NewHandler needs a decision function")
	}
	if len(o.AuthTokens) == 0 && !o.InsecureSkipVerify {
		return nil, fmt.Errorf("%w: set Options.AuthTokens (or InsecureSkipVerify for local tests)", ErrNoAuthToken)
	}
	for i, t := range o.AuthTokens {
		if t == "" {
			return nil, fmt.Errorf("%w: Options.AuthTokens[%d] is empty", ErrNoAuthToken, i)
		}
	}
	if o.PublicURL != "" {
		u, err := url.Parse(o.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return nil, fmt.Errorf("callback: Options.PublicURL %q must be an absolute http(s) URL without query, such as https://hooks.example.com", o.PublicURL)
		}
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
	if o.MessagingFallback == nil {
		o.MessagingFallback = twiml.NewMessagingResponse()
	}
	voice, err := validFallback(o.VoiceFallback.Bytes, twiml.Voice)
	if err != nil {
		return nil, err
	}
	messaging, err := validFallback(o.MessagingFallback.Bytes, twiml.Messaging)
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
	return &Handler{
		decide: decide,
		verifier: Verifier{ // a copy the caller cannot change under the handler
			AuthTokens: append([]string(nil), o.AuthTokens...), PublicURL: o.PublicURL,
			TrustedProxies: append([]netip.Prefix(nil), o.TrustedProxies...), MaxBodyBytes: o.MaxBodyBytes,
		},
		skip: o.InsecureSkipVerify, timeout: o.DecisionTimeout, logger: o.Logger,
		fullNums: o.LogPhoneNumbers, onOut: o.OnOutcome, now: o.Now,
		rejects:  rejectLog{interval: int64(rejectionInterval(o.RejectionLogInterval))},
		fallback: map[twiml.Channel][]byte{twiml.Voice: voice, twiml.Messaging: messaging},
		empty:    empty,
	}, nil
}

// DefaultVoiceFallback returns the default voice fallback: a short apology
// and <Hangup/>.
func DefaultVoiceFallback() *twiml.VoiceResponse {
	r := twiml.NewVoiceResponse()
	r.Say("Sorry, we cannot connect your call right now. Please try again later.", nil)
	r.Hangup()
	return r
}

func validFallback(bytesOf func() ([]byte, error), ch twiml.Channel) ([]byte, error) {
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
// for a request it refuses, else 200 with the decision's answer or the
// channel's fallback. A Handler not made by NewHandler (the zero Handler,
// or a nil *Handler) has no token and no decision: it answers 500 to every
// request and says so once in the default logger.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h == nil || h.decide == nil {
		unconfigured.Do(func() {
			slog.Error("callback: a Handler not made by NewHandler answers every request with 500; use NewHandler")
		})
		writeError(w, http.StatusInternalServerError)
		return
	}
	start := time.Now()
	req, err := h.accept(w, r)
	if err != nil {
		out := Outcome{Kind: Rejected, Err: err, Status: statusOf(err)}
		if errors.Is(err, ErrMethodNotAllowed) {
			w.Header().Set("Allow", http.MethodPost)
		}
		writeError(w, out.Status)
		h.report(r.Context(), out, start)
		return
	}
	if req.Channel == "" {
		out := Outcome{Request: req}
		h.write(w, &out, twiml.ContentType, h.empty, ErrUnknownChannel)
		h.report(r.Context(), out, start)
		return
	}
	h.decideAndWrite(w, r, req, start)
}

// accept checks the method, the media type, the body's size and the
// signature, and parses the request; its error is why it is rejected.
func (h *Handler) accept(w http.ResponseWriter, r *http.Request) (*Request, error) {
	if r.Method != http.MethodPost {
		return nil, ErrMethodNotAllowed
	}
	if !isForm(r) {
		return nil, ErrUnsupportedMediaType
	}
	body, err := readBody(w, r, h.verifier.MaxBodyBytes)
	if err != nil {
		return nil, err
	}
	// One parse in body order serves both the typed request and the
	// signature, whose sort is one pass for a body already in order.
	s := getScratch()
	defer s.put()
	s.pairs, err = parsePairs(string(body), s.pairs)
	if err != nil {
		return nil, ErrMalformedForm
	}
	form := formOf(s.pairs)
	if !h.skip {
		if err := h.verifier.verifyPairs(r, h.verifier.URL(r), s); err != nil {
			return nil, err
		}
	}
	return parseRequest(s.pairs, form, r.Header), nil
}

// unconfigured logs once that a Handler was used without NewHandler.
var unconfigured sync.Once

// decideAndWrite runs the decision, then renders and validates its answer,
// on the request's goroutine under the decision's deadline. If the deadline
// passes first, the alarm writes the channel's fallback (or, when the
// client has gone, nothing) with Connection: close, and reports it then,
// not when the late decision returns, which may be never; the late answer
// is dropped. No goroutine is started for a decision in time.
func (h *Handler) decideAndWrite(w http.ResponseWriter, r *http.Request, req *Request, start time.Time) {
	p := &pending{h: h, w: w, r: r, fallback: h.fallback[req.Channel], start: start,
		out: Outcome{Request: req, Channel: req.Channel}}
	now := time.Now()
	p.ctx.parent, p.ctx.deadline = r.Context(), now.Add(h.timeout)
	if d, ok := r.Context().Deadline(); ok && d.Before(p.ctx.deadline) {
		p.ctx.deadline = d
	}
	defer p.ctx.end()
	a := setAlarm(p, p.ctx.deadline.Sub(now))
	ct, body, err := h.run(&p.ctx, req)
	if !p.settle() { // the alarm has answered
		return
	}
	a.stop()
	if err != nil {
		ct, body = twiml.ContentType, p.fallback
	}
	p.answer(ct, body, err, false)
}

// run calls the decision and renders its answer for the request, turning an
// error, a panic or an invalid answer into the reason to fall back.
func (h *Handler) run(ctx context.Context, req *Request) (ct string, body []byte, err error) {
	a, err := h.call(ctx, req)
	if err != nil {
		return "", nil, err
	}
	return a.render(req, h.now())
}

// call calls the decision, turning a panic or an error into the reason to fall back.
func (h *Handler) call(ctx context.Context, req *Request) (a Answer, err error) {
	defer func() {
		if p := recover(); p != nil {
			a, err = Answer{}, fmt.Errorf("%w: %v", ErrDecisionPanic, p)
		}
	}()
	a, err = h.decide(ctx, req)
	if err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return Answer{}, ErrDecisionTimeout
		}
		return Answer{}, fmt.Errorf("%w: %w", ErrDecisionFailed, err)
	}
	return a, nil
}

// write writes a 200 answer and records the outcome; err is why the answer
// is a fallback, nil when it is the decision's.
func (h *Handler) write(w http.ResponseWriter, out *Outcome, ct string, body []byte, err error) {
	out.Kind, out.Status, out.Answer = Answered, http.StatusOK, TwiMLAnswer
	if ct == autocreate.ContentType {
		out.Answer = AutoCreateAnswer
	}
	if err != nil {
		out.Kind, out.Err = FellBack, err
		var ae *AnswerError
		if errors.As(err, &ae) {
			out.Problems = ae.Problems()
		}
	}
	writeAnswer(w, ct, body)
}

// writeAnswer writes a 200 answer once, with its exact Content-Type and
// length. Each answer gets header values of its own (one allocation), so
// that a middleware that edits them in place changes this answer only.
func writeAnswer(w http.ResponseWriter, contentType string, body []byte) {
	hd := w.Header()
	v := make([]string, 3)
	v[0], v[1], v[2] = twiml.ContentType, strconv.Itoa(len(body)), "nosniff"
	if contentType == autocreate.ContentType {
		v[0] = autocreate.ContentType
	}
	hd["Content-Type"] = v[0:1:1]
	hd["Content-Length"] = v[1:2:2]
	hd["X-Content-Type-Options"] = v[2:3:3]
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func rejectionInterval(d time.Duration) time.Duration {
	if d <= 0 {
		return DefaultRejectionLogInterval
	}
	return d
}

// rejectLog decides which rejections are logged at WARN: at most one per
// interval; the others are logged at DEBUG and counted in the next WARN
// record, so that unauthenticated traffic cannot flood the log.
type rejectLog struct {
	interval   int64        // nanoseconds
	next       atomic.Int64 // UnixNano before which rejections are logged at DEBUG
	suppressed atomic.Int64 // rejections logged at DEBUG since the last WARN
}

// warn reports whether a rejection at now is logged at WARN and, if so,
// how many were logged at DEBUG since the last WARN.
func (l *rejectLog) warn(now time.Time) (bool, int64) {
	n := now.UnixNano()
	next := l.next.Load()
	if n >= next && l.next.CompareAndSwap(next, n+l.interval) {
		return true, l.suppressed.Swap(0)
	}
	l.suppressed.Add(1)
	return false, 0
}

// report logs the outcome and passes it to the hook.
//
// A panic in the Logger's handler or in OnOutcome is logged at ERROR rather
// than passed on: on the alarm's goroutine nothing would recover it and the
// program would end, and on the request's, net/http would recover it by
// dropping the connection with the answer still unsent. OnOutcome is called
// even when logging panicked.
func (h *Handler) report(ctx context.Context, out Outcome, start time.Time) {
	out.Latency = time.Since(start)
	defer h.survive(ctx)
	if h.onOut != nil {
		defer h.hook(ctx, out)
	}
	level, msg := slog.LevelDebug, "out-of-session callback answered"
	var suppressed int64
	switch out.Kind {
	case FellBack:
		level, msg = slog.LevelWarn, "out-of-session callback answered with the fallback"
	case Rejected:
		msg = "out-of-session callback rejected"
		var warn bool
		if warn, suppressed = h.rejects.warn(time.Now()); warn {
			level = slog.LevelWarn
		}
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
	if suppressed > 0 {
		attrs = append(attrs, slog.Int64("rejections_logged_at_debug", suppressed))
	}
	if out.Channel != "" {
		attrs = append(attrs, slog.String("channel", string(out.Channel)))
	}
	if out.Answer != "" && out.Status == http.StatusOK {
		attrs = append(attrs, slog.String("answer", string(out.Answer)))
	}
	if req := out.Request; req != nil {
		attrs = append(attrs, slog.String("from", h.phone(req.From)), slog.String("to", h.phone(req.To)))
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
	h.onOut(out)
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

// phone masks all digits of a phone number or channel address but the
// last two, unless LogPhoneNumbers is set.
func (h *Handler) phone(s string) string {
	if h.fullNums {
		return s
	}
	return redact.Digits(s)
}

// text masks every phone number in free text, unless LogPhoneNumbers is set.
func (h *Handler) text(s string) string {
	if h.fullNums {
		return s
	}
	return redact.Text(s)
}

// RedactDigits replaces every digit of s but the last two with '*', as the
// handler writes the From and To of a request in logs: +14155550123 becomes
// +*********23. Digits of every script count, full-width ones too.
func RedactDigits(s string) string { return redact.Digits(s) }

// RedactPhoneNumbers masks every phone number in free text as the handler
// does in the reasons and problems it logs: each run of digits (with
// spaces, dots, dashes or parentheses between them) that starts with a
// plus sign or has six digits or more keeps only its last two. Use it on
// an [Outcome]'s Err and Problems before writing them anywhere: the
// Outcome itself is not masked.
func RedactPhoneNumbers(s string) string { return redact.Text(s) }
