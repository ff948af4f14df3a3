package main

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/emulator"
)

const (
	tok      = "marketplace-test-token"
	proxyNum = "+14155550199"
	ben      = "+14155550101" // buyer: asked about the sofa last
	ana      = "+14155550181" // seller of the bike
	dev      = "+14155550182" // seller of the sofa
	stranger = "+14155550160"
)

// start runs the marketplace on a free loopback port with a fresh database.
func start(t *testing.T, env map[string]string) string {
	t.Helper()
	env["OOSC_ADDR"] = "127.0.0.1:0"
	env["TWILIO_AUTH_TOKEN"] = tok
	env["MARKETPLACE_DB"] = filepath.Join(t.TempDir(), "marketplace.db")
	ctx, cancel := context.WithCancel(context.Background())
	var logs callbacktest.Logs
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() {
		done <- run(ctx, func(k string) string { return env[k] }, &logs, &logs, func(b string) { ready <- b })
	}()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("marketplace stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("marketplace did not start")
	}
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done, "graceful shutdown")
	})
	return base + path
}

// The flows a marketplace meets, through the Proxy emulator over real HTTP.
func TestMarketplaceThroughTheEmulator(t *testing.T) {
	u := start(t, map[string]string{})
	t0 := time.Date(2026, 11, 10, 9, 0, 0, 0, time.UTC)
	var p *emulator.Proxy // a new Proxy Service for each flow
	const svc = "marketplace"
	newProxy := func(t *testing.T) {
		p = emulator.New(&emulator.Options{AuthToken: tok, Start: t0})
		t.Cleanup(p.Close)
		_, err := p.CreateService(emulator.ServiceConfig{UniqueName: svc, OutOfSessionCallbackURL: u})
		require.NoError(t, err)
		for _, n := range []string{proxyNum, "+14155550198"} {
			_, err := p.AddNumber(svc, emulator.NewPhoneNumber{Number: n})
			require.NoError(t, err)
		}
	}
	ctx := context.Background()
	contact := func(in oosc.Inbound) emulator.Result {
		r, err := p.Inbound(ctx, svc, in)
		require.NoError(t, err)
		return r
	}
	text := func(from string) emulator.Result {
		return contact(oosc.Inbound{Channel: oosc.SMS, From: from, To: proxyNum, Body: "is it still available?"})
	}

	t.Run("a buyer with no Session is connected with the seller from the database", func(t *testing.T) {
		newProxy(t)
		r := text(ben)
		require.Equal(t, emulator.OutcomeCreated, r.Outcome, r.Detail)
		assert.Equal(t, oosc.CauseNoPreviousSession, r.Cause)
		assert.Equal(t, dev, r.DeliverTo, "Ben asked about Dev's sofa last")
		assert.Regexp(t, `^listing-11-SM[0-9a-f]{32}$`, r.Session)
		r = contact(oosc.Inbound{Channel: oosc.Voice, From: dev, To: r.ShownFrom})
		assert.Equal(t, emulator.OutcomeRouted, r.Outcome, "the seller calls back through the new Session")
		assert.Equal(t, ben, r.DeliverTo)
	})
	t.Run("a closed Session is reconnected by auto-create", func(t *testing.T) {
		newProxy(t)
		_, err := p.CreateSession(svc, emulator.NewSession{UniqueName: "bike-deal", Participants: []emulator.NewParticipant{
			{Identifier: "+14155550102", ProxyIdentifier: proxyNum}, {Identifier: ana, ProxyIdentifier: proxyNum}}})
		require.NoError(t, err)
		require.NoError(t, p.CloseSession(svc, "bike-deal"))
		r := text("+14155550102")
		require.Equal(t, emulator.OutcomeCreated, r.Outcome, r.Detail)
		assert.Equal(t, oosc.CauseSessionClosed, r.Cause)
		assert.Equal(t, ana, r.DeliverTo, "Reconnect, before the database")
	})
	t.Run("an expired Session", func(t *testing.T) {
		newProxy(t)
		_, err := p.CreateSession(svc, emulator.NewSession{UniqueName: "short", TTL: time.Hour, Participants: []emulator.NewParticipant{
			{Identifier: ana, ProxyIdentifier: "+14155550198"}, {Identifier: "+14155550103", ProxyIdentifier: "+14155550198"}}})
		require.NoError(t, err)
		_, err = p.Advance(t0.Add(2 * time.Hour))
		require.NoError(t, err)
		r := contact(oosc.Inbound{Channel: oosc.Voice, From: ana, To: "+14155550198"})
		require.Equal(t, emulator.OutcomeCreated, r.Outcome, r.Detail)
		assert.Equal(t, oosc.CauseSessionExpired, r.Cause)
		assert.Equal(t, "+14155550103", r.DeliverTo)
	})
	t.Run("an unknown sender hears the notice", func(t *testing.T) {
		newProxy(t)
		r := contact(oosc.Inbound{Channel: oosc.Voice, From: stranger, To: proxyNum})
		assert.Equal(t, emulator.OutcomeTwiML, r.Outcome, r.Detail)
		require.NotNil(t, r.Response)
		assert.Contains(t, string(r.Response.Body), "<Say>This number is for marketplace conversations.")
	})
	t.Run("a retried callback gets the same name, so Proxy makes no second Session", func(t *testing.T) {
		newProxy(t)
		c := callbacktest.Message(ben, proxyNum, "hello?")
		c.Seq = 900
		first := callbacktest.Post(ctx, nil, u, tok, c)
		retry := callbacktest.Post(ctx, nil, u, tok, c) // Twilio retries with the same MessageSid
		callbacktest.AssertValid(t, first)
		assert.Equal(t, string(first.Body), string(retry.Body))
		s := first.Verdict.Session
		require.NotNil(t, s)
		ns := emulator.NewSession{UniqueName: s.UniqueName, Mode: s.Mode, TTL: s.TTL,
			Participants: []emulator.NewParticipant{{Identifier: ben, ProxyIdentifier: "+14155550198"}, {Identifier: s.ParticipantIdentifier}}}
		_, err := p.CreateSession(svc, ns)
		require.NoError(t, err)
		_, err = p.CreateSession(svc, ns)
		var e *emulator.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, oosc.CodeNonUniqueSessionName, e.Code, "80603 instead of a duplicate Session")
	})
}

