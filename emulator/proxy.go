package emulator

import (
	"container/heap"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/debugger"
)

// DefaultAccountSid is the account of an emulator made without one: a
// well-formed test SID.
const DefaultAccountSid = "AC00000000000000000000000000000001"

// DefaultStart is where the virtual clock of an emulator made without a
// start begins.
var DefaultStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// WebhookTimeout is how long Proxy waits for a webhook's answer.
const WebhookTimeout = 15 * time.Second

// WebhooksPerContact is the most webhooks one inbound contact waits for:
// the out-of-session callback, the intercept callback and the interaction
// status callback.
const WebhooksPerContact = 3

// The default bounds of the emulator's logs; see Options.
const (
	DefaultMaxEvents       = 1000
	DefaultMaxDeliveries   = 1000
	DefaultMaxWebhooks     = 100
	DefaultMaxInteractions = 1000
)

// endOfTime is the latest time the emulator holds: the last second that
// RFC 3339 and a state file can write.
var endOfTime = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)

// inRange reports whether t is one the emulator can hold: from year 1 to
// 9999-12-31T23:59:59Z.
func inRange(t time.Time) bool { return !t.Before(time.Time{}) && !t.After(endOfTime) }

// Options configure an emulator. The zero value of each field is its
// documented default; a nil *Options is all defaults.
type Options struct {
	// AccountSid is the account the Services belong to. Default:
	// DefaultAccountSid.
	AccountSid string
	// AuthToken signs the webhooks the emulator sends, as the account's
	// auth token signs Twilio's. Default: callbacktest.DefaultAuthToken.
	AuthToken string
	// Start is the virtual clock's start. Default: DefaultStart. A time
	// outside years 1 to 9999 is brought to the nearest end of that range.
	Start time.Time
	// Client sends the webhooks. Default: a client that waits
	// WebhookTimeout and follows no redirect, as Proxy's.
	Client *http.Client
	// WebhookTimeout is how long each webhook's answer is waited for,
	// whatever the Client's own timeout. Default (0 or less):
	// WebhookTimeout, as Proxy.
	WebhookTimeout time.Duration
	// MaxEvents, MaxDeliveries and MaxWebhooks bound the emulator's logs:
	// each keeps its latest entries, at most so many, and counts the
	// older ones it drops (Dropped). Defaults (0 or less):
	// DefaultMaxEvents, DefaultMaxDeliveries, DefaultMaxWebhooks.
	MaxEvents, MaxDeliveries, MaxWebhooks int
	// MaxInteractions bounds the Interactions each Session keeps: its
	// latest, at most so many; older ones are dropped and counted.
	// Default (0 or less): DefaultMaxInteractions.
	MaxInteractions int
	// AllowParticipantConflict plays an account with Twilio's legacy
	// ProxyAllowParticipantConflict flag: a Session or Participant create
	// or a reopen that makes an identifier and proxy number pair active
	// in two Sessions succeeds, logging 80802 (create) or 80801 (reopen),
	// unless the request sets FailOnParticipantConflict. Default (false):
	// such a request is refused (409 and 80623 on create, 400 and 80604 on
	// reopen), as on accounts without the flag.
	AllowParticipantConflict bool
}

// Proxy emulates Twilio Proxy for one account: its Services, their number
// pools, Sessions and Participants, on a virtual clock, and the webhooks
// Proxy sends. It is deterministic for a given order of operations: SIDs
// come from a counter and time from the clock. It is safe for concurrent
// use: each operation holds one lock, never while a webhook is waited
// for, so that concurrent contacts call them in parallel. A Reset,
// RestoreState or DeleteService while a contact waits on a webhook ends
// that contact as failed, with nothing of it carried out. The logs it
// keeps (events, deliveries, webhooks, each Session's Interactions) are
// bounded by its Options. Close it when done.
type Proxy struct {
	mu sync.Mutex
	o  Options

	now      time.Time
	seq      int
	epoch    int        // bumped by Reset and RestoreState: a contact begun before has nothing left to act on
	version  uint64     // bumped by every operation that may change the state
	services []*service // creation order
	byKey    map[string]*service
	numbers  accountNumbers // the account's phone numbers
	expiry   timeHeap       // when active Sessions expire
	keep     timeHeap       // when closed Sessions are deleted
	events   *ring[Event]
	sent     *ring[Delivery]
	hooks    *ring[Webhook]
	dropped  int // Interactions dropped from their Sessions
	servers  []*httptest.Server
}

