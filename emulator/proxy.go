package emulator

import (
	"container/heap"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/internal/proxyform"
)

// DefaultAccountSid is the account of an emulator made without one,
// "AC00000000000000000000000000000001": a well-formed test SID, the
// account of callbacktest's callbacks.
const DefaultAccountSid = proxyform.AccountSid

// defaultStart is where the virtual clock of an emulator made without a
// start begins: 2026-01-01T00:00:00Z.
var defaultStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// WebhookTimeout is how long Proxy waits for a webhook's answer: 15 s, as
// callbacktest.Post waits.
const WebhookTimeout = proxyform.Timeout

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

// MaxLoggedBodyBytes bounds the answer body a logged webhook keeps (in
// Webhooks, and in Events' Webhook): the first so many bytes. An event is
// explained, and an out-of-session callback's answer judged, from the
// whole body first.
const MaxLoggedBodyBytes = 8 << 10

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
	// auth token signs Twilio's. Default: "callbacktest-auth-token", the
	// value of callbacktest.DefaultAuthToken, with which a test's handler
	// verifies them.
	AuthToken string
	// Start is the virtual clock's start. Default: 2026-01-01T00:00:00Z. A
	// time outside years 1 to 9999 is brought to the nearest end of that
	// range.
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
	// older ones it drops (Dropped). The events' log keeps three kinds
	// apart, MaxEvents of each, so that no flood of one pushes out
	// another: faults (errors and 80905), expiries (80904) and the other
	// warnings. Defaults (0 or less):
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
	// OnEvent, if set, is called with each event the emulator logs, as
	// Events returns it; OnWebhook with each webhook once its answer, or
	// its failure, is recorded, as Webhooks returns it. Each is called
	// after the operation that logged it has released the emulator's
	// lock, on that operation's goroutine, before the operation returns:
	// a hook may call the emulator (even change it: what that logs is
	// delivered to the hook in turn), and a slow hook slows that
	// operation. Concurrent operations call them concurrently, so a hook
	// must be safe for concurrent use; an event's Sid numbers it in the
	// order the emulator logged it. A hook's panic reaches the caller of
	// the operation, the lock released. Default: nil, none.
	OnEvent   func(debugger.Event)
	OnWebhook func(Exchange)
	// OnContact, if set, is called with each inbound contact once it has
	// ended (Inbound's result, whichever front end sent it: the Go API,
	// a scenario, the control API), after its events and webhooks were
	// handed to OnEvent and OnWebhook, with no lock held, on the
	// contact's goroutine, before Inbound returns. The same rules as
	// OnEvent's apply. Default: nil, none.
	OnContact func(Contact)
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
//
// The zero Proxy is an emulator with the default Options, as New(nil)
// makes; it must not be copied after first use.
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
	events   *eventLog
	sent     *ring[Delivery]
	hooks    *ring[Exchange]
	dropped  int      // Interactions dropped from their Sessions
	notices  []notice // for OnEvent and OnWebhook, delivered when the lock is released
	servers  []*served
}

// notice is an event or a webhook for the Options' hooks.
type notice struct {
	event   *debugger.Event
	webhook *Exchange
}

// New returns an emulator with no Service, whose clock is at opts.Start.
func New(opts *Options) *Proxy {
	p := &Proxy{}
	p.init(opts)
	return p
}

// init sets the Options, with their defaults, and empties the state.
func (p *Proxy) init(opts *Options) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.AccountSid == "" {
		o.AccountSid = DefaultAccountSid
	}
	if o.AuthToken == "" {
		o.AuthToken = proxyform.AuthToken
	}
	switch {
	case o.Start.IsZero():
		o.Start = defaultStart
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
	p.o = o
	p.reset()
}

// lock locks the emulator, first making a zero Proxy one with the default
// Options.
func (p *Proxy) lock() {
	p.mu.Lock()
	if p.events == nil {
		p.init(nil)
	}
}

// options returns the emulator's Options, which do not change after they
// are set.
func (p *Proxy) options() Options {
	p.lock()
	defer p.mu.Unlock()
	return p.o
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
	p.events, p.sent, p.hooks = newEventLog(p.o.MaxEvents), newRing[Delivery](p.o.MaxDeliveries), newRing[Exchange](p.o.MaxWebhooks)
	p.dropped = 0
}

// edit locks the emulator for an operation that may change its state,
// and returns the unlock, to be deferred: defer p.edit()(). Every locked
// region defers its unlock, so that a panic in it cannot leave the lock
// held. The unlock then hands what the region logged to the Options'
// hooks.
func (p *Proxy) edit() func() {
	p.lock()
	p.version++
	return p.unlock
}

