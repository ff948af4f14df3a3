package callback_test

import (
	"context"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/judge"
)

// transports serve a handler over HTTP/1.1 and over HTTP/2 with TLS, and
// optionally behind an outer middleware.
var transports = []struct {
	name  string
	major int
	serve func(testing.TB, callback.DecideFunc, *callback.Options, func(http.Handler) http.Handler) *env
}{
	{"HTTP/1.1", 1, func(t testing.TB, d callback.DecideFunc, o *callback.Options, outer func(http.Handler) http.Handler) *env {
		e := serve(t, d, o)
		if outer != nil {
			e.srv.Config.Handler = outer(e.srv.Config.Handler)
		}
		return e
	}},
	{"HTTP/2", 2, serveHTTP2},
}

// fetch posts the SMS callback and reads the whole answer; the client's
// timeout guards against a hang only.
func fetch(t *testing.T, e *env, major int) (*http.Response, string) {
	t.Helper()
	client := e.srv.Client()
	client.Timeout = 10 * time.Second
	resp, err := client.Do(callbacktest.NewSignedRequest(context.Background(), e.url(), token, smsForm()))
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err, "the answer did not complete")
	assert.Equal(t, major, resp.ProtoMajor)
	return resp, string(body)
}

// A decision that ignores its context and never returns on its own: the
// fallback must be complete (the end of the body, or of the HTTP/2
// stream) while the decision is still running. The decision is released
// only once the client has read the whole answer, so an answer that
// waited for the decision would hang the client, not pass slowly.
func TestFallbackCompleteWhileDecisionRuns(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			release := make(chan struct{})
			returned := make(chan struct{})
			e := tr.serve(t, func(context.Context, *callback.Request) (callback.Answer, error) {
				defer close(returned)
				<-release
				return callback.RawTwiML([]byte("<Response><Message>late</Message></Response>")), nil
			}, &callback.Options{DecisionTimeout: 50 * time.Millisecond}, nil)

			resp, body := fetch(t, e, tr.major)
			close(release)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, fallbackBytes(oosc.SMS), body)
			assert.NoError(t, judge.Response(resp.StatusCode, resp.Header, []byte(body), oosc.Inbound{Channel: oosc.SMS, From: rider}, nil).Err())
			out := e.outcome(t)
			assert.Equal(t, callback.FellBack, out.Kind)
			assert.ErrorIs(t, out.Err, callback.ErrDecisionTimeout)
			<-returned
			select {
			case o := <-e.outcomes:
				t.Fatalf("a second outcome for one request: %+v", o)
			case <-time.After(50 * time.Millisecond):
			}
		})
	}
}

// runtime.Goexit in a decision (what t.FailNow and require do) gets the
// fallback, as a panic does, with an outcome that says why.
func TestDecisionGoexitGetsTheFallback(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			e := tr.serve(t, func(context.Context, *callback.Request) (callback.Answer, error) {
				runtime.Goexit()
				return callback.Answer{}, nil
			}, nil, nil)
			for range 2 { // and the server still answers the next request
				resp, body := fetch(t, e, tr.major)
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Equal(t, fallbackBytes(oosc.SMS), body)
				out := e.outcome(t)
				assert.Equal(t, callback.FellBack, out.Kind)
				assert.ErrorIs(t, out.Err, callback.ErrDecisionExited)
			}
		})
	}
}

// Behind an http.TimeoutHandler whose timeout equals the decision's, the
// caller gets the fallback, not the TimeoutHandler's 503, and the handler
// warns at its first request that the outer timeout is too short.
func TestBehindTimeoutHandlerWithEqualTimeout(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			const timeout = 300 * time.Millisecond
			release := make(chan struct{})
			defer close(release)
			e := tr.serve(t, func(ctx context.Context, _ *callback.Request) (callback.Answer, error) {
				<-release // ignores its context
				return callback.Answer{}, nil
			}, &callback.Options{DecisionTimeout: timeout}, func(h http.Handler) http.Handler {
				return http.TimeoutHandler(h, timeout, "busy")
			})
			resp, body := fetch(t, e, tr.major)
			assert.Equal(t, http.StatusOK, resp.StatusCode, body)
			assert.Equal(t, fallbackBytes(oosc.SMS), body)
			assert.ErrorIs(t, e.outcome(t).Err, callback.ErrDecisionTimeout)
			assert.Contains(t, e.logs.String(), "ends before the decision's deadline")
		})
	}
}

// A fallback written while a decision still holds an HTTP/1.1 request asks
// the client to close the connection, so that the next callback does not
// wait behind the late decision.
func TestLateFallbackClosesTheConnection(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	e := serve(t, func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
		if strings.Contains(req.Body, "stuck") {
			<-release
		}
		return callback.RawTwiML([]byte("<Response/>")), nil
	}, &callback.Options{DecisionTimeout: 50 * time.Millisecond})
	form := smsForm()
	form.Set("Body", "stuck")
	resp := e.post(t, form, token)
	readAll(t, resp)
	assert.True(t, resp.Close, "Connection: close")
	assert.Equal(t, callback.FellBack, e.outcome(t).Kind)
	resp = e.post(t, smsForm(), token)
	readAll(t, resp)
	assert.Equal(t, callback.Answered, e.outcome(t).Kind)
}
