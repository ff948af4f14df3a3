package callbacktest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/webhook"
)

// TB is what NewServer needs of a test: *testing.T and *testing.B have it.
type TB interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// Server is a callback.Handler served over real HTTP on loopback, with
// every request's Outcome recorded, so that a test can tell a decision's
// answer from the fallback. Make one with NewServer; it closes when the
// test ends.
type Server struct {
	URL       string // the callback's URL, http://127.0.0.1:port/out-of-session
	AuthToken string // the token its requests are signed with
	Handler   *callback.Handler

	srv     *httptest.Server
	sent    atomic.Int64 // numbers the requests Send makes
	mu      sync.Mutex
	waiting map[string]chan callback.Outcome // by the request's idempotency token
	all     []callback.Outcome
}

// NewServer serves a handler for decide, made with opts (nil: defaults),
// over HTTP on loopback until the test ends. When opts has no Verifier,
// one that takes DefaultAuthToken is used, and the Server signs its
// requests with DefaultAuthToken; with a Verifier of your own, set the
// Server's AuthToken to its token. opts.OnOutcome is still called. It
// fails the test if the handler cannot be made.
func NewServer(t TB, decide callback.DecideFunc, opts *callback.Options) *Server {
	t.Helper()
	var o callback.Options
	if opts != nil {
		o = *opts
	}
	if o.Verifier == nil && !o.InsecureSkipVerify {
		v, err := webhook.NewVerifier([]string{DefaultAuthToken}, nil)
		if err != nil {
			t.Fatalf("callbacktest: NewServer: %v", err)
		}
		o.Verifier = v
	}
	s := &Server{waiting: map[string]chan callback.Outcome{}, AuthToken: DefaultAuthToken}
	user := o.OnOutcome
	o.OnOutcome = func(ctx context.Context, out callback.Outcome) {
		s.record(out)
		if user != nil {
			user(ctx, out)
		}
	}
	h, err := callback.NewHandler(decide, &o)
	if err != nil {
		t.Fatalf("callbacktest: NewServer: %v", err)
	}
	s.Handler = h
	mux := http.NewServeMux()
	mux.Handle("/out-of-session", h)
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	s.URL = s.srv.URL + "/out-of-session"
	return s
}

func (s *Server) record(out callback.Outcome) {
	s.mu.Lock()
	s.all = append(s.all, out)
	var ch chan callback.Outcome
	if out.Request != nil && out.Request.IdempotencyToken != "" {
		ch = s.slot(out.Request.IdempotencyToken)
	}
	s.mu.Unlock()
	if ch != nil {
		select {
		case ch <- out:
		default: // a second request with the same token (not sent by Send): keep the first
		}
	}
}

// slot returns the channel the outcome of the request with the idempotency
// token id goes to; s.mu is held.
func (s *Server) slot(id string) chan callback.Outcome {
	ch, ok := s.waiting[id]
	if !ok {
		ch = make(chan callback.Outcome, 1)
		s.waiting[id] = ch
	}
	return ch
}

// outcomeWait bounds how long Send waits for the Outcome of an answer it
// has received: the handler reports it right after writing the answer.
const outcomeWait = 5 * time.Second

// Send posts the callback cb, signed, and returns the judged response with
// the handler's Outcome. It is safe for concurrent use: each request
// carries an I-Twilio-Idempotency-Token of its own, as each of Twilio's
// does, and its Outcome is the one of the request with that token, so
// that callbacks with the same Seq (the same SIDs) are told apart.
func (s *Server) Send(cb Callback) Response {
	req := NewClientRequest(context.Background(), s.URL, s.AuthToken, cb)
	id := "callbacktest-" + strconv.FormatInt(s.sent.Add(1), 10)
	req.Header.Set(callback.IdempotencyHeader, id)
	a := do(s.srv.Client(), req, cb)
	if a.Err != nil || a.Status != http.StatusOK {
		return a // refused before parsing, or no answer: no outcome to match
	}
	s.mu.Lock()
	ch := s.slot(id)
	s.mu.Unlock()
	select {
	case out := <-ch:
		a.Outcome = &out
	case <-time.After(outcomeWait):
	}
	s.mu.Lock()
	delete(s.waiting, id)
	s.mu.Unlock()
	return a
}

// Outcomes returns every Outcome recorded so far, in the order reported.
func (s *Server) Outcomes() []callback.Outcome {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]callback.Outcome(nil), s.all...)
}

// Client returns an HTTP client for the server.
func (s *Server) Client() *http.Client { return s.srv.Client() }