// unlock releases the lock taken by edit, then calls the hooks with what
// was logged while it was held.
func (p *Proxy) unlock() {
	notices := p.notices
	p.notices = nil
	onEvent, onWebhook := p.o.OnEvent, p.o.OnWebhook
	p.mu.Unlock()
	for _, n := range notices {
		switch {
		case n.event != nil:
			onEvent(*n.event)
		case n.webhook != nil:
			onWebhook(*n.webhook)
		}
	}
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
	p.lock()
	defer p.mu.Unlock()
	return p.version
}

// ContactTimeout is the longest an inbound contact takes: each of the
// WebhooksPerContact webhooks waited for at most Options.WebhookTimeout.
// Inbound stops waiting when it has passed. A server that answers a
// contact over HTTP needs a write timeout above it.
func (p *Proxy) ContactTimeout() time.Duration {
	return WebhooksPerContact * p.options().WebhookTimeout
}

// AccountSid returns the emulator's account.
func (p *Proxy) AccountSid() string { return p.options().AccountSid }

// Serve serves h over HTTP on loopback until Close, and returns its base
// URL, such as http://127.0.0.1:40123: for a Service's callbacks in a test.
// It serves with net/http's Server on a loopback listener (127.0.0.1, else
// [::1]), and panics when neither can listen, as httptest.NewServer does:
// the machine then has no loopback to test on.
func (p *Proxy) Serve(h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if ln, err = net.Listen("tcp6", "[::1]:0"); err != nil {
			panic("emulator: Serve cannot listen on loopback: " + err.Error())
		}
	}
	sv := &served{idle: make(chan struct{})}
	sv.srv = &http.Server{Handler: sv.track(h), ReadHeaderTimeout: WebhookTimeout}
	go sv.srv.Serve(ln)
	p.lock()
	defer p.mu.Unlock()
	p.servers = append(p.servers, sv)
	return "http://" + ln.Addr().String()
}

// served is a server started by Serve, counting the requests its handler
// is serving, so that Close can wait for them.
type served struct {
	srv    *http.Server
	mu     sync.Mutex
	active int
	closed bool
	idle   chan struct{} // closed once closed and no request is served
}

func (sv *served) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sv.mu.Lock()
		if sv.closed { // a request that raced with Close
			sv.mu.Unlock()
			http.Error(w, "the server is closed", http.StatusServiceUnavailable)
			return
		}
		sv.active++
		sv.mu.Unlock()
		defer func() {
			sv.mu.Lock()
			defer sv.mu.Unlock()
			if sv.active--; sv.active == 0 && sv.closed {
				close(sv.idle)
			}
		}()
		h.ServeHTTP(w, r)
	})
}

// close stops the server and every connection, and returns the channel
// closed once no request is served.
func (sv *served) close() <-chan struct{} {
	sv.srv.Close()
	sv.mu.Lock()
	defer sv.mu.Unlock()
	if !sv.closed {
		sv.closed = true
		if sv.active == 0 {
			close(sv.idle)
		}
	}
	return sv.idle
}

// closeWait bounds how long Close waits for the handlers started by Serve
// to return once their connections are closed.
const closeWait = time.Second

// Close stops the servers started by Serve, dropping any connection a
// stuck callback still holds, and waits for their handlers to return. It
// returns within a second even when a handler ignores its request's end;
// such a handler is left running.
func (p *Proxy) Close() {
	p.lock()
	servers := p.servers
	p.servers = nil
	p.mu.Unlock()
	idle := make([]<-chan struct{}, len(servers))
	for i, sv := range servers {
		idle[i] = sv.close()
	}
	deadline := time.After(closeWait)
	for _, done := range idle {
		select {
		case <-done:
		case <-deadline:
			return
		}
	}
}

// Now returns the virtual clock.
func (p *Proxy) Now() time.Time {
	p.lock()
	defer p.mu.Unlock()
	return p.now
}

// Advance moves the clock forward by d, as the control API's advance
// does, and returns the events that follow (see AdvanceTo). A negative d
// is an error, as a move past 9999-12-31T23:59:59Z is (20001).
func (p *Proxy) Advance(d time.Duration) ([]debugger.Event, error) {
	defer p.edit()()
	if d < 0 {
		return nil, fail(oosc.CodeBadParameters, "the clock cannot go back: advance by %v", d)
	}
	return p.moveTo(p.now.Add(d))
}

