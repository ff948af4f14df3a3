package main

import (
	"context"
	"errors"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/webhook"
)

// Metrics are the callback's Prometheus metrics, fed by the handler's
// OnOutcome hook. Their labels take few values: the channel, the outcome
// kind, and a fallback reason from a fixed list.
type Metrics struct {
	requests  *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	fallbacks *prometheus.CounterVec
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "oosc_callback_requests_total",
			Help: "Out-of-session callbacks handled, by channel and outcome (answered, fell-back, rejected, client-gone).",
		}, []string{"channel", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "oosc_callback_duration_seconds",
			Help:    "Time from a callback's arrival to its answer. Twilio waits 15 s at most.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 15},
		}, []string{"channel"}),
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "oosc_callback_fallbacks_total",
			Help: "Callbacks answered with the fallback, by channel and reason.",
		}, []string{"channel", "reason"}),
	}
	reg.MustRegister(m.requests, m.duration, m.fallbacks)
	return m
}

// Observe records one outcome.
func (m *Metrics) Observe(out callback.Outcome) {
	ch := channelOf(out)
	m.requests.WithLabelValues(ch, string(out.Kind)).Inc()
	m.duration.WithLabelValues(ch).Observe(out.Latency.Seconds())
	if out.Kind == callback.FellBack {
		m.fallbacks.WithLabelValues(ch, reasonOf(out.Err)).Inc()
	}
}

func channelOf(out callback.Outcome) string {
	if out.Channel == "" {
		return "unknown"
	}
	return string(out.Channel)
}

// reasonOf names why a request fell back or was rejected, from a fixed
// list, so that a label never takes an unbounded value.
func reasonOf(err error) string {
	var ve *oosc.ValidationError
	for _, r := range []struct {
		err  error
		name string
	}{
		{callback.ErrDecisionTimeout, "decision-timeout"}, {callback.ErrDecisionPanic, "decision-panic"},
		{callback.ErrDecisionExited, "decision-exited"}, {callback.ErrDecisionFailed, "decision-error"},
		{callback.ErrNoAnswer, "no-answer"}, {oosc.ErrUnknownChannel, "unknown-channel"},
		{webhook.ErrInvalidSignature, "invalid-signature"}, {webhook.ErrMissingSignature, "missing-signature"},
		{webhook.ErrBodyTooLarge, "body-too-large"}, {webhook.ErrMalformedForm, "malformed-form"},
		{webhook.ErrUnsupportedMediaType, "unsupported-media-type"}, {webhook.ErrMethodNotAllowed, "method-not-allowed"},
	} {
		if errors.Is(err, r.err) {
			return r.name
		}
	}
	if errors.As(err, &ve) {
		return "invalid-answer"
	}
	return "other"
}

// Tracing makes one span per callback: the middleware starts it (joining
// a trace the caller propagates), and the handler's OnOutcome hook, which
// gets the request's context, names its outcome. Phone numbers go into
// attributes only when PhoneNumbers is set.
type Tracing struct {
	Tracer       trace.Tracer
	Propagator   propagation.TextMapPropagator
	PhoneNumbers bool
}

// Middleware starts the callback's span around next.
func (t *Tracing) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := t.Propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := t.Tracer.Start(ctx, "oosc.callback", trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(attribute.String("http.request.method", r.Method), attribute.String("url.path", r.URL.Path)))
		defer span.End()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Observe names the outcome on the span in ctx.
func (t *Tracing) Observe(ctx context.Context, out callback.Outcome) {
	span := trace.SpanFromContext(ctx)
	attrs := []attribute.KeyValue{
		attribute.String("oosc.channel", channelOf(out)),
		attribute.String("oosc.outcome", string(out.Kind)),
		attribute.Int("http.response.status_code", out.Status),
		attribute.Float64("oosc.latency_seconds", out.Latency.Seconds()),
	}
	if out.Answer != "" {
		attrs = append(attrs, attribute.String("oosc.answer", string(out.Answer)))
	}
	if out.Err != nil {
		attrs = append(attrs, attribute.String("oosc.reason", reasonOf(out.Err)))
	}
	if req := out.Request; req != nil {
		attrs = append(attrs, attribute.String("oosc.cause", string(req.Cause())))
		if t.PhoneNumbers {
			attrs = append(attrs, attribute.String("oosc.from", req.From), attribute.String("oosc.to", req.To))
		}
	}
	span.SetAttributes(attrs...)
	switch out.Kind {
	case callback.FellBack, callback.Rejected:
		span.SetStatus(codes.Error, reasonOf(out.Err))
	default:
		span.SetStatus(codes.Ok, "")
	}
}
