package callback_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/twiml"
)

type ctxKey struct{}

func withValue(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithValue(ctx, ctxKey{}, "trace-81"), func() {}
}

// postSMS posts the SMS callback and reads the answer.
func postSMS(t *testing.T, e *env) (*http.Response, string) {
	t.Helper()
	resp := e.post(t, smsForm(), token)
	return resp, readAll(t, resp)
}

// The decision's context carries the request's values and the deadline,
// is live while the decision runs, and is canceled once the answer is
// written, whether the decision looked at it during its run or only later.
func TestDecisionContextDuringAndAfter(t *testing.T) {
	for _, asksDuring := range []bool{true, false} {
		t.Run(map[bool]string{true: "asked during the decision", false: "first asked after"}[asksDuring], func(t *testing.T) {
			kept := make(chan context.Context, 1)
			var sawValue any
			var sawDeadline time.Time
			var sawErr error
			arrival := time.Now()
			e := serveBehind(t, func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
				sawValue = ctx.Value(ctxKey{})
				sawDeadline, _ = ctx.Deadline()
				if asksDuring {
					sawErr = ctx.Err()
					select {
					case <-ctx.Done():
						sawErr = errors.New("Done was closed during the decision")
					default:
					}
				}
				kept <- ctx
				return callback.RawTwiML([]byte("<Response/>")), nil
			}, &callback.Options{DecisionTimeout: 3 * time.Second}, withValue)

			resp, _ := postSMS(t, e)
			assert.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, callback.Answered, e.outcome(t).Kind)
			assert.Equal(t, "trace-81", sawValue)
			assert.NoError(t, sawErr)
			assert.WithinDuration(t, arrival.Add(3*time.Second), sawDeadline, 2*time.Second)

			ctx := <-kept
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
				t.Fatal("the decision's context is not canceled after the answer")
			}
			assert.ErrorIs(t, ctx.Err(), context.Canceled)
			assert.ErrorIs(t, context.Cause(ctx), context.Canceled)
			assert.Equal(t, "trace-81", ctx.Value(ctxKey{}))
		})
	}
}

// At the deadline, the decision's context and every context derived from
// it say DeadlineExceeded, context.Cause included, and the caller has the
// fallback.
func TestDecisionContextExpires(t *testing.T) {
	type seen struct{ err, cause, child, afterFunc error }
	got := make(chan seen, 1)
	e := serveBehind(t, func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
		child, cancel := context.WithCancel(ctx)
		defer cancel()
		fired := make(chan struct{})
		context.AfterFunc(ctx, func() { close(fired) })
		<-child.Done()
		<-fired
		got <- seen{ctx.Err(), context.Cause(ctx), child.Err(), ctx.Err()}
		return callback.Answer{}, ctx.Err()
	}, &callback.Options{DecisionTimeout: 50 * time.Millisecond}, withValue)

	resp, body := postSMS(t, e)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, twiml.ContentType, resp.Header.Get("Content-Type"))
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response/>`, body)
	out := e.outcome(t)
	assert.Equal(t, callback.FellBack, out.Kind)
	assert.ErrorIs(t, out.Err, callback.ErrDecisionTimeout)
	s := <-got
	for _, err := range []error{s.err, s.cause, s.child, s.afterFunc} {
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	}
}

// A request context with a sooner deadline (a timeout middleware) brings
// the fallback at that deadline, even to a decision that ignores its
// context: the client is still there and gets an answer Proxy accepts.
func TestDecisionContextRequestDeadlineIsSooner(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	deadlines := make(chan time.Time, 1)
	arrival := time.Now()
	e := serveBehind(t, func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
		d, _ := ctx.Deadline()
		deadlines <- d
		<-release
		return callback.RawTwiML([]byte("<Response/>")), nil
	}, &callback.Options{DecisionTimeout: 10 * time.Second}, func(ctx context.Context) (context.Context, context.CancelFunc) {
		return context.WithTimeout(ctx, 100*time.Millisecond)
	})

	resp, body := postSMS(t, e)
	assert.Less(t, time.Since(arrival), 5*time.Second, "the fallback waited for the decision's own deadline")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response/>`, body)
	out := e.outcome(t)
	assert.Equal(t, callback.FellBack, out.Kind)
	assert.ErrorIs(t, out.Err, callback.ErrDecisionTimeout)
	assert.WithinDuration(t, arrival.Add(100*time.Millisecond), <-deadlines, 2*time.Second)
}

// Many requests in a row, alternating stuck and quick decisions, each get
// their own deadline: an alarm that rang is never reused for another
// request, and one reused never rings for the wrong one (run with -race).
func TestDecisionDeadlinesDoNotCross(t *testing.T) {
	release := make(chan struct{})
	e := serveBehind(t, func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
		if req.Body == "stuck" {
			<-release
		}
		return callback.RawTwiML([]byte("<Response><Message>" + req.Body + "</Message></Response>")), nil
	}, &callback.Options{DecisionTimeout: 30 * time.Millisecond}, withValue)
	defer close(release)
	for i := range 40 {
		form := smsForm()
		want := "quick"
		if i%4 == 0 {
			want = "stuck"
		}
		form.Set("Body", want)
		body := readAll(t, e.post(t, form, token))
		out := e.outcome(t)
		if want == "stuck" {
			assert.Equal(t, callback.FellBack, out.Kind, i)
			assert.NotContains(t, body, "stuck", i)
		} else {
			assert.Equal(t, callback.Answered, out.Kind, i)
			assert.Contains(t, body, "<Message>quick</Message>", i)
		}
	}
}

