package emulator_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/webhook"
)

const (
	pn1, pn2, pnR = "+14155550100", "+14155550110", "+14155550111" // pool; pnR reserved
	rider         = "+19515550101"
	driver        = "+17075550102"
	stranger      = "+16505550103"
)

var t0 = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)

var pool = []emulator.NewPhoneNumber{{Number: pn1}, {Number: pn2}, {Number: pnR, Reserved: true}}

// emu is an emulator with one Service, "svc".
type emu struct {
	*emulator.Proxy
	t *testing.T
}

const svc = "svc"

// handlerFor is a callback.Handler for decide that verifies the
// emulator's default token.
func handlerFor(t testing.TB, decide callback.DecideFunc) http.Handler {
	t.Helper()
	v, err := webhook.NewVerifier([]string{callbacktest.DefaultAuthToken}, nil)
	require.NoError(t, err)
	h, err := callback.NewHandler(decide, &callback.Options{Verifier: v})
	require.NoError(t, err)
	return h
}

// newEmu makes an emulator whose Service's out-of-session callback is a
// handler for decide (nil: no callback), configured further by change,
// with numbers (nil: pool).
func newEmu(t *testing.T, decide callback.DecideFunc, change func(*emulator.ServiceConfig, *emulator.Proxy), numbers []emulator.NewPhoneNumber) *emu {
	t.Helper()
	return newEmuWith(t, nil, decide, change, numbers)
}

func newEmuWith(t *testing.T, opts *emulator.Options, decide callback.DecideFunc, change func(*emulator.ServiceConfig, *emulator.Proxy), numbers []emulator.NewPhoneNumber) *emu {
	t.Helper()
	if opts == nil {
		opts = &emulator.Options{Start: t0}
	}
	p := emulator.New(opts)
	t.Cleanup(p.Close)
	cfg := emulator.ServiceConfig{UniqueName: svc}
	if decide != nil {
		cfg.OutOfSessionCallbackURL = p.Serve(handlerFor(t, decide)) + "/out-of-session"
	}
	if change != nil {
		change(&cfg, p)
	}
	_, err := p.CreateService(cfg)
	require.NoError(t, err)
	if numbers == nil {
		numbers = pool
	}
	for _, n := range numbers {
		_, err := p.AddNumber(svc, n)
		require.NoError(t, err)
	}
	return &emu{Proxy: p, t: t}
}

// answering configures the out-of-session callback to be h.
func answering(h http.Handler) func(*emulator.ServiceConfig, *emulator.Proxy) {
	return func(c *emulator.ServiceConfig, p *emulator.Proxy) { c.OutOfSessionCallbackURL = p.Serve(h) }
}

func (e *emu) create(ns emulator.NewSession) (emulator.Session, error) {
	return e.CreateSession(svc, ns)
}

func (e *emu) session(name string) emulator.Session {
	e.t.Helper()
	s, err := e.Session(svc, name)
	require.NoError(e.t, err)
	return s
}

func (e *emu) sessions() []emulator.Session {
	e.t.Helper()
	s, err := e.Sessions(svc)
	require.NoError(e.t, err)
	return s
}

func (e *emu) advance(d time.Duration) []debugger.Event {
	e.t.Helper()
	ev, err := e.AdvanceTo(t0.Add(d))
	require.NoError(e.t, err)
	return ev
}

func (e *emu) in(in oosc.Inbound) emulator.Result {
	e.t.Helper()
	r, err := e.Inbound(context.Background(), svc, in)
	require.NoError(e.t, err)
	return r
}

func ride(name string, mode autocreate.Mode, ttl time.Duration) emulator.NewSession {
	return emulator.NewSession{UniqueName: name, Mode: mode, TTL: ttl, Participants: []emulator.NewParticipant{
		{Identifier: rider, ProxyIdentifier: pn1}, {Identifier: driver},
	}}
}

func one(id string) emulator.NewSession {
	return emulator.NewSession{Participants: []emulator.NewParticipant{{Identifier: id}}}
}

func code(t *testing.T, err error) oosc.Code {
	t.Helper()
	var e *emulator.Error
	require.True(t, errors.As(err, &e), "want an *emulator.Error, got %v", err)
	return e.Code
}

func sms(from, to string) oosc.Inbound {
	return oosc.Inbound{Channel: oosc.SMS, From: from, To: to, Body: "hi"}
}

func call(from, to string) oosc.Inbound {
	return oosc.Inbound{Channel: oosc.Voice, From: from, To: to}
}

func codes(c ...oosc.Code) []oosc.Code { return append([]oosc.Code{}, c...) }

func reconnect() callback.DecideFunc { return callback.Reconnect(nil) }

// answerWith is an endpoint that answers every request with ct, body and status.
func answerWith(ct, body string, status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	})
}
