package callback

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oosc-dev/oosc/twiml"
)

// The decision's deadline is kept by two things: an alarm, which writes the
// fallback when the deadline passes whatever the decision is doing, and the
// context the decision gets, which tells it to stop.
//
// A standard context with a deadline, and a context.AfterFunc on it for the
// fallback, cost about 1 µs and 12 allocations per request on this
// package's benchmark machine: most of the handler's own time. Yet many
// decisions never wait on their context (they answer from the request, or
// from memory). So the alarm is a pooled timer, and the decision's context
// makes its standard context, with its own timer and its link to the
// request's context, only when the decision first asks for Done, Err or the
// context package's cancellation key. Until then it answers Deadline and
// Value itself, with the same results.

// decisionCtx is the context a decision gets: the request's context with
// the decision's deadline, canceled when ServeHTTP returns.
type decisionCtx struct {
	parent   context.Context
	deadline time.Time

	mu     sync.Mutex
	std    context.Context // the standard context, made on first need
	cancel context.CancelFunc
	ended  bool // ServeHTTP has returned
}

// Deadline is the decision's deadline, or the request's if that is sooner.
func (c *decisionCtx) Deadline() (time.Time, bool) { return c.deadline, true }

// Done is closed when the deadline passes, when the client goes away, or
// when ServeHTTP returns.
func (c *decisionCtx) Done() <-chan struct{} { return c.ctx().Done() }

// Err says why Done is closed: context.DeadlineExceeded, or
// context.Canceled (or the request context's error); nil before.
func (c *decisionCtx) Err() error { return c.ctx().Err() }

// Value is the request context's value for key. The context package finds
// a context's cancellation state under a key of type *int: that one is the
// standard context's, so that context.Cause and contexts derived from this
// one see this context's cancellation, not the request's.
func (c *decisionCtx) Value(key any) any {
	if _, ok := key.(*int); ok {
		return c.ctx().Value(key)
	}
	return c.parent.Value(key)
}

func (c *decisionCtx) String() string { return "callback.decisionContext" }

// ctx returns the standard context, made on first call: canceled at once
// when ServeHTTP has already returned, and expired at once when the
// deadline has already passed.
func (c *decisionCtx) ctx() context.Context {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.std == nil {
		c.std, c.cancel = context.WithDeadline(c.parent, c.deadline)
		if c.ended {
			c.cancel()
		}
	}
	return c.std
}

// waitExpired waits, if the standard context has been made, until it has
// expired too (its timer is set for the same instant as the alarm), so
// that the decision's context is done before the fallback is written.
func (c *decisionCtx) waitExpired() {
	c.mu.Lock()
	std := c.std
	c.mu.Unlock()
	if std != nil {
		<-std.Done()
	}
}

// end cancels the context, as ServeHTTP returns.
func (c *decisionCtx) end() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ended = true
	if c.cancel != nil {
		c.cancel()
	}
}

// The states of a pending decision: the first of the decision and the
// alarm to leave deciding writes the answer.
const (
	deciding int32 = iota
	decided        // the decision returned in time; ServeHTTP writes its answer
	expired        // the deadline passed first; the alarm wrote the fallback
)

// pending is one request whose decision is running. It is made once per
// request and never reused: the decision may keep its context.
type pending struct {
	ctx      decisionCtx
	h        *Handler
	w        http.ResponseWriter
	r        *http.Request
	fallback []byte
	start    time.Time
	out      Outcome

	state   atomic.Int32
	writing sync.WaitGroup // the alarm's, from its start to the end of its write
}

// expire answers with the fallback if the decision has not returned yet.
func (p *pending) expire() {
	p.writing.Add(1) // before the state changes, so that settle can wait
	defer p.writing.Done()
	if !p.state.CompareAndSwap(deciding, expired) {
		return
	}
	p.ctx.waitExpired()
	p.answer(twiml.ContentType, p.fallback, ErrDecisionTimeout, true)
}

// answer writes the answer (err says why it is a fallback; nil when it is
// the decision's), or nothing when the client has gone, and reports it. A
// late answer, the alarm's, goes with Connection: close, so that the next
// callback takes another connection rather than wait for this one's late
// decision, and is flushed now.
func (p *pending) answer(ct string, body []byte, err error, late bool) {
	if clientGone(p.r) {
		p.out.Kind, p.out.Err = ClientGone, ErrClientGone
	} else {
		if late {
			p.w.Header().Set("Connection", "close")
		}
		p.h.write(p.w, &p.out, ct, body, err)
		if f, ok := p.w.(http.Flusher); ok && late {
			f.Flush()
		}
	}
	p.h.report(p.r.Context(), p.out, p.start)
}

// clientGone reports whether the request's context was canceled, as the
// server does when the client goes away. A request context that has only
// passed its deadline (set by a middleware) still gets the fallback.
func clientGone(r *http.Request) bool {
	return errors.Is(r.Context().Err(), context.Canceled)
}

// settle reports whether the decision returned before the deadline. When
// it did not, the alarm has answered (or is answering: settle waits until
// it has), and the decision's late answer must be dropped.
func (p *pending) settle() bool {
	if p.state.CompareAndSwap(deciding, decided) {
		return true
	}
	p.writing.Wait() // the alarm changed the state after its Add
	return false
}

// alarm is a pooled timer that calls expire on the pending request it is
// set for.
type alarm struct {
	t *time.Timer
	p *pending
}

var alarms = sync.Pool{New: func() any { return new(alarm) }}

func (a *alarm) ring() { a.p.expire() }

// setAlarm calls p.expire after d, unless stopped first.
func setAlarm(p *pending, d time.Duration) *alarm {
	a := alarms.Get().(*alarm)
	a.p = p
	if a.t == nil {
		a.t = time.AfterFunc(d, a.ring)
	} else {
		a.t.Reset(d)
	}
	return a
}

// stop stops the alarm. It goes back to the pool only when it had not
// started ringing: one that has may still be reading its pending request.
func (a *alarm) stop() {
	if a.t.Stop() {
		a.p = nil
		alarms.Put(a)
	}
}
