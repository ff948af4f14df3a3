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
	"time"

	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/twiml"
)

// Decision limits. Twilio waits 15 s for the whole answer, connection included.
const (
	DefaultDecisionTimeout = 5 * time.Second
	MaxDecisionTimeout     = 14 * time.Second
)

// DecideFunc decides the answer to an out-of-session interaction. ctx
// carries the decision's deadline; when it passes the handler sends the
// fallback at once and ignores what the function returns later. A function
// that ignores ctx keeps its request's goroutine until it returns.
type DecideFunc func(ctx context.Context, req *Request) (Answer, error)

// Options configure a [Handler]. The zero value of each field is its
// documented default; only AuthTokens (or InsecureSkipVerify) must be set.
type Options struct {
	// AuthTokens are the Twilio Auth Tokens the signature may be made with,
	// primary first (several allow rotation). Required unless
	// InsecureSkipVerify is set.
	AuthTokens []string
	// InsecureSkipVerify turns X-Twilio-Signature checking off, so that
	// anyone can call the handler. Default: false. For local tests only.
	InsecureSkipVerify bool
	// PublicURL is the scheme and host Twilio calls (https://hooks.example.com),
	// to which the request URI is appended for the signature. Default: taken
	// from the request (r.TLS and r.Host).
	PublicURL string
	// TrustedProxies are the reverse proxies whose X-Forwarded-Proto,
	// X-Forwarded-Host and Forwarded headers are believed when they send the
	// request directly. Default: none.
	TrustedProxies []netip.Prefix
	// MaxBodyBytes limits the request body. Default: DefaultMaxBodyBytes (64 KiB).
	MaxBodyBytes int64
	// DecisionTimeout is the decision's deadline. Default:
	// DefaultDecisionTimeout (5 s); at most MaxDecisionTimeout (14 s).
	DecisionTimeout time.Duration
	// VoiceFallback answers a call when the decision fails. Default: a short
	// apology, then <Hangup/>. It must be valid voice TwiML.
	VoiceFallback *twiml.VoiceResponse
	// MessagingFallback answers a message when the decision fails. Default:
	// an empty <Response/> (no reply). It must be valid messaging TwiML.
	MessagingFallback *twiml.MessagingResponse
	// Logger receives a record for each request that is not answered as
	// decided, and a debug record for each that is. Default: no logging.
	Logger *slog.Logger
	// LogPhoneNumbers writes phone numbers in logs in full. Default: false;
	// all digits but the last two are masked.
	LogPhoneNumbers bool
	// OnOutcome, if set, is called after each request with its outcome, for
	// metrics. It runs on the request's goroutine and must not block.
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
	Kind    OutcomeKind
	Status  int           // the status written; 0 when nothing was
	Channel twiml.Channel // "" when unknown or rejected before parsing
	Answer  string        // "twiml" or "auto-create": the kind of answer written
	// Err is why the request fell back or was rejected: a sentinel of this
	// package, an error wrapping ErrDecisionFailed, or an [*AnswerError].
	Err error
	// Problems are the validation errors of an invalid answer, one per line.
	Problems []string
	Latency  time.Duration
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
}

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
	tokens := append([]string(nil), o.AuthTokens...)
	return &Handler{
		decide: decide,
		verifier: Verifier{
			AuthTokens: tokens, PublicURL: o.PublicURL, macs: newMACPools(tokens),
			TrustedProxies: append([]netip.Prefix(nil), o.TrustedProxies...), MaxBodyBytes: o.MaxBodyBytes,
		},
		skip: o.InsecureSkipVerify, timeout: o.DecisionTimeout, logger: o.Logger,
		fullNums: o.LogPhoneNumbers, onOut: o.OnOutcome, now: o.Now,
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
// channel's fallback.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	out := Outcome{}
	defer func() {
		out.Latency = time.Since(start)
		h.report(r.Context(), out)
	}()
	reject := func(err error) {
		out.Kind, out.Err, out.Status = Rejected, err, statusOf(err)
		if errors.Is(err, ErrMethodNotAllowed) {
			w.Header().Set("Allow", http.MethodPost)
		}
		writeError(w, out.Status)
	}
	if r.Method != http.MethodPost {
		reject(ErrMethodNotAllowed)
		return
	}
	if !isForm(r) {
		reject(ErrUnsupportedMediaType)
		return
	}
	body, err := readBody(w, r, h.verifier.MaxBodyBytes)
	if err != nil {
		reject(err)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		reject(ErrMalformedForm)
		return
	}
	if !h.skip {
		if err := h.verifier.VerifyForm(r, form); err != nil {
			reject(err)
			return
		}
	}
	req := ParseRequest(form, r.Header)
	out.Request, out.Channel = req, req.Channel

	if req.Channel == "" {
		h.write(w, &out, TwiMLContentType, h.empty, ErrUnknownChannel)
		return
	}
	h.decideAndWrite(w, r, req, &out)
}

