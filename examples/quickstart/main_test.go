package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/webhook"
)

// start runs the quickstart on a free loopback port and returns its base URL.
func start(t *testing.T, env map[string]string) (base string, stdout, stderr *callbacktest.Logs) {
	t.Helper()
	env["OOSC_ADDR"] = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &callbacktest.Logs{}, &callbacktest.Logs{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, func(k string) string { return env[k] }, stdout, stderr, func(b string) { ready <- b })
	}()
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("quickstart stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("quickstart did not start")
	}
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done, "graceful shutdown")
	})
	return base, stdout, stderr
}

func post(t *testing.T, u, tok string, form url.Values) (*http.Response, string) {
	t.Helper()
	req := callbacktest.NewSignedRequest(context.Background(), u, tok, form)
	if tok == "" {
		req.Header.Del(webhook.Header)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestQuickstart(t *testing.T) {
	const tok = "quickstart-test-token"
	base, stdout, stderr := start(t, map[string]string{"TWILIO_AUTH_TOKEN": "old-token, " + tok})
	u := base + path
	assert.NotContains(t, stdout.String()+stderr.String(), tok, "the real token is never printed")

	// A rider with an assigned driver texts: auto-create with the driver.
	resp, body := post(t, u, tok, sampleForm())
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Equal(t, `{"uniqueName":"assigned-ride-101","mode":"voice-and-message","ttl":7200,"participantIdentifier":"+14155550181"}`, body)

	// A rider calls after their ride's Session closed: back to that ride's driver.
	call := url.Values{"CallSid": {"CA1"}, "From": {"+14155550150"}, "To": {"+14155550199"},
		"sessionSid": {"KC1"}, "sessionStatus": {"closed"}, "sessionClosedReason": {"api"},
		"outboundParticipantIdentifier": {"+14155550170"}, "outboundParticipantProxyIdentifier": {"+14155550198"}}
	resp, body = post(t, u, tok, call)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Contains(t, body, `"participantIdentifier":"+14155550170","participantProxyIdentifier":"+14155550198"`)

	// A stranger calls: the notice, then hang up.
	resp, body = post(t, u, tok, url.Values{"CallSid": {"CA2"}, "From": {"+14155550160"}, "To": {"+14155550199"}})
	assert.Equal(t, "application/xml", resp.Header.Get("Content-Type"))
	assert.Contains(t, body, "<Say>"+endedVoice+"</Say><Hangup/>")

	// The previous token still verifies; no signature is refused.
	resp, _ = post(t, u, "old-token", sampleForm())
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	resp, _ = post(t, u, "", sampleForm())
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)

	hr, err := http.Get(base + "/healthz")
	require.NoError(t, err)
	hr.Body.Close()
	assert.Equal(t, http.StatusOK, hr.StatusCode)
	assert.Contains(t, stdout.String(), "oosc sign")
}

// Demo mode prints a curl command that works as printed.
func TestQuickstartDemoMode(t *testing.T) {
	_, stdout, stderr := start(t, map[string]string{})
	assert.Contains(t, stderr.String(), "DEMO MODE")
	out := stdout.String()
	m := regexp.MustCompile(`curl -i -X POST '([^']+)' \\\n\s+-H 'X-Twilio-Signature: ([^']+)' \\\n\s+--data '([^']+)'`).FindStringSubmatch(out)
	require.Len(t, m, 4, out)
	req, err := http.NewRequest(http.MethodPost, m[1], strings.NewReader(m[3]))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded") // curl --data sends this type
	req.Header.Set(webhook.Header, m[2])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
}

// Every phase of a connection is bounded, and an idle keep-alive
// connection is closed after 15 s rather than a minute, so that idle
// connections cannot pile up.
func TestQuickstartServerLimits(t *testing.T) {
	srv := newServer(http.NotFoundHandler(), slog.New(slog.DiscardHandler))
	assert.Equal(t, 5*time.Second, srv.ReadHeaderTimeout)
	assert.Equal(t, 10*time.Second, srv.ReadTimeout)
	assert.Greater(t, srv.WriteTimeout, 15*time.Second, "an answer may take past the decision deadline")
	assert.Equal(t, 15*time.Second, srv.IdleTimeout)
	assert.LessOrEqual(t, srv.MaxHeaderBytes, 16<<10)
	assert.NotNil(t, srv.ErrorLog)
}

// The whole flow through the Proxy emulator, over real HTTP to the running
// quickstart: a ride's Session closes, the rider texts again and is
// reconnected by auto-create, the driver answers through the new Session,
// the Session expires after its two hours, the rider's next text is
// reconnected again (the expired Session is reported), and a stranger's
// call reaches the notice.
func TestQuickstartThroughTheEmulator(t *testing.T) {
	const tok = "quickstart-emulator-token"
	base, _, _ := start(t, map[string]string{"TWILIO_AUTH_TOKEN": tok})
	const (
		proxyNum = "+14155550199"
		rider    = "+14155550150"
		driver   = "+14155550170"
		stranger = "+14155550160"
	)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	p := emulator.New(&emulator.Options{AuthToken: tok, Start: t0})
	defer p.Close()
	svc, err := p.CreateService(emulator.ServiceConfig{UniqueName: "rides", OutOfSessionCallbackURL: base + path})
	require.NoError(t, err)
	for _, n := range []string{proxyNum, "+14155550198"} {
		_, err := p.AddNumber(svc.Sid, emulator.NewPhoneNumber{Number: n})
		require.NoError(t, err)
	}
	ctx := context.Background()
	at := func(d time.Duration) {
		_, err := p.AdvanceTo(t0.Add(d))
		require.NoError(t, err)
	}
	contact := func(in oosc.Inbound) emulator.Result {
		r, err := p.Inbound(ctx, svc.Sid, in)
		require.NoError(t, err)
		return r
	}
	text := func(from, body string) emulator.Result {
		return contact(oosc.Inbound{Channel: oosc.SMS, From: from, To: proxyNum, Body: body})
	}

	_, err = p.CreateSession(svc.Sid, emulator.NewSession{UniqueName: "ride-77", TTL: time.Hour, Participants: []emulator.NewParticipant{
		{Identifier: rider, ProxyIdentifier: proxyNum}, {Identifier: driver, ProxyIdentifier: proxyNum}}})
	require.NoError(t, err)
	assert.Equal(t, emulator.OutcomeRouted, text(rider, "I'm outside").Outcome)
	at(30 * time.Minute)
	require.NoError(t, p.CloseSession(svc.Sid, "ride-77"))

	at(40 * time.Minute)
	r := text(rider, "I left my bag in the car")
	require.Equal(t, emulator.OutcomeCreated, r.Outcome, r.Detail)
	assert.Equal(t, oosc.CauseSessionClosed, r.Cause)
	assert.Equal(t, driver, r.DeliverTo)
	assert.Equal(t, proxyNum, r.ShownFrom, "the driver sees the same number as before")
	reconnected := r.Session

	at(45 * time.Minute)
	r = text(driver, "I have it, coming back")
	assert.Equal(t, emulator.OutcomeRouted, r.Outcome)
	assert.Equal(t, rider, r.DeliverTo)
	assert.Equal(t, reconnected, r.Session)

	at(45*time.Minute + 2*time.Hour) // the quickstart's two-hour ttl, from the last interaction
	s, err := p.Session(svc.Sid, reconnected)
	require.NoError(t, err)
	assert.Equal(t, oosc.ClosedByExpiry, s.ClosedReason)
	r = text(rider, "thanks!")
	assert.Equal(t, emulator.OutcomeCreated, r.Outcome, r.Detail)
	assert.Equal(t, oosc.CauseSessionExpired, r.Cause)

	r = contact(oosc.Inbound{Channel: oosc.Voice, From: stranger, To: proxyNum})
	assert.Equal(t, emulator.OutcomeTwiML, r.Outcome, "the notice, as TwiML")
	assert.Equal(t, oosc.CauseNoPreviousSession, r.Cause)
	require.NotNil(t, r.Callback)
	assert.Contains(t, string(r.Callback.Webhook.Body), endedVoice)
	assert.Len(t, p.Webhooks(), 3)
}

// oosc check, the real command, passes the running quickstart.
func TestQuickstartPassesOOSCCheck(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the oosc command")
	}
	bin := filepath.Join(t.TempDir(), "oosc")
	build := exec.Command("go", "build", "-o", bin, "../../cmd/oosc")
	out, err := build.CombinedOutput()
	require.NoError(t, err, string(out))
	const tok = "quickstart-check-token"
	base, _, _ := start(t, map[string]string{"TWILIO_AUTH_TOKEN": tok})
	out, err = exec.Command(bin, "check", "--url", base+path, "--auth-token", tok).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "8 of 8 callbacks passed")
}