// New returns an emulator with no Service, whose clock is at opts.Start.
func New(opts *Options) *Proxy {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.AccountSid == "" {
		o.AccountSid = DefaultAccountSid
	}
	if o.AuthToken == "" {
		o.AuthToken = callbacktest.DefaultAuthToken
	}
	switch {
	case o.Start.IsZero():
		o.Start = DefaultStart
	case o.Start.Before(time.Time{}):
		o.Start = time.Time{}
	case o.Start.After(endOfTime):
		o.Start = endOfTime
	}
	if o.WebhookTimeout <= 0 {
		o.WebhookTimeout = WebhookTimeout
	}
	for _, bound := range []struct {
		v   *int
		def int
	}{{&o.MaxEvents, DefaultMaxEvents}, {&o.MaxDeliveries, DefaultMaxDeliveries}, {&o.MaxWebhooks, DefaultMaxWebhooks}, {&o.MaxInteractions, DefaultMaxInteractions}} {
		if *bound.v <= 0 {
			*bound.v = bound.def
		}
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: o.WebhookTimeout, CheckRedirect: noRedirect}
	}
	p := &Proxy{o: o}
	p.reset()
	return p
}

// noRedirect returns a redirect as the answer: Proxy is not known to
// follow one, so a 3xx is a status outside 2xx.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func (p *Proxy) reset() {
	p.now, p.seq = p.o.Start.UTC(), 0
	p.epoch++
	p.services, p.byKey = nil, map[string]*service{}
	p.numbers.reset()
	p.expiry, p.keep = timeHeap{}, timeHeap{}
	p.events, p.sent, p.hooks = newRing[Event](p.o.MaxEvents), newRing[Delivery](p.o.MaxDeliveries), newRing[Webhook](p.o.MaxWebhooks)
	p.dropped = 0
}

// edit locks the emulator for an operation that may change its state,
// and returns the unlock, to be deferred: defer p.edit()(). Every locked
// region defers its unlock, so that a panic in it cannot leave the lock
// held.
func (p *Proxy) edit() func() {
	p.mu.Lock()
	p.version++
	return p.mu.Unlock
}

// Reset empties the emulator, keeping its account, token and the servers
// started by Serve; the clock goes back to its start. A contact waiting on
// a webhook ends as failed, with nothing of it carried out.
func (p *Proxy) Reset() {
	defer p.edit()()
	p.reset()
}

// Version is a number that grows with every operation that may have
// changed the emulator's state: a saver compares it with the one it last
// saved.
func (p *Proxy) Version() uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.version
}

// ContactTimeout is the longest an inbound contact takes: each of the
// WebhooksPerContact webhooks waited for at most Options.WebhookTimeout.
// Inbound stops waiting when it has passed. A server that answers a
// contact over HTTP needs a write timeout above it.
func (p *Proxy) ContactTimeout() time.Duration { return WebhooksPerContact * p.o.WebhookTimeout }

// AccountSid returns the emulator's account.
func (p *Proxy) AccountSid() string { return p.o.AccountSid }

// Serve serves h over HTTP on loopback until Close, and returns its base
// URL, such as http://127.0.0.1:40123: for a Service's callbacks in a test.
func (p *Proxy) Serve(h http.Handler) string {
	srv := httptest.NewServer(h)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.servers = append(p.servers, srv)
	return srv.URL
}

// closeWait bounds how long Close waits for the handlers started by Serve
// to return once their connections are closed.
const closeWait = time.Second

// Close stops the servers started by Serve, dropping any connection a
// stuck callback still holds. It returns within a second even when a
// handler ignores its request's end; such a handler is left running.
func (p *Proxy) Close() {
	var servers []*httptest.Server
	func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		servers, p.servers = p.servers, nil
	}()
	if len(servers) == 0 {
		return
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, s := range servers {
			s.CloseClientConnections()
		}
		for _, s := range servers {
			s.Close()
		}
	}()
	select {
	case <-done:
	case <-time.After(closeWait):
	}
}

