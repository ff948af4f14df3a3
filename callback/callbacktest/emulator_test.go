package callbacktest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
)

const (
	pn1, pn2, pnR = "+14155550100", "+14155550110", "+14155550111" // pool; pnR reserved
	rider         = "+19515550101"
	driver        = "+17075550102"
	stranger      = "+16505550103"
)

var t0 = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)

var pool = []callbacktest.Number{{Number: pn1}, {Number: pn2}, {Number: pnR, Reserved: true}}

// newProxy is an emulator whose callback is a handler for decide (nil: no callback).
func newProxy(t *testing.T, decide callback.DecideFunc) *callbacktest.Proxy {
	t.Helper()
	svc := callbacktest.Service{Numbers: pool}
	if decide != nil {
		h, err := callback.NewHandler(decide, &callback.Options{Verifier: callback.Verifier{AuthTokens: []string{callbacktest.DefaultAuthToken}}})
		require.NoError(t, err)
		svc.Callback = h
	}
	return newProxyWith(t, svc)
}

func newProxyWith(t *testing.T, svc callbacktest.Service) *callbacktest.Proxy {
	t.Helper()
	if svc.Numbers == nil {
		svc.Numbers = pool
	}
	p, err := callbacktest.NewProxy(svc, t0)
	require.NoError(t, err)
	t.Cleanup(p.Close)
	return p
}

func ride(name string, mode autocreate.Mode, ttl time.Duration) callbacktest.NewSession {
	return callbacktest.NewSession{UniqueName: name, Mode: mode, TTL: ttl, Participants: []callbacktest.NewParticipant{
		{Identifier: rider, ProxyIdentifier: pn1}, {Identifier: driver},
	}}
}

func code(t *testing.T, err error) int {
	t.Helper()
	var e *callbacktest.Error
	require.ErrorAs(t, err, &e)
	return e.Code
}

func sms(from, to string) callbacktest.Inbound {
	return callbacktest.Inbound{Channel: callback.Messaging, From: from, To: to, Body: "hi"}
}

func call(from, to string) callbacktest.Inbound {
	return callbacktest.Inbound{Channel: callback.Voice, From: from, To: to}
}

func reconnect() callback.DecideFunc { return callback.Reconnect(nil) }

func answerWith(ct, body string, status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	})
}

// Section 2: creating a Session, each check in order, with its code; a
// failed create changes nothing.
func TestEmulatorCreateSession(t *testing.T) {
	p := newProxy(t, nil)
	s, err := p.CreateSession(ride("ride-1", "", 0))
	require.NoError(t, err)
	assert.Equal(t, autocreate.VoiceAndMessage, s.Mode, "mode defaults to voice-and-message")
	assert.Equal(t, "open", s.Status)
	assert.Regexp(t, `^KC[0-9a-f]{32}$`, s.Sid)
	require.Len(t, s.Participants, 2)
	assert.Regexp(t, `^KP[0-9a-f]{32}$`, s.Participants[0].Sid)
	assert.Equal(t, pn1, s.Participants[1].ProxyIdentifier, "the first number in pool order; the rider's number is not excluded")

	tests := []struct {
		name string
		ns   callbacktest.NewSession
		code int
	}{
		{"uniqueName over 191 characters", callbacktest.NewSession{UniqueName: strings.Repeat("x", 192)}, 80701},
		{"uniqueName already used", callbacktest.NewSession{UniqueName: "ride-1"}, 80603},
		{"mode outside the three", callbacktest.NewSession{UniqueName: "r", Mode: "sms-only"}, 80701},
		{"dateExpiry not in the future", callbacktest.NewSession{UniqueName: "r", DateExpiry: t0}, 80701},
		{"negative ttl", callbacktest.NewSession{UniqueName: "r", TTL: -time.Second}, 80701},
		{"identifier neither E.164 nor an address", callbacktest.NewSession{Participants: []callbacktest.NewParticipant{{Identifier: "0415555"}}}, 80404},
		{"channel address outside message-only", callbacktest.NewSession{Participants: []callbacktest.NewParticipant{{Identifier: "whatsapp:+14155550123"}}}, 80616},
		{"the same identifier twice", callbacktest.NewSession{Participants: []callbacktest.NewParticipant{{Identifier: stranger}, {Identifier: stranger}}}, 80103},
		{"a third Participant", callbacktest.NewSession{Participants: []callbacktest.NewParticipant{{Identifier: stranger}, {Identifier: "+16505550104"}, {Identifier: "+16505550105"}}}, 80609},
		{"proxy identifier not in the pool", callbacktest.NewSession{Participants: []callbacktest.NewParticipant{{Identifier: stranger, ProxyIdentifier: "+14155550999"}}}, 80605},
		{"pair held by another active Session", callbacktest.NewSession{Participants: []callbacktest.NewParticipant{{Identifier: rider, ProxyIdentifier: pn1}}}, 80604},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := p.Sessions()
			_, err := p.CreateSession(tt.ns)
			assert.Equal(t, tt.code, code(t, err))
			assert.Equal(t, before, p.Sessions(), "a failed create changes nothing")
		})
	}
	t.Run("a failed create leaves no trace in the SIDs", func(t *testing.T) {
		q := newProxy(t, nil)
		_, err := q.CreateSession(callbacktest.NewSession{Participants: []callbacktest.NewParticipant{{Identifier: stranger}, {Identifier: "bad"}}})
		require.Error(t, err)
		s, err := q.CreateSession(callbacktest.NewSession{})
		require.NoError(t, err)
		assert.Equal(t, "KC00000000000000000000000000000001", s.Sid)
	})
	t.Run("a channel address in message-only", func(t *testing.T) {
		q := newProxyWith(t, callbacktest.Service{Numbers: []callbacktest.Number{{Number: "whatsapp:+14155550100"}}})
		_, err := q.CreateSession(callbacktest.NewSession{Mode: autocreate.MessageOnly, Participants: []callbacktest.NewParticipant{{Identifier: "whatsapp:+14155550123"}}})
		assert.NoError(t, err)
	})
}

