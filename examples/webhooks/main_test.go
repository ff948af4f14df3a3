package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/webhook"
)

const newToken, oldToken = "new-token-2026", "old-token-2025"

func start(t *testing.T) string {
	t.Helper()
	env := map[string]string{"TWILIO_AUTH_TOKEN": newToken + ", " + oldToken, "OOSC_ADDR": "127.0.0.1:0"}
	ctx, cancel := context.WithCancel(context.Background())
	var logs callbacktest.Logs
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() {
		done <- run(ctx, func(k string) string { return env[k] }, &logs, func(b string) { ready <- b })
	}()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		t.Fatalf("webhooks stopped: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("webhooks did not start")
	}
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	return base
}

// Every webhook takes both tokens during a rotation, and refuses a forged
// or missing signature, before the webhook's own code runs.
func TestWebhooksShareTheVerifier(t *testing.T) {
	base := start(t)
	send := func(path, token string, form url.Values) (*http.Response, string) {
		req := callbacktest.NewSignedRequest(context.Background(), base+path, token, form)
		if token == "" {
			req.Header.Del(webhook.Header)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	sms := url.Values{"MessageSid": {"SM1"}, "From": {"+14155550101"}, "To": {"+14155550100"}, "Body": {"hello"}}
	status := url.Values{"CallSid": {"CA1"}, "CallStatus": {"completed"}}
	for _, token := range []string{newToken, oldToken} {
		resp, body := send("/sms", token, sms)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "application/xml", resp.Header.Get("Content-Type"))
		assert.Contains(t, body, "<Message>Thanks, we got your message: hello</Message>")
		resp, _ = send("/status", token, status)
		assert.Equal(t, http.StatusNoContent, resp.StatusCode)
		a := callbacktest.Post(context.Background(), nil, base+"/out-of-session", token, callbacktest.Call("+14155550101", "+14155550100"))
		callbacktest.AssertValid(t, a)
	}
	for _, path := range []string{"/sms", "/status", "/out-of-session"} {
		resp, _ := send(path, "forged-token", sms)
		assert.Equal(t, http.StatusForbidden, resp.StatusCode, path)
		resp, _ = send(path, "", sms)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, path)
	}
}

// The out-of-session route through the Proxy emulator: a closed Session's
// sender hears the notice rather than an error.
func TestWebhooksThroughTheEmulator(t *testing.T) {
	base := start(t)
	p := emulator.New(&emulator.Options{AuthToken: oldToken, Start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	defer p.Close()
	svc, err := p.CreateService(emulator.ServiceConfig{OutOfSessionCallbackURL: base + "/out-of-session"})
	require.NoError(t, err)
	_, err = p.AddNumber(svc.Sid, emulator.NewPhoneNumber{Number: "+14155550100"})
	require.NoError(t, err)
	_, err = p.CreateSession(svc.Sid, emulator.NewSession{UniqueName: "job-1", Participants: []emulator.NewParticipant{
		{Identifier: "+14155550101"}, {Identifier: "+14155550181"}}})
	require.NoError(t, err)
	require.NoError(t, p.CloseSession(svc.Sid, "job-1"))
	r, err := p.Inbound(context.Background(), svc.Sid, oosc.Inbound{Channel: oosc.SMS, From: "+14155550101", To: "+14155550100", Body: "hi"})
	require.NoError(t, err)
	assert.Equal(t, emulator.OutcomeTwiML, r.Outcome, r.Detail)
	assert.Equal(t, oosc.CauseSessionClosed, r.Cause)
	r, err = p.Inbound(context.Background(), svc.Sid, oosc.Inbound{Channel: oosc.Voice, From: "+14155550181", To: "+14155550100"})
	require.NoError(t, err)
	assert.Equal(t, emulator.OutcomeTwiML, r.Outcome, r.Detail)
}

// oosc check, the real command, passes the out-of-session route.
func TestWebhooksPassOOSCCheck(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "oosc")
	out, err := exec.Command("go", "build", "-o", bin, "../../cmd/oosc").CombinedOutput()
	require.NoError(t, err, string(out))
	base := start(t)
	out, err = exec.Command(bin, "check", "--url", base+"/out-of-session", "--auth-token", newToken).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "8 of 8 callbacks passed")
}
