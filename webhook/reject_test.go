package webhook_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/webhook"
)

// Reject answers each error with its status and a fixed text, never the
// error's detail, with http.Error's header discipline.
func TestRejectAnswers(t *testing.T) {
	tests := []struct {
		err    error
		status int
	}{
		{webhook.ErrMethodNotAllowed, http.StatusMethodNotAllowed},
		{webhook.ErrUnsupportedMediaType, http.StatusUnsupportedMediaType},
		{webhook.ErrBodyTooLarge, http.StatusRequestEntityTooLarge},
		{webhook.ErrMalformedForm, http.StatusBadRequest},
		{webhook.ErrMissingSignature, http.StatusBadRequest},
		{fmt.Errorf("wrapped: %w", webhook.ErrInvalidSignature), http.StatusForbidden},
		{webhook.VerifyBody([]string{token}, "https://x/?bodySHA256=00", nil, "sig"), http.StatusForbidden},
		{webhook.ErrNoAuthToken, http.StatusInternalServerError},
		{errors.New("anything else"), http.StatusInternalServerError},
	}
	v := newVerifier(t, nil)
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			assert.Equal(t, tt.status, webhook.Status(tt.err))
			rec := httptest.NewRecorder()
			rec.Header().Set("Content-Length", "99")
			rec.Header().Set("Content-Type", "application/xml")
			v.Reject(rec, httptest.NewRequest(http.MethodPost, "/status", nil), tt.err)
			assert.Equal(t, tt.status, rec.Code)
			assert.Equal(t, http.StatusText(tt.status)+"\n", rec.Body.String())
			assert.Equal(t, "text/plain; charset=utf-8", rec.Header().Get("Content-Type"))
			assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
			assert.Empty(t, rec.Header().Get("Content-Length"))
			if tt.status == http.StatusMethodNotAllowed {
				assert.Equal(t, http.MethodPost, rec.Header().Get("Allow"))
			} else {
				assert.Empty(t, rec.Header().Get("Allow"))
			}
		})
	}
}

// Rejections cannot flood the log: at most one WARN record per interval,
// the rest at DEBUG and counted in the next WARN, while OnReject sees each
// one. The reason names the URL checked, its phone numbers masked, and no
// token.
func TestRejectionsDoNotFloodTheLog(t *testing.T) {
	serveRejecting := func(interval time.Duration) (*httptest.Server, *logs, chan error) {
		var l logs
		reasons := make(chan error, 200)
		v := newVerifier(t, &webhook.Options{
			Logger:               l.logger(slog.LevelInfo),
			OnReject:             func(_ *http.Request, err error) { reasons <- err },
			RejectionLogInterval: interval,
		})
		srv := httptest.NewServer(v.Middleware(noContent))
		t.Cleanup(srv.Close)
		return srv, &l, reasons
	}
	attack := func(srv *httptest.Server, reasons chan error, n int) {
		for i := 0; i < n; i++ {
			req := signedRequest(t, srv.URL+"/status?To=%2B14155550100", "", token, url.Values{"CallSid": {"CA1"}})
			req.Header.Set(webhook.Header, "forged")
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
			select {
			case err := <-reasons: // the record, if any, is written before OnReject runs
				assert.ErrorIs(t, err, webhook.ErrInvalidSignature)
			case <-time.After(5 * time.Second):
				t.Fatalf("OnReject saw %d of %d rejections", i, n)
			}
		}
	}

	srv, l, reasons := serveRejecting(time.Hour)
	attack(srv, reasons, 50)
	recs := l.records(t)
	require.Len(t, recs, 1, "one WARN record for 50 rejections within the interval")
	assert.Equal(t, "WARN", recs[0]["level"])
	assert.Equal(t, float64(http.StatusForbidden), recs[0]["status"])
	assert.Contains(t, recs[0]["reason"], "/status?To=%2B*********00", "the URL checked, its phone number masked")
	assert.NotContains(t, l.String(), token)
	assert.NotContains(t, l.String(), "4155550100")

	// Every rejection is a WARN record or counted in a later one.
	srv, l, reasons = serveRejecting(20 * time.Millisecond)
	attack(srv, reasons, 30)
	time.Sleep(30 * time.Millisecond) // past the interval: the next rejection is a WARN
	attack(srv, reasons, 1)
	total := 0
	for _, rec := range l.records(t) {
		assert.Equal(t, "WARN", rec["level"])
		total++
		if n, ok := rec["rejections_logged_at_debug"].(float64); ok {
			total += int(n)
		}
	}
	assert.Equal(t, 31, total)
}

// A panic in OnReject or in the Logger's handler loses no answer and does
// not reach the server; it is logged with slog's default logger; OnReject
// is still called when the Logger panics.
func TestRejectSurvivesPanics(t *testing.T) {
	var l logs
	defer slog.SetDefault(slog.Default())
	slog.SetDefault(l.logger(slog.LevelInfo))
	called := 0
	for name, opts := range map[string]*webhook.Options{
		"OnReject": {OnReject: func(*http.Request, error) { called++; panic("hook") }},
		"Logger":   {Logger: slog.New(panicking{}), OnReject: func(*http.Request, error) { called++ }},
	} {
		t.Run(name, func(t *testing.T) {
			v := newVerifier(t, opts)
			rec := httptest.NewRecorder()
			assert.NotPanics(t, func() {
				v.Middleware(noContent).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/status", nil))
			})
			assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
		})
	}
	assert.Equal(t, 2, called)
	assert.Contains(t, l.String(), "webhook: Options.OnReject panicked")
	assert.Contains(t, l.String(), "webhook: the handler of Options.Logger panicked")
}

// panicking is a slog handler that panics on every record.
type panicking struct{}

func (panicking) Enabled(context.Context, slog.Level) bool  { return true }
func (panicking) Handle(context.Context, slog.Record) error { panic("log handler") }
func (h panicking) WithAttrs([]slog.Attr) slog.Handler      { return h }
func (h panicking) WithGroup(string) slog.Handler           { return h }

// Between two WARN records, a rejection is logged at DEBUG, with the
// same message and reason.
func TestRejectLogsAtDebugBetweenWarnings(t *testing.T) {
	var l logs
	v := newVerifier(t, &webhook.Options{Logger: l.logger(slog.LevelDebug), RejectionLogInterval: time.Hour})
	for range 3 {
		v.Reject(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/status", nil), webhook.ErrMissingSignature)
	}
	recs := l.records(t)
	require.Len(t, recs, 3)
	levels := []string{}
	for _, r := range recs {
		levels = append(levels, r["level"].(string))
		assert.Equal(t, "webhook: request rejected", r["msg"])
		assert.True(t, strings.HasPrefix(r["reason"].(string), "webhook: missing X-Twilio-Signature"))
	}
	assert.Equal(t, []string{"WARN", "DEBUG", "DEBUG"}, levels)
}
