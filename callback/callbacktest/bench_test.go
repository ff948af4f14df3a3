package callbacktest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
)

// BenchmarkEmulatorOutOfSession measures the emulator's throughput for
// contacts that go to the callback: a handler (Reconnect, else a notice)
// called over loopback HTTP, its answer judged, a Session created.
func BenchmarkEmulatorOutOfSession(b *testing.B) {
	h, err := callback.NewHandler(callback.Reconnect(nil), &callback.Options{Verifier: callback.Verifier{AuthTokens: []string{callbacktest.DefaultAuthToken}}})
	if err != nil {
		b.Fatal(err)
	}
	p, err := callbacktest.NewProxy(callbacktest.Service{Numbers: pool, Callback: h}, t0)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	i := 0
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		i++
		r := p.Contact(ctx, callbacktest.Inbound{Channel: callback.Messaging, From: fmt.Sprintf("+1650%07d", i), To: pn1, Body: "hi"})
		if r.Outcome != callbacktest.Handled {
			b.Fatalf("%s: %s", r.Outcome, r.Detail)
		}
	}
	b.ReportMetric(float64(i)/time.Since(start).Seconds(), "contacts/s")
}

// BenchmarkEmulatorRouted measures contacts routed through an open Session,
// which never reach the callback.
func BenchmarkEmulatorRouted(b *testing.B) {
	p, err := callbacktest.NewProxy(callbacktest.Service{Numbers: pool}, t0)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	if _, err := p.CreateSession(ride("ride-1", "", 0)); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	n := 0
	b.ReportAllocs()
	start := time.Now()
	for b.Loop() {
		n++
		if r := p.Contact(ctx, sms(rider, pn1)); r.Outcome != callbacktest.Routed {
			b.Fatal(r.Outcome)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "contacts/s")
}