// decideAndWrite runs the decision on the request's goroutine under its
// deadline. If the deadline passes first, a context.AfterFunc writes the
// channel's fallback (or, when the client has gone, nothing) and the late
// answer is dropped; no goroutine is started for a decision in time.
func (h *Handler) decideAndWrite(w http.ResponseWriter, r *http.Request, req *Request, out *Outcome) {
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	fallback := h.fallback[req.Channel]
	late := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(late)
		if r.Context().Err() != nil {
			out.Kind, out.Err = ClientGone, ErrClientGone
			return
		}
		h.write(w, out, TwiMLContentType, fallback, ErrDecisionTimeout)
		if f, ok := w.(http.Flusher); ok {
			f.Flush() // send it now, not when the late decision returns
		}
	})
	a, err := h.run(ctx, req)
	if !stop() { // the deadline or the client won; the AfterFunc answers
		<-late
		return
	}
	ct, body := TwiMLContentType, fallback
	switch {
	case err != nil:
	case a.IsZero():
		err = ErrNoAnswer
	default:
		var rendered []byte
		var rct string
		if rct, rendered, err = a.render(req, h.now()); err == nil {
			ct, body = rct, rendered
		}
	}
	if r.Context().Err() != nil {
		out.Kind, out.Err = ClientGone, ErrClientGone
		return
	}
	h.write(w, out, ct, body, err)
}

// run calls the decision, turning a panic or an error into the reason to fall back.
func (h *Handler) run(ctx context.Context, req *Request) (a Answer, err error) {
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
	out.Kind, out.Status, out.Answer = Answered, http.StatusOK, "twiml"
	if ct == autocreate.ContentType {
		out.Answer = "auto-create"
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

// Header values shared by every answer; net/http only reads them.
var (
	xmlType  = []string{TwiMLContentType}
	jsonType = []string{autocreate.ContentType}
	nosniff  = []string{"nosniff"}
)

// writeAnswer writes a 200 answer once, with its exact Content-Type and length.
func writeAnswer(w http.ResponseWriter, contentType string, body []byte) {
	hd := w.Header()
	if contentType == autocreate.ContentType {
		hd["Content-Type"] = jsonType
	} else {
		hd["Content-Type"] = xmlType
	}
	hd["Content-Length"] = []string{strconv.Itoa(len(body))}
	hd["X-Content-Type-Options"] = nosniff
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// report logs the outcome and passes it to the hook.
func (h *Handler) report(ctx context.Context, out Outcome) {
	if h.onOut != nil {
		defer h.onOut(out)
	}
	level, msg := slog.LevelDebug, "out-of-session callback answered"
	switch out.Kind {
	case FellBack:
		level, msg = slog.LevelWarn, "out-of-session callback answered with the fallback"
	case Rejected:
		level, msg = slog.LevelWarn, "out-of-session callback rejected"
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
		attrs = append(attrs, slog.String("answer", out.Answer))
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
		attrs = append(attrs, slog.String("reason", out.Err.Error()))
	}
	if len(out.Problems) > 0 {
		attrs = append(attrs, slog.Any("problems", out.Problems))
	}
	h.logger.LogAttrs(ctx, level, msg, attrs...)
}

// phone masks all digits of s but the last two, unless LogPhoneNumbers is set.
func (h *Handler) phone(s string) string {
	if h.fullNums {
		return s
	}
	return RedactDigits(s)
}

// RedactDigits replaces every digit of s but the last two with '*', as the
// handler writes phone numbers in logs: +14155550123 becomes +*********23.
func RedactDigits(s string) string {
	digits := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits++
		}
	}
	b := []byte(s)
	for i := range b {
		if b[i] >= '0' && b[i] <= '9' {
			if digits > 2 {
				b[i] = '*'
			}
			digits--
		}
	}
	return string(b)
}
