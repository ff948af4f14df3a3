package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/webhook"
)

const token = "test-auth-token-primary-7f3a9c1e"

// newVerifier makes a Verifier of tokens (token when none) and opts.
func newVerifier(t testing.TB, opts *webhook.Options, tokens ...string) *webhook.Verifier {
	t.Helper()
	if len(tokens) == 0 {
		tokens = []string{token}
	}
	v, err := webhook.NewVerifier(tokens, opts)
	require.NoError(t, err)
	return v
}

// signedRequest is a POST of form to target, signed with tok for signedFor
// (target when "").
func signedRequest(t testing.TB, target, signedFor, tok string, form url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, target, strings.NewReader(form.Encode()))
	require.NoError(t, err)
	if signedFor == "" {
		signedFor = target
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(webhook.Header, webhook.Sign(tok, signedFor, form))
	return req
}

// noContent is the next handler of the middleware in these tests.
var noContent = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })

// logs collects log records written from many goroutines.
type logs struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// records returns the JSON records written so far.
func (l *logs) records(t testing.TB) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.b.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		out = append(out, rec)
	}
	return out
}

func (l *logs) logger(level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: level}))
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