// AdvanceTo moves the clock to t and returns the events that follow:
// every active Session whose expiry is at or before t closes (closedReason
// expired, ended at its expiry) and logs 80904; every Session closed for
// Retention by then is deleted. Time never goes back: an earlier t is an
// error, as a t past 9999-12-31T23:59:59Z is (20001).
func (p *Proxy) AdvanceTo(t time.Time) ([]debugger.Event, error) {
	defer p.edit()()
	return p.moveTo(t)
}

// moveTo moves the clock to t, with the lock held.
func (p *Proxy) moveTo(t time.Time) ([]debugger.Event, error) {
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
	return cloneEvents(p.events.slice(from, p.events.total)), nil
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
				s.svc.close(s, oosc.ClosedByExpiry, e.at)
				p.log(debugger.Event{Time: e.at, Code: codeExpired, ServiceSid: s.svc.sid, ResourceSid: s.sid, Session: s.name(),
					Text: "the Session reached its " + s.expiresBy() + " and closed"}, nil)
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

// Events returns the warnings and errors logged, oldest first, each with
// its explanation: the latest Options.MaxEvents faults (errors and
// 80905), expiries (80904) and other warnings.
func (p *Proxy) Events() []debugger.Event {
	p.lock()
	defer p.mu.Unlock()
	return cloneEvents(p.events.all())
}

// Deliveries returns what the phones received, oldest first: the latest
// Options.MaxDeliveries deliveries.
func (p *Proxy) Deliveries() []Delivery {
	p.lock()
	defer p.mu.Unlock()
	return cloneDeliveries(p.sent.all())
}

// cloneDeliveries copies deliveries deeply, so that what the emulator
// returns shares nothing with what it keeps.
func cloneDeliveries(ds []Delivery) []Delivery {
	for i := range ds {
		ds[i].Media = slices.Clone(ds[i].Media)
	}
	return ds
}

// cloneEvents copies events deeply, so that what the emulator returns
// shares nothing with what it keeps.
func cloneEvents(events []debugger.Event) []debugger.Event {
	for i := range events {
		events[i] = cloneEvent(events[i])
	}
	return events
}

func cloneEvent(e debugger.Event) debugger.Event {
	if e.Webhook != nil {
		w := cloneWebhook(*e.Webhook)
		e.Webhook = &w
	}
	if e.Explanation != nil {
		x := *e.Explanation
		x.Cases, x.Problems = slices.Clone(x.Cases), slices.Clone(x.Problems)
		e.Explanation = &x
	}
	return e
}

// Dropped counts what the bounded logs no longer hold: the older entries
// each dropped to keep to its bound since the emulator was made or reset.
type Dropped struct {
	Events, Deliveries, Webhooks int
	Interactions                 int // across every Session
}

// Dropped returns what the bounded logs have dropped.
func (p *Proxy) Dropped() Dropped {
	p.lock()
	defer p.mu.Unlock()
	return Dropped{Events: p.events.dropped(), Deliveries: p.sent.dropped(), Webhooks: p.hooks.dropped(), Interactions: p.dropped}
}

// log records an event, with the webhook exchange it came from, if any,
// explained from it as package debugger explains Twilio's: the emulator
// fills its SID, account and level; the webhook it keeps has its answer
// body clipped to MaxLoggedBodyBytes.
func (p *Proxy) log(e debugger.Event, hook *debugger.Webhook) {
	e.Sid = proxyform.SID("NO", p.events.total+1)
	e.AccountSid = p.o.AccountSid
	e.Level = "ERROR"
	if e.Code.Warning() {
		e.Level = "WARNING"
	}
	e.Webhook = hook
	x := debugger.Explain(e)
	e.Explanation = &x
	if hook != nil {
		kept := logged(*hook)
		e.Webhook = &kept
	}
	p.events.push(e)
	if p.o.OnEvent != nil {
		c := cloneEvent(e)
		p.notices = append(p.notices, notice{event: &c})
	}
}

// logged is a webhook as the logs keep it: its answer body clipped.
func logged(w debugger.Webhook) debugger.Webhook {
	if len(w.Body) > MaxLoggedBodyBytes {
		w.Body = slices.Clone(w.Body[:MaxLoggedBodyBytes]) // not holding on to the whole body
	}
	return w
}

func (p *Proxy) next() int {
	p.seq++
	return p.seq
}

func (p *Proxy) sid(prefix string) string { return proxyform.SID(prefix, p.next()) }

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