// Now returns the virtual clock.
func (p *Proxy) Now() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.now
}

// Advance moves the clock to t and returns the events that follow: every
// active Session whose expiry is at or before t closes (closedReason
// expired, ended at its expiry) and logs 80904; every Session closed for
// Retention by then is deleted. Time never goes back: an earlier t is an
// error, as a t past 9999-12-31T23:59:59Z is (20001).
func (p *Proxy) Advance(t time.Time) ([]Event, error) {
	defer p.edit()()
	t = t.UTC()
	if t.Before(p.now) {
		return nil, fail(oosc.CodeBadParameters, "the clock cannot go back from %s to %s", p.now.Format(time.RFC3339), t.Format(time.RFC3339))
	}
	if t.After(endOfTime) {
		return nil, fail(oosc.CodeBadParameters, "the clock cannot go past %s, the last time the emulator holds", endOfTime.Format(time.RFC3339))
	}
	p.now = t
	from := p.events.total
	p.tick()
	return p.events.slice(from, p.events.total), nil
}

// tick closes what has expired and deletes what is past retention, at the
// clock's time, in the order of their times.
func (p *Proxy) tick() {
	for {
		e, ok := p.expiry.peek()
		r, rok := p.keep.peek()
		switch {
		case ok && !e.at.After(p.now) && (!rok || !r.at.Before(e.at)):
			heap.Pop(&p.expiry)
			if s := e.s; e.version == s.version && s.active() && !s.deleted {
				s.svc.close(s, ClosedByExpiry, e.at)
				p.log(Event{At: e.at, Code: codeExpired, Service: s.svc.sid, Session: s.name(),
					Detail: "the Session reached its " + s.expiresBy() + " and closed"})
			}
		case rok && !r.at.After(p.now):
			heap.Pop(&p.keep)
			if s := r.s; r.version == s.version && !s.active() && !s.deleted {
				s.svc.delete(s)
			}
		default:
			return
		}
	}
}

// Events returns the warnings and errors logged, oldest first: the latest
// Options.MaxEvents of them.
func (p *Proxy) Events() []Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.events.all()
}

// Deliveries returns what the phones received, oldest first: the latest
// Options.MaxDeliveries deliveries.
func (p *Proxy) Deliveries() []Delivery {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.sent.all()
}

// Webhooks returns the webhook requests sent, oldest first: the latest
// Options.MaxWebhooks of them.
func (p *Proxy) Webhooks() []Webhook {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hooks.all()
}

// Dropped counts what the bounded logs no longer hold: the older entries
// each dropped to keep to its bound since the emulator was made or reset.
type Dropped struct {
	Events, Deliveries, Webhooks int
	Interactions                 int // across every Session
}

// Dropped returns what the bounded logs have dropped.
func (p *Proxy) Dropped() Dropped {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Dropped{Events: p.events.dropped(), Deliveries: p.sent.dropped(), Webhooks: p.hooks.dropped(), Interactions: p.dropped}
}

// log records an event, explained as package debugger explains Twilio's.
func (p *Proxy) log(e Event) { p.logHook(e, nil) }

// logHook records an event with the webhook exchange it came from, if any,
// for its explanation.
func (p *Proxy) logHook(e Event, hook *debugger.Webhook) {
	x := debugger.Explain(debugger.Event{Code: e.Code, Cause: e.Cause, Webhook: hook})
	e.Explanation, e.Fix = x.Summary, x.Fix
	p.events.push(e)
}

func (p *Proxy) next() int {
	p.seq++
	return p.seq
}

func (p *Proxy) sid(prefix string) string { return callbacktest.SID(prefix, p.next()) }

// timed is a moment at which something may happen to a Session, valid
// while the Session's version is the one it was made with.
type timed struct {
	at      time.Time
	s       *session // its creation order breaks ties
	version int
}

// timeHeap is a min-heap of moments, earliest first.
type timeHeap []timed

func (h timeHeap) Len() int { return len(h) }
func (h timeHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].s.order < h[j].s.order
}
func (h timeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timeHeap) Push(x any)   { *h = append(*h, x.(timed)) }
func (h *timeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (h timeHeap) peek() (timed, bool) {
	if len(h) == 0 {
		return timed{}, false
	}
	return h[0], true
}