// A database slower than the deadline: the query is cut by the callback's
// context and the fallback is answered in time. The query here never ends
// on its own, so the decision returning at all proves it was interrupted.
func TestMarketplaceSlowDatabase(t *testing.T) {
	store, err := OpenStore(context.Background(), filepath.Join(t.TempDir(), "slow.db"))
	require.NoError(t, err)
	defer store.Close()
	store.counterpartSQL = `WITH RECURSIVE forever(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM forever)
		SELECT 0, '' FROM forever WHERE x < 0 AND ?1 IS NOT NULL LIMIT 1`

	var mu sync.Mutex
	var queryErr error
	returned := make(chan struct{}, 1)
	base := decide(store)
	watched := func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
		a, err := base(ctx, req)
		mu.Lock()
		queryErr = err
		mu.Unlock()
		returned <- struct{}{}
		return a, err
	}
	srv := callbacktest.NewServer(t, watched, &callback.Options{DecisionTimeout: 300 * time.Millisecond})
	a := srv.Send(callbacktest.Message(ben, proxyNum, "still there?"))
	callbacktest.AssertValid(t, a)
	require.NotNil(t, a.Outcome)
	assert.Equal(t, callback.FellBack, a.Outcome.Kind)
	assert.ErrorIs(t, a.Outcome.Err, callback.ErrDecisionTimeout)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response/>`, string(a.Body), "the messaging fallback, in time")

	select {
	case <-returned:
	case <-time.After(10 * time.Second): // a guard against a hang, not a timing assertion
		t.Fatal("the query was not interrupted by the deadline")
	}
	mu.Lock()
	defer mu.Unlock()
	require.Error(t, queryErr)
	assert.False(t, errors.Is(queryErr, errNoMatch))
}

// oosc check, the real command, passes the running marketplace.
func TestMarketplacePassesOOSCCheck(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "oosc")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/oosc-dev/oosc/cmd/oosc").CombinedOutput()
	require.NoError(t, err, string(out))
	u := start(t, map[string]string{})
	out, err = exec.Command(bin, "check", "--url", u, "--auth-token", tok).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "8 of 8 scenarios passed")
}
