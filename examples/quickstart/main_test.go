package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/callback"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// start runs the quickstart on a free loopback port and returns its base URL.
func start(t *testing.T, env map[string]string) (base string, stdout, stderr *lockedBuffer) {
	t.Helper()
	env["OOSC_ADDR"] = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr = &lockedBuffer{}, &lockedBuffer{}
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
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if tok != "" {
		req.Header.Set(callback.SignatureHeader, callback.Signature(tok, u, form))
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
	req.Header.Set(callback.SignatureHeader, m[2])
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