// Section 2: adding to a closed Session, closing twice, deleting.
func TestEmulatorCloseDelete(t *testing.T) {
	p := newProxy(t, nil)
	_, err := p.CreateSession(callbacktest.NewSession{UniqueName: "ride-1"})
	require.NoError(t, err)
	require.NoError(t, p.Advance(t0.Add(time.Minute)))
	require.NoError(t, p.CloseSession("ride-1"))
	s, _ := p.Session("ride-1")
	assert.Equal(t, "closed", s.Status)
	assert.Equal(t, "api", s.ClosedReason)
	assert.Equal(t, t0.Add(time.Minute), s.Ended)
	assert.Equal(t, 80607, code(t, p.CloseSession("ride-1")), "already closed")
	_, err = p.AddParticipant("ride-1", callbacktest.NewParticipant{Identifier: rider})
	assert.Equal(t, 80607, code(t, err), "adding to a closed Session")

	_, err = p.CreateSession(callbacktest.NewSession{UniqueName: "ride-1"})
	assert.Equal(t, 80603, code(t, err), "a closed Session keeps its name")
	require.NoError(t, p.DeleteSession("ride-1"))
	_, ok := p.Session("ride-1")
	assert.False(t, ok)
	_, err = p.CreateSession(callbacktest.NewSession{UniqueName: "ride-1"})
	assert.NoError(t, err, "a deleted Session frees its name")
	assert.Error(t, p.DeleteSession("nope"))
	assert.Error(t, p.Advance(t0), "time never goes back")
}

// Section 2: number choice: reserved never chosen, pairs excluded,
// prefer-sticky, 80207 and 80208.
func TestEmulatorNumberChoice(t *testing.T) {
	p := newProxy(t, nil)
	one := func(id string) callbacktest.NewSession {
		return callbacktest.NewSession{Participants: []callbacktest.NewParticipant{{Identifier: id}}}
	}
	s1, err := p.CreateSession(one(driver))
	require.NoError(t, err)
	assert.Equal(t, pn1, s1.Participants[0].ProxyIdentifier, "the first unreserved number in pool order")
	s2, err := p.CreateSession(one(driver))
	require.NoError(t, err)
	assert.Equal(t, pn2, s2.Participants[0].ProxyIdentifier, "pn1 is paired with the driver already")
	_, err = p.CreateSession(one(driver))
	assert.Equal(t, 80208, code(t, err), "every unreserved number is paired with the driver; the reserved one is never chosen")
	s3, err := p.CreateSession(one(rider))
	require.NoError(t, err)
	assert.Equal(t, pn1, s3.Participants[0].ProxyIdentifier, "two identifiers share a number")

	require.NoError(t, p.CloseSession(s1.Sid))
	require.NoError(t, p.CloseSession(s2.Sid))
	s4, err := p.CreateSession(one(driver))
	require.NoError(t, err)
	assert.Equal(t, pn2, s4.Participants[0].ProxyIdentifier, "prefer-sticky: the number the driver held most recently")

	both := callbacktest.NewSession{Participants: []callbacktest.NewParticipant{{Identifier: stranger}, {Identifier: "+16505550104"}}}
	s5, err := p.CreateSession(both)
	require.NoError(t, err)
	assert.Equal(t, s5.Participants[0].ProxyIdentifier, s5.Participants[1].ProxyIdentifier, "the other Participant's number is not excluded")

	q := newProxyWith(t, callbacktest.Service{Numbers: []callbacktest.Number{{Number: pnR, Reserved: true}}})
	_, err = q.CreateSession(one(driver))
	assert.Equal(t, 80207, code(t, err), "no unreserved number at all")
	_, err = q.CreateSession(callbacktest.NewSession{Participants: []callbacktest.NewParticipant{{Identifier: driver, ProxyIdentifier: pnR}}})
	assert.NoError(t, err, "a reserved number may be given explicitly")
}

