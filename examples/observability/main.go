// Command observability is the quickstart's kind of out-of-session
// callback, observed: Prometheus metrics at /metrics and an OpenTelemetry
// span per callback, both fed by the handler's OnOutcome hook, so that the
// library itself depends on neither.
//
// Configuration, from the environment:
//
//	TWILIO_AUTH_TOKEN          the Auth Token(s) Twilio signs with, comma-separated;
//	                           without it, demo mode with a generated token
//	OOSC_ADDR                  the listen address (default 127.0.0.1:8080)
//	OOSC_PUBLIC_URL            the scheme and host Twilio calls (default: from the request)
//	OOSC_TRACES                stdout: write spans to standard output; otlp: send them
//	                           with OTLP over HTTP (OTEL_EXPORTER_OTLP_ENDPOINT and the
//	                           other OTEL_* variables apply); unset: no traces, unless
//	                           OTEL_EXPORTER_OTLP_ENDPOINT is set, which means otlp
//	OOSC_TRACE_PHONE_NUMBERS   1 puts From and To in span attributes (default: never)
//
// Run it, from this directory, with: go run .
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/webhook"
)

const path = "/out-of-session"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "observability:", err)
		os.Exit(1)
	}
}

// decide answers a call with a short notice and a message with nothing,
// or, for a sender who has a previous Session, reconnects them.
var decide = callback.Reconnect(&callback.ReconnectOptions{
	TTL:       time.Hour,
	Otherwise: callback.Reply("This conversation has ended. Please use the app to get in touch again.", ""),
})

// tracerProvider builds the tracer the environment asks for, and its
// shutdown.
func tracerProvider(ctx context.Context, getenv func(string) string, stdout io.Writer) (trace.TracerProvider, func(context.Context) error, error) {
	kind := getenv("OOSC_TRACES")
	if kind == "" && getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" {
		kind = "otlp"
	}
	var exp sdktrace.SpanExporter
	var err error
	switch kind {
	case "":
		return noop.NewTracerProvider(), func(context.Context) error { return nil }, nil
	case "stdout":
		exp, err = stdouttrace.New(stdouttrace.WithWriter(stdout))
	case "otlp":
		exp, err = otlptracehttp.New(ctx)
	default:
		return nil, nil, fmt.Errorf("OOSC_TRACES=%q: use stdout or otlp", kind)
	}
	if err != nil {
		return nil, nil, err
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp))
	return tp, tp.Shutdown, nil
}

// newMux serves the callback, observed, at path and the metrics at
// /metrics.
func newMux(h *callback.Handler, reg *prometheus.Registry, tr *Tracing) *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("POST "+path, tr.Middleware(h))
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	return mux
}

// observed returns the handler's options with OnOutcome feeding the
// metrics and the span.
func observed(o callback.Options, m *Metrics, tr *Tracing) *callback.Options {
	o.OnOutcome = func(ctx context.Context, out callback.Outcome) {
		m.Observe(out)
		tr.Observe(ctx, out)
	}
	return &o
}

// run serves until ctx is done. ready, if set, receives the listening URL.
func run(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer, ready func(baseURL string)) error {
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var tokens []string
	for _, t := range strings.Split(getenv("TWILIO_AUTH_TOKEN"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			tokens = append(tokens, t)
		}
	}
	if len(tokens) == 0 {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		tokens = []string{hex.EncodeToString(b)}
		logger.Warn("DEMO MODE: TWILIO_AUTH_TOKEN is not set; requests are checked against a generated token")
		fmt.Fprintf(stdout, "Demo mode: the generated auth token is %s\n", tokens[0])
	}
	addr := getenv("OOSC_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	tp, shutdown, err := tracerProvider(ctx, getenv, stdout)
	if err != nil {
		return err
	}
	defer shutdown(context.WithoutCancel(ctx))

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := NewMetrics(reg)
	tr := &Tracing{Tracer: tp.Tracer("github.com/oosc-dev/oosc/examples/observability"),
		Propagator: propagation.TraceContext{}, PhoneNumbers: getenv("OOSC_TRACE_PHONE_NUMBERS") == "1"}
	v, err := webhook.NewVerifier(tokens, &webhook.Options{PublicURL: strings.TrimSuffix(getenv("OOSC_PUBLIC_URL"), "/"), Logger: logger})
	if err != nil {
		return err
	}
	h, err := callback.NewHandler(decide, observed(callback.Options{Verifier: v, Logger: logger}, m, tr))
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler: newMux(h, reg, tr), ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 20 * time.Second, IdleTimeout: 15 * time.Second, MaxHeaderBytes: 16 << 10,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	logger.Info("serving", "callback", base+path, "metrics", base+"/metrics")
	if ready != nil {
		ready(base)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(stopCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
