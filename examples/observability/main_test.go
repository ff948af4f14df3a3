package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/webhook"
)

const (
	token    = "observability-token-42"
	rider    = "+19515550101"
	failing  = "+19515550666" // the decision fails for this sender
	proxyNum = "+14155550100"
)

// serveObserved serves the observed callback over loopback with spans
// kept in memory.
func serveObserved(t *testing.T, phoneNumbers bool) (*httptest.Server, *tracetest.InMemoryExporter) {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	t.Cleanup(func() { tp.Shutdown(context.Background()) })
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg)
	tr := &Tracing{Tracer: tp.Tracer("test"), Propagator: propagation.TraceContext{}, PhoneNumbers: phoneNumbers}
	v, err := webhook.NewVerifier([]string{token}, nil)
	require.NoError(t, err)
	d := func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
		if req.From == failing {
			return callback.Answer{}, errors.New("database down")
		}
		return decide(ctx, req)
	}
	h, err := callback.NewHandler(d, observed(callback.Options{Verifier: v}, m, tr))
	require.NoError(t, err)
	srv := httptest.NewServer(newMux(h, reg, tr))
	t.Cleanup(srv.Close)
	return srv, exp
}

func send(t *testing.T, srv *httptest.Server, tok string, cb callbacktest.Callback, sign bool) int {
	t.Helper()
	req := callbacktest.NewClientRequest(context.Background(), srv.URL+path, tok, cb)
	if !sign {
		req.Header.Del(webhook.Header)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

func metrics(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

// Signed callbacks, a failing decision and forged requests are counted by
// channel, outcome and reason, timed, and traced: one span each.
func TestMetricsAndTraces(t *testing.T) {
	srv, exp := serveObserved(t, false)
	assert.Equal(t, 200, send(t, srv, token, callbacktest.Call(rider, proxyNum), true))
	assert.Equal(t, 200, send(t, srv, token, callbacktest.Message(rider, proxyNum, "hi"), true))
	assert.Equal(t, 200, send(t, srv, token, callbacktest.Message(failing, proxyNum, "hi"), true))
	assert.Equal(t, 400, send(t, srv, token, callbacktest.Message(rider, proxyNum, "hi"), false))
	assert.Equal(t, 403, send(t, srv, "forged", callbacktest.Message(rider, proxyNum, "hi"), true))

	out := metrics(t, srv)
	for _, line := range []string{
		`oosc_callback_requests_total{channel="voice",outcome="answered"} 1`,
		`oosc_callback_requests_total{channel="sms",outcome="answered"} 1`,
		`oosc_callback_requests_total{channel="sms",outcome="fell-back"} 1`,
		`oosc_callback_requests_total{channel="unknown",outcome="rejected"} 2`,
		`oosc_callback_fallbacks_total{channel="sms",reason="decision-error"} 1`,
		`oosc_callback_duration_seconds_count{channel="voice"} 1`,
		`oosc_callback_duration_seconds_count{channel="sms"} 2`,
	} {
		assert.Contains(t, out, line)
	}

	spans := exp.GetSpans()
	require.Len(t, spans, 5)
	outcomes := map[string]int{}
	for _, s := range spans {
		assert.Equal(t, "oosc.callback", s.Name)
		attrs := map[string]string{}
		for _, a := range s.Attributes {
			attrs[string(a.Key)] = a.Value.String()
		}
		outcomes[attrs["oosc.outcome"]]++
		assert.NotContains(t, attrs, "oosc.from", "phone numbers stay out of spans by default")
		for _, v := range attrs {
			assert.NotContains(t, v, rider)
		}
		if attrs["oosc.outcome"] == "fell-back" {
			assert.Equal(t, "decision-error", attrs["oosc.reason"])
			assert.Equal(t, "no-previous-session", attrs["oosc.cause"])
		}
	}
	assert.Equal(t, map[string]int{"answered": 2, "fell-back": 1, "rejected": 2}, outcomes)
}

// With the operator's opt-in, From and To go into the span.
func TestTracesWithPhoneNumbers(t *testing.T) {
	srv, exp := serveObserved(t, true)
	send(t, srv, token, callbacktest.Call(rider, proxyNum), true)
	spans := exp.GetSpans()
	require.Len(t, spans, 1)
	var from string
	for _, a := range spans[0].Attributes {
		if a.Key == "oosc.from" {
			from = a.Value.AsString()
		}
	}
	assert.Equal(t, rider, from)
}

// The command: the quickstart's environment, spans on standard output
// with OOSC_TRACES=stdout, and a clean stop.
func TestRun(t *testing.T) {
	env := map[string]string{"TWILIO_AUTH_TOKEN": token, "OOSC_ADDR": "127.0.0.1:0", "OOSC_TRACES": "stdout"}
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() {
		done <- run(ctx, func(k string) string { return env[k] }, &stdout, &stderr, func(b string) { ready <- b })
	}()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatal(err)
	case <-time.After(10 * time.Second):
		t.Fatal("did not start")
	}
	req := callbacktest.NewClientRequest(context.Background(), base+path, token, callbacktest.Call(rider, proxyNum))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	mresp, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	b, _ := io.ReadAll(mresp.Body)
	mresp.Body.Close()
	assert.Contains(t, string(b), `oosc_callback_requests_total{channel="voice",outcome="answered"} 1`)
	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, stdout.String(), `"Name":"oosc.callback"`, "the span, written at shutdown")

	env["OOSC_TRACES"] = "carrier-pigeon"
	assert.Error(t, run(context.Background(), func(k string) string { return env[k] }, io.Discard, io.Discard, nil))
}

// syncBuffer is a bytes.Buffer safe for the server's and the test's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