// Section 2: expiry by ttl from the last interaction, by dateExpiry (which
// wins), and by the Service's defaultTtl, closing with reason expired at
// the expiry time.
func TestEmulatorExpiry(t *testing.T) {
	p := newProxy(t, nil)
	_, err := p.CreateSession(ride("ttl", autocreate.VoiceAndMessage, time.Hour))
	require.NoError(t, err)
	require.NoError(t, p.Advance(t0.Add(50*time.Minute)))
	r := p.Contact(context.Background(), sms(rider, pn1))
	require.Equal(t, callbacktest.Routed, r.Outcome)
	require.NoError(t, p.Advance(t0.Add(100*time.Minute)))
	s, _ := p.Session("ttl")
	assert.Equal(t, "in-progress", s.Status, "the interaction at 50 min pushed the expiry to 110 min")
	require.NoError(t, p.Advance(t0.Add(110*time.Minute)))
	s, _ = p.Session("ttl")
	assert.Equal(t, "closed", s.Status, "expires at the expiry time itself")
	assert.Equal(t, "expired", s.ClosedReason)
	assert.Equal(t, t0.Add(110*time.Minute), s.Ended)

	q := newProxyWith(t, callbacktest.Service{DefaultTTL: time.Minute})
	ns := ride("both", autocreate.VoiceAndMessage, time.Hour)
	ns.DateExpiry = t0.Add(10 * time.Minute)
	_, err = q.CreateSession(ns)
	require.NoError(t, err)
	_, err = q.CreateSession(callbacktest.NewSession{UniqueName: "default"})
	require.NoError(t, err)
	require.NoError(t, q.Advance(t0.Add(2*time.Minute)))
	s, _ = q.Session("default")
	assert.Equal(t, "closed", s.Status, "the Service's defaultTtl applies to a Session without ttl")
	s, _ = q.Session("both")
	assert.Equal(t, "open", s.Status, "dateExpiry wins over ttl and defaultTtl")
	require.NoError(t, q.Advance(t0.Add(10*time.Minute)))
	s, _ = q.Session("both")
	assert.Equal(t, "expired", s.ClosedReason)
}

// Section 3, steps 1 and 2: a number outside the pool, routing through an
// active Session, and the routing failures.
func TestEmulatorRouting(t *testing.T) {
	p := newProxy(t, reconnect())
	ctx := context.Background()
	assert.Equal(t, callbacktest.Ignored, p.Contact(ctx, sms(rider, "+14155550999")).Outcome)

	_, err := p.CreateSession(ride("ride-1", autocreate.VoiceAndMessage, 0))
	require.NoError(t, err)
	r := p.Contact(ctx, sms(rider, pn1))
	assert.Equal(t, callbacktest.Routed, r.Outcome)
	assert.Equal(t, driver, r.DeliverTo)
	assert.Equal(t, pn1, r.ShownFrom)
	assert.Equal(t, "ride-1", r.Session)
	assert.Empty(t, r.Codes)
	assert.Empty(t, r.Cause)
	s, _ := p.Session("ride-1")
	assert.Equal(t, "in-progress", s.Status)
	r = p.Contact(ctx, call(driver, pn1))
	assert.Equal(t, rider, r.DeliverTo, "the other way round")
	assert.Equal(t, pn1, r.ShownFrom)
	assert.Empty(t, p.Callbacks(), "a routed contact never reaches the callback")

	_, err = p.CreateSession(callbacktest.NewSession{UniqueName: "texts", Mode: autocreate.MessageOnly,
		Participants: []callbacktest.NewParticipant{{Identifier: stranger, ProxyIdentifier: pn1}, {Identifier: driver, ProxyIdentifier: pn2}}})
	require.NoError(t, err)
	assert.Equal(t, []int{80911}, p.Contact(ctx, call(stranger, pn1)).Codes, "a call into a message-only Session")
	_, err = p.CreateSession(callbacktest.NewSession{UniqueName: "calls", Mode: autocreate.VoiceOnly,
		Participants: []callbacktest.NewParticipant{{Identifier: "+16505550104", ProxyIdentifier: pn1}, {Identifier: stranger, ProxyIdentifier: pnR}}})
	require.NoError(t, err)
	assert.Equal(t, []int{80910}, p.Contact(ctx, sms("+16505550104", pn1)).Codes, "a message into a voice-only Session")
	_, err = p.CreateSession(callbacktest.NewSession{UniqueName: "alone", Participants: []callbacktest.NewParticipant{{Identifier: "+16505550105", ProxyIdentifier: pn1}}})
	require.NoError(t, err)
	r = p.Contact(ctx, sms("+16505550105", pn1))
	assert.Equal(t, callbacktest.Failed, r.Outcome)
	assert.Equal(t, []int{80614}, r.Codes, "no other Participant")
}
