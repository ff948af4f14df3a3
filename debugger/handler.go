package debugger

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/webhook"
)

// HandlerOptions configure the Debugger webhook's handler. The zero value
// of each field is its documented default.
type HandlerOptions struct {
	// Logger receives each explanation: at ERROR for an event of level
	// ERROR, else at WARN. Phone numbers in it are masked. Default: no
	// logging.
	Logger *slog.Logger
	// OnEvent, if set, is called with each event and its explanation, on
	// the request's goroutine: it must not block. A panic in it is logged
	// and the answer still goes out. It gets the event as Twilio sent it,
	// unmasked, with its Explanation set to x.
	OnEvent func(ctx context.Context, e Event, x Explanation)
	// LogPhoneNumbers writes phone numbers in full in the log. Default:
	// false.
	LogPhoneNumbers bool
}

// NewHandler returns the handler of Twilio's Debugger webhook (Console,
// Monitor, Debugger, Webhook): v checks each request's signature, as for
// any Twilio webhook, and answers its rejections; the handler parses the
// event, explains it, logs the explanation, calls OnEvent, and answers
// 204. A malformed event gets 400. v is required.
func NewHandler(v *webhook.Verifier, opts *HandlerOptions) (http.Handler, error) {
	if v == nil {
		return nil, errors.New("debugger: NewHandler needs a webhook.Verifier: the Debugger webhook is signed like any Twilio webhook")
	}
	var o HandlerOptions
	if opts != nil {
		o = *opts
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	h := &handler{o: o}
	return v.Middleware(h), nil
}

type handler struct{ o HandlerOptions }

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "malformed form", http.StatusBadRequest)
		return
	}
	e, err := ParseWebhook(r.PostForm)
	if err != nil {
		h.o.Logger.LogAttrs(r.Context(), slog.LevelWarn, "debugger: malformed event", slog.String("reason", h.mask(err.Error())))
		http.Error(w, "malformed Debugger event", http.StatusBadRequest)
		return
	}
	x := Explain(e)
	e.Explanation = &x
	h.log(r.Context(), e, x)
	h.hook(r.Context(), e, x)
	w.WriteHeader(http.StatusNoContent)
}

func (h *handler) mask(s string) string {
	if h.o.LogPhoneNumbers {
		return s
	}
	return callback.RedactPhoneNumbers(s)
}

func (h *handler) log(ctx context.Context, e Event, x Explanation) {
	level := slog.LevelWarn
	if e.Level == "ERROR" {
		level = slog.LevelError
	}
	if !h.o.Logger.Enabled(ctx, level) {
		return
	}
	cases := make([]int, len(x.Cases))
	for i, c := range x.Cases {
		cases[i] = int(c)
	}
	attrs := []slog.Attr{
		slog.Int("code", int(x.Code)), slog.String("title", x.Title), slog.Any("cases", cases),
		slog.Bool("settled", x.Settled), slog.String("summary", h.mask(x.Summary)), slog.String("fix", h.mask(x.Fix)),
		slog.String("sid", e.Sid), slog.String("resource_sid", e.ResourceSid),
	}
	if x.Cause != "" {
		attrs = append(attrs, slog.String("cause", string(x.Cause)))
	}
	title := x.Title
	if title == "" {
		title = x.Code.String()
	}
	h.o.Logger.LogAttrs(ctx, level, "Twilio Debugger: "+title, attrs...)
}

func (h *handler) hook(ctx context.Context, e Event, x Explanation) {
	if h.o.OnEvent == nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			h.o.Logger.LogAttrs(ctx, slog.LevelError, "debugger: HandlerOptions.OnEvent panicked", slog.String("panic", h.mask(fmt.Sprint(p))))
		}
	}()
	h.o.OnEvent(ctx, e, x)
}