// panicking is a slog handler whose sink is down: every record panics.
type panicking struct{}

func (panicking) Enabled(context.Context, slog.Level) bool  { return true }
func (panicking) Handle(context.Context, slog.Record) error { panic("log sink down") }
func (p panicking) WithAttrs([]slog.Attr) slog.Handler      { return p }
func (p panicking) WithGroup(string) slog.Handler           { return p }

// An OnOutcome hook or a Logger that panics loses no answer and does not
// take the server down: not when the alarm reports a late decision's
// fallback, on a goroutine where nothing else would recover the panic, and
// not when the request's goroutine reports a decision's answer, where
// net/http would recover it by dropping the connection before the answer
// is sent. The panic is logged, and OnOutcome still sees every outcome.
func TestReportingSurvivesPanics(t *testing.T) {
	for _, tt := range []struct {
		name    string
		logger  func(*callbacktest.Logs) *slog.Logger
		panics  bool // OnOutcome panics
		logSays []string
	}{
		{"OnOutcome panics", func(l *callbacktest.Logs) *slog.Logger { return l.Logger(slog.LevelDebug) }, true,
			[]string{"metrics backend down: fell-back", "metrics backend down: answered"}},
		{"the Logger panics", func(*callbacktest.Logs) *slog.Logger { return slog.New(panicking{}) }, false,
			[]string{"log sink down"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			release := make(chan struct{})
			defer close(release)
			logs := &callbacktest.Logs{}
			defaultLogger := slog.Default()
			slog.SetDefault(logs.Logger(slog.LevelDebug)) // where a panicking Logger's panic goes
			t.Cleanup(func() { slog.SetDefault(defaultLogger) })
			outcomes := make(chan callback.Outcome, 4)
			h, err := callback.NewHandler(func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
				if req.Body == "stuck" {
					<-release
				}
				return callback.RawTwiML([]byte("<Response><Message>answered</Message></Response>")), nil
			}, &callback.Options{
				Verifier:        newVerifier(t, nil, token),
				DecisionTimeout: 30 * time.Millisecond,
				Logger:          tt.logger(logs),
				OnOutcome: func(_ context.Context, o callback.Outcome) {
					outcomes <- o
					if tt.panics {
						panic("metrics backend down: " + string(o.Kind))
					}
				},
			})
			require.NoError(t, err)
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close) // after release is closed, so that the stuck decision returns
			for _, c := range []struct{ body, answer string }{
				{"stuck", `<?xml version="1.0" encoding="UTF-8"?><Response/>`}, // the fallback
				{"quick", "<Response><Message>answered</Message></Response>"},
			} {
				form := smsForm()
				form.Set("Body", c.body)
				resp, err := srv.Client().Do(callbacktest.NewSignedRequest(context.Background(), srv.URL+"/out-of-session", token, form))
				require.NoError(t, err)
				assert.Equal(t, http.StatusOK, resp.StatusCode, c.body)
				assert.Equal(t, c.answer, readAll(t, resp), c.body)
			}
			got := map[callback.OutcomeKind]bool{}
			for range 2 {
				select {
				case o := <-outcomes:
					got[o.Kind] = true
				case <-time.After(5 * time.Second):
					t.Fatal("OnOutcome missed an outcome")
				}
			}
			assert.Equal(t, map[callback.OutcomeKind]bool{callback.FellBack: true, callback.Answered: true}, got)
			// The alarm reports after its answer is sent, so its log may come later.
			assert.Eventually(t, func() bool {
				for _, say := range tt.logSays {
					if !strings.Contains(logs.String(), say) {
						return false
					}
				}
				return true
			}, 5*time.Second, 5*time.Millisecond, "the panic is not logged: %s", logs.String())
		})
	}
}

// After a deadline fallback the handler has returned, so the next
// callback on the same keep-alive client is not queued behind the stuck
// decision. The stuck decision is released only when the test ends.
func TestStuckDecisionDoesNotBlockConnection(t *testing.T) {
	stuck := make(chan struct{})
	var once sync.Once
	release := func() { once.Do(func() { close(stuck) }) }
	defer release()
	e := serve(t, func(_ context.Context, req *callback.Request) (callback.Answer, error) {
		if req.Body == "stuck" {
			<-stuck // ignores its context
		}
		return sayHello(context.TODO(), nil)
	}, &callback.Options{DecisionTimeout: 50 * time.Millisecond})
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: 1}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()

	send := func(body string) *http.Response {
		form := voiceForm()
		form.Set("Body", body)
		req := callbacktest.NewSignedRequest(context.Background(), e.url(), token, form)
		resp, err := client.Do(req)
		require.NoError(t, err, "the next callback waited behind the stuck decision")
		return resp
	}
	first := send("stuck")
	assert.Equal(t, fallbackBytes(oosc.Voice), readAll(t, first))
	assert.Equal(t, callback.FellBack, e.outcome(t).Kind)

	for i := 0; i < 3; i++ { // the decision is still stuck while these are answered
		resp := send("fine")
		assert.Contains(t, readAll(t, resp), "<Say>Hello</Say>")
		assert.False(t, resp.Close, "an answer in time keeps the connection")
		assert.Equal(t, callback.Answered, e.outcome(t).Kind)
	}
}
