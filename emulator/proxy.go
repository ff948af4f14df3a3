package emulator

import (
	"container/heap"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"time"

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

// Options configure an emulator. The zero value of each field is its
// documented default; a nil *Options is all defaults.
type Options struct {
	// AccountSid is the account the Services belong to. Default:
	// DefaultAccountSid.
	AccountSid string
	// AuthToken signs the webhooks the emulator sends, as the account's
	// auth token signs Twilio's. Default: callbacktest.DefaultAuthToken.
	AuthToken string
	// Start is the virtual clock's start. Default: DefaultStart.
	Start time.Time
	// Client sends the webhooks. Default: a client that waits
	// WebhookTimeout and follows no redirect, as Proxy's.
	Client *http.Client
}

// Proxy emulates Twilio Proxy for one account: its Services, their number
// pools, Sessions and Participants, on a virtual clock, and the webhooks
// Proxy sends. It is deterministic for a given order of operations: SIDs
// come from a counter and time from the clock. It is safe for concurrent
// use: each operation holds one lock, except the webhooks' HTTP calls, so
// that concurrent contacts call them in parallel. Close it when done.
type Proxy struct {
	mu sync.Mutex
	o  Options

	now      time.Time
	seq      int
	services []*service // creation order
	byKey    map[string]*service
	expiry   timeHeap // when active Sessions expire
	keep     timeHeap // when closed Sessions are deleted
	events   []Event
	sent     []Delivery
	hooks    []Webhook
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
	if o.Start.IsZero() {
		o.Start = DefaultStart
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: WebhookTimeout, CheckRedirect: noRedirect}
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
	p.services, p.byKey = nil, map[string]*service{}
	p.expiry, p.keep = timeHeap{}, timeHeap{}
	p.events, p.sent, p.hooks = nil, nil, nil
}

// Reset empties the emulator, keeping its account, token and the servers
// started by Serve; the clock goes back to its start.
func (p *Proxy) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reset()
}

// AccountSid returns the emulator's account.
func (p *Proxy) AccountSid() string { return p.o.AccountSid }

// Serve serves h over HTTP on loopback until Close, and returns its base
// URL, such as http://127.0.0.1:40123: for a Service's callbacks in a test.
func (p *Proxy) Serve(h http.Handler) string {
	srv := httptest.NewServer(h)
	p.mu.Lock()
	p.servers = append(p.servers, srv)
	p.mu.Unlock()
	return srv.URL
}

// Close stops the servers started by Serve, dropping any connection a
// stuck callback still holds.
func (p *Proxy) Close() {
	p.mu.Lock()
	servers := p.servers
	p.servers = nil
	p.mu.Unlock()
	for _, s := range servers {
		s.CloseClientConnections()
		s.Close()
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
// error.
func (p *Proxy) Advance(t time.Time) ([]Event, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t = t.UTC()
	if t.Before(p.now) {
		return nil, fmt.Errorf("emulator: the clock cannot go back from %s to %s", p.now.Format(time.RFC3339), t.Format(time.RFC3339))
	}
	p.now = t
	from := len(p.events)
	p.tick()
	return slices.Clone(p.events[from:]), nil
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

// Events returns every warning and error logged so far, in order.
func (p *Proxy) Events() []Event {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.events)
}

// Deliveries returns what every phone received, in order.
func (p *Proxy) Deliveries() []Delivery {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.sent)
}

// Webhooks returns every webhook request sent so far, in order.
func (p *Proxy) Webhooks() []Webhook {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.hooks)
}

// log records an event, explained as package debugger explains Twilio's.
func (p *Proxy) log(e Event) { p.logHook(e, nil) }

// logHook records an event with the webhook exchange it came from, if any,
// for its explanation.
func (p *Proxy) logHook(e Event, hook *debugger.Webhook) {
	x := debugger.Explain(debugger.Event{Code: e.Code, Cause: e.Cause, Webhook: hook})
	e.Explanation, e.Fix = x.Summary, x.Fix
	p.events = append(p.events, e)
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
	order   int // the Session's creation order, for ties
	s       *session
	version int
}

// timeHeap is a min-heap of moments, earliest first.
type timeHeap []timed

func (h timeHeap) Len() int { return len(h) }
func (h timeHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].order < h[j].order
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
