package callbacktest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/judge"
	"github.com/oosc-dev/oosc/twiml"
)

// Twilio error codes the emulator reports, as Proxy logs them.
const (
	CodeAlreadyParticipant = 80103 // the identifier is already a Participant of this Session
	CodeNoUnreserved       = 80207 // no unreserved number in the pool
	CodeAllPaired          = 80208 // every unreserved number is already paired with this identifier
	CodeIdentifierInvalid  = 80404 // neither E.164 nor a channel address
	CodeUniqueNameTaken    = 80603 // uniqueName already used
	CodePairInUse          = 80604 // the (identifier, proxyIdentifier) pair is held by another active Session
	CodeNotInPool          = 80605 // the proxy identifier is not in the pool
	CodeSessionClosed      = 80607 // the Session is closed
	CodeSessionFull        = 80609 // the Session already has two Participants
	CodeNoOtherParticipant = 80614 // routed into a Session with no one to deliver to
	CodeAddressMode        = 80616 // a channel address outside a message-only Session
	CodeInvalidSession     = 80701 // a Session value Proxy refuses
	CodeUnknownScenario    = 80905 // no Session, and no valid answer from the callback
	CodeMessageToVoiceOnly = 80910 // a message into a voice-only Session
	CodeCallToMessageOnly  = 80911 // a call into a message-only Session
	CodeCallbackFailed     = 80913 // the callback failed or answered outside 2xx
)

// Error is a Twilio error from an emulator operation.
type Error struct {
	Code    int    // the Twilio error code
	Message string // what went wrong
}

// Error returns the code and the message.
func (e *Error) Error() string { return fmt.Sprintf("callbacktest: %d: %s", e.Code, e.Message) }

func fail(code int, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Number is a number of the Service's pool: E.164 or a channel address.
type Number struct {
	Number   string
	Reserved bool // never chosen automatically; receives contacts and may be given explicitly
}

// Service configures the emulated Proxy Service.
type Service struct {
	Numbers []Number
	// Callback is the out-of-session callback, served over real HTTP on
	// loopback by the emulator. CallbackURL calls a running endpoint
	// instead. With neither, no callback is configured.
	Callback    http.Handler
	CallbackURL string
	AuthToken   string        // signs callback requests; default DefaultAuthToken
	DefaultTTL  time.Duration // a Session's ttl when it has none; 0: none
	// Client calls the callback; default: a client that waits 15 s.
	Client *http.Client
}

// Session is an emulated Proxy Session.
type Session struct {
	Sid             string
	UniqueName      string
	Mode            autocreate.Mode
	TTL             time.Duration
	DateExpiry      time.Time
	Status          string // open, in-progress or closed
	ClosedReason    string // api or expired
	Created         time.Time
	Updated         time.Time
	Started         time.Time
	LastInteraction time.Time
	Ended           time.Time
	Participants    []Participant
}

// Name is the Session's uniqueName, or its SID when it has none.
func (s *Session) Name() string {
	if s.UniqueName != "" {
		return s.UniqueName
	}
	return s.Sid
}

func (s *Session) active() bool { return s.Status == "open" || s.Status == "in-progress" }

// Participant is a Participant of an emulated Session.
type Participant struct {
	Sid             string
	Identifier      string
	ProxyIdentifier string
	FriendlyName    string
	Created         time.Time
	seq             int // creation order across the Service
}

// NewSession describes a Session to create.
type NewSession struct {
	UniqueName   string
	Mode         autocreate.Mode // default voice-and-message
	TTL          time.Duration
	DateExpiry   time.Time
	Participants []NewParticipant
}

// NewParticipant is a Participant to add: ProxyIdentifier "" lets the
// emulator choose a number as Proxy does.
type NewParticipant struct {
	Identifier      string
	ProxyIdentifier string
	FriendlyName    string
}

// Inbound is a contact that reaches a Proxy number.
type Inbound struct {
	Channel callback.Channel // callback.Voice or callback.Messaging
	From    string
	To      string
	Body    string
	Media   []string
}

// Outcome is how an inbound contact ended.
type Outcome string

// The outcomes of an inbound contact.
const (
	Routed  Outcome = "routed"  // delivered through an open Session
	Handled Outcome = "twiml"   // answered by the callback's TwiML; no Session
	Created Outcome = "created" // an auto-create Session was made and the contact routed into it
	Failed  Outcome = "failed"  // dropped; Codes say why
	Ignored Outcome = "ignored" // the number is not in this Service's pool
)

// Cause is why a contact found no Session.
type Cause string

// The causes of an out-of-session contact, the first that holds.
const (
	OtherProxyNumber  Cause = "other-proxy-number"  // the sender is in an active Session, on another proxy number
	SessionExpired    Cause = "session-expired"     // their last Session on this number expired
	SessionClosed     Cause = "session-closed"      // their last Session on this number was closed through the API
	NoPreviousSession Cause = "no-previous-session" // none of the above
)

// Result is what happened to one inbound contact.
type Result struct {
	Outcome Outcome
	Codes   []int // the Twilio codes Proxy would log, ascending
	// Session is the uniqueName (or SID) of the Session the contact was
	// routed through or created, "" when none.
	Session   string
	DeliverTo string // routed or created: who receives the contact
	ShownFrom string // routed or created: the proxy number they see it from
	Cause     Cause  // the cause, for every contact that found no Session
	Detail    string // what went wrong: the judge's problems, the failed operation
	// Answer is the callback's answer, when it was called.
	Answer *Answer
}

// CallbackRequest is one request the emulator sent to the callback.
type CallbackRequest struct {
	Contact Contact
	Form    url.Values
	At      time.Time // the emulator's clock
}

// Proxy emulates a Twilio Proxy Service. Its state is deterministic for a
// given order of operations: SIDs come from counters, time from a virtual
// clock. It is safe for concurrent use: each operation holds the Service's
// lock, except the HTTP call to the callback, so that concurrent contacts
// call it in parallel; their SIDs and any Sessions they create then follow
// the order in which they take the lock.
type Proxy struct {
	mu       sync.Mutex
	svc      Service
	now      time.Time
	sessions []*Session // creation order; deleted ones removed
	seq      int        // Session, Participant and contact counter
	pseq     int        // Participant creation order
	log      []CallbackRequest
	srv      *httptest.Server
	url      string
}

// NewProxy returns an emulated Service whose clock starts at start. Close it
// when done, to stop the callback's server.
func NewProxy(svc Service, start time.Time) (*Proxy, error) {
	seen := map[string]bool{}
	for _, n := range svc.Numbers {
		if _, err := autocreate.ParseIdentifier(n.Number); err != nil {
			return nil, fmt.Errorf("callbacktest: pool number %q: %w", n.Number, err)
		}
		if seen[n.Number] {
			return nil, fmt.Errorf("callbacktest: pool number %q is listed twice", n.Number)
		}
		seen[n.Number] = true
	}
	if svc.Callback != nil && svc.CallbackURL != "" {
		return nil, errors.New("callbacktest: give Service.Callback or Service.CallbackURL, not both")
	}
	p := &Proxy{svc: svc, now: start.UTC()}
	p.svc.Numbers = append([]Number(nil), svc.Numbers...)
	p.url = svc.CallbackURL
	if svc.Callback != nil {
		p.srv = httptest.NewServer(svc.Callback)
		p.url = p.srv.URL + "/out-of-session"
	}
	if p.url != "" {
		checkTarget(p.url)
	}
	if p.svc.AuthToken == "" {
		p.svc.AuthToken = DefaultAuthToken
	}
	if p.svc.Client == nil {
		p.svc.Client = &http.Client{Timeout: DefaultTimeout}
	}
	return p, nil
}

// Close stops the callback's server, if the emulator started one,
// dropping any connection a stuck callback still holds.
func (p *Proxy) Close() {
	if p.srv != nil {
		p.srv.CloseClientConnections()
		p.srv.Close()
	}
}

// Now returns the emulator's clock.
func (p *Proxy) Now() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.now
}

// Advance moves the clock to t and closes every Session that has expired
// by then. Time never goes back: an earlier t is an error.
func (p *Proxy) Advance(t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.advance(t)
}

func (p *Proxy) advance(t time.Time) error {
	t = t.UTC()
	if t.Before(p.now) {
		return fmt.Errorf("callbacktest: time goes back from %s to %s", p.now.Format(time.RFC3339), t.Format(time.RFC3339))
	}
	p.now = t
	p.expire()
	return nil
}

// expiry returns when s expires, and whether it does.
func (p *Proxy) expiry(s *Session) (time.Time, bool) {
	if !s.DateExpiry.IsZero() {
		return s.DateExpiry, true
	}
	ttl := s.TTL
	if ttl == 0 {
		ttl = p.svc.DefaultTTL
	}
	if ttl <= 0 {
		return time.Time{}, false
	}
	from := s.Created
	if s.LastInteraction.After(from) {
		from = s.LastInteraction
	}
	return from.Add(ttl), true
}

// expire closes every active Session whose expiry is at or before now.
func (p *Proxy) expire() {
	for _, s := range p.sessions {
		if !s.active() {
			continue
		}
		if at, ok := p.expiry(s); ok && !at.After(p.now) {
			s.Status, s.ClosedReason, s.Ended, s.Updated = "closed", "expired", at, at
		}
	}
}

func (p *Proxy) next() int {
	p.seq++
	return p.seq
}

// CreateSession creates a Session and adds its Participants in order, as
// the Proxy API does, or changes nothing and returns an *Error with the
// code of the first check that fails.
func (p *Proxy) CreateSession(ns NewSession) (Session, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, err := p.create(ns)
	if err != nil {
		return Session{}, err
	}
	return copySession(s), nil
}

func copySession(s *Session) Session {
	c := *s
	c.Participants = append([]Participant(nil), s.Participants...)
	return c
}

func (p *Proxy) create(ns NewSession) (*Session, error) {
	p.expire()
	if utf8.RuneCountInString(ns.UniqueName) > autocreate.MaxUniqueNameLength {
		return nil, fail(CodeInvalidSession, "uniqueName is over %d characters", autocreate.MaxUniqueNameLength)
	}
	if ns.UniqueName != "" && p.find(ns.UniqueName) != nil {
		return nil, fail(CodeUniqueNameTaken, "uniqueName %q is already used", ns.UniqueName)
	}
	mode := ns.Mode
	if mode == "" {
		mode = autocreate.VoiceAndMessage
	}
	if !mode.Valid() {
		return nil, fail(CodeInvalidSession, "mode %q is not one of message-only, voice-only, voice-and-message", mode)
	}
	if !ns.DateExpiry.IsZero() && !ns.DateExpiry.After(p.now) {
		return nil, fail(CodeInvalidSession, "dateExpiry %s is not in the future", ns.DateExpiry.UTC().Format(time.RFC3339))
	}
	if ns.TTL < 0 {
		return nil, fail(CodeInvalidSession, "ttl %v is negative", ns.TTL)
	}
	// Built aside, and kept only if every Participant is added: a failed
	// create leaves no trace, not even in the counters.
	seq, pseq := p.seq, p.pseq
	s := &Session{UniqueName: ns.UniqueName, Mode: mode, TTL: ns.TTL, DateExpiry: ns.DateExpiry,
		Status: "open", Created: p.now, Updated: p.now}
	s.Sid = sid("KC", p.next())
	for _, np := range ns.Participants {
		if err := p.addParticipant(s, np); err != nil {
			p.seq, p.pseq = seq, pseq
			return nil, err
		}
	}
	p.sessions = append(p.sessions, s)
	return s, nil
}

// AddParticipant adds a Participant to the named Session (uniqueName or SID).
func (p *Proxy) AddParticipant(session string, np NewParticipant) (Participant, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expire()
	s := p.find(session)
	if s == nil {
		return Participant{}, fmt.Errorf("callbacktest: no Session %q", session)
	}
	if err := p.addParticipant(s, np); err != nil {
		return Participant{}, err
	}
	return s.Participants[len(s.Participants)-1], nil
}

func (p *Proxy) addParticipant(s *Session, np NewParticipant) error {
	switch {
	case !s.active():
		return fail(CodeSessionClosed, "Session %s is closed", s.Name())
	case len(s.Participants) >= 2:
		return fail(CodeSessionFull, "Session %s already has two Participants", s.Name())
	}
	id, err := autocreate.ParseIdentifier(np.Identifier)
	if err != nil {
		return fail(CodeIdentifierInvalid, "identifier %q is neither E.164 nor a channel address", np.Identifier)
	}
	if id.Kind == autocreate.ChannelAddress && s.Mode != autocreate.MessageOnly {
		return fail(CodeAddressMode, "identifier %q is a channel address, allowed only in a message-only Session, not %s", np.Identifier, s.Mode)
	}
	for _, q := range s.Participants {
		if q.Identifier == np.Identifier {
			return fail(CodeAlreadyParticipant, "%s is already a Participant of Session %s", np.Identifier, s.Name())
		}
	}
	proxy := np.ProxyIdentifier
	if proxy != "" {
		if !p.inPool(proxy) {
			return fail(CodeNotInPool, "proxy identifier %s is not in the pool", proxy)
		}
		if p.paired(np.Identifier, proxy) {
			return fail(CodePairInUse, "%s already holds %s in another active Session", np.Identifier, proxy)
		}
	} else {
		var err error
		if proxy, err = p.choose(np.Identifier); err != nil {
			return err
		}
	}
	p.pseq++
	s.Participants = append(s.Participants, Participant{
		Sid: sid("KP", p.next()), Identifier: np.Identifier, ProxyIdentifier: proxy,
		FriendlyName: np.FriendlyName, Created: p.now, seq: p.pseq,
	})
	return nil
}

func (p *Proxy) inPool(n string) bool {
	for _, x := range p.svc.Numbers {
		if x.Number == n {
			return true
		}
	}
	return false
}

// paired reports whether identifier holds proxy in an active Session.
func (p *Proxy) paired(identifier, proxy string) bool {
	for _, s := range p.sessions {
		if !s.active() {
			continue
		}
		for _, q := range s.Participants {
			if q.Identifier == identifier && q.ProxyIdentifier == proxy {
				return true
			}
		}
	}
	return false
}

// choose picks a proxy number for identifier: never a reserved one, not
// one it already holds in an active Session; the one it held most
// recently if that is free (prefer-sticky), else the first in pool order.
func (p *Proxy) choose(identifier string) (string, error) {
	var candidates []string
	unreserved := 0
	for _, n := range p.svc.Numbers {
		if n.Reserved {
			continue
		}
		unreserved++
		if !p.paired(identifier, n.Number) {
			candidates = append(candidates, n.Number)
		}
	}
	switch {
	case unreserved == 0:
		return "", fail(CodeNoUnreserved, "the pool has no unreserved number")
	case len(candidates) == 0:
		return "", fail(CodeAllPaired, "every unreserved number is already paired with %s", identifier)
	}
	latest, at := "", -1
	for _, s := range p.sessions {
		for _, q := range s.Participants {
			if q.Identifier == identifier && q.seq > at {
				latest, at = q.ProxyIdentifier, q.seq
			}
		}
	}
	for _, c := range candidates {
		if c == latest {
			return c, nil
		}
	}
	return candidates[0], nil
}

// find returns the Session named by uniqueName or SID, nil when none.
func (p *Proxy) find(name string) *Session {
	for _, s := range p.sessions {
		if s.UniqueName == name || s.Sid == name {
			return s
		}
	}
	return nil
}

// CloseSession closes the named Session (uniqueName or SID) through the
// API: closedReason api. A closed Session gives 80607.
func (p *Proxy) CloseSession(name string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expire()
	s := p.find(name)
	switch {
	case s == nil:
		return fmt.Errorf("callbacktest: no Session %q", name)
	case !s.active():
		return fail(CodeSessionClosed, "Session %s is already closed", s.Name())
	}
	s.Status, s.ClosedReason, s.Ended, s.Updated = "closed", "api", p.now, p.now
	return nil
}

// DeleteSession removes the named Session and its Participants; its
// uniqueName is free again, and its Participants count as never having had it.
func (p *Proxy) DeleteSession(name string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expire()
	for i, s := range p.sessions {
		if s.UniqueName == name || s.Sid == name {
			p.sessions = append(p.sessions[:i], p.sessions[i+1:]...)
			return nil
		}
	}
	return fmt.Errorf("callbacktest: no Session %q", name)
}

// Session returns the named Session (uniqueName or SID).
func (p *Proxy) Session(name string) (Session, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expire()
	if s := p.find(name); s != nil {
		return copySession(s), true
	}
	return Session{}, false
}

// Sessions returns every Session that is not deleted, in creation order.
func (p *Proxy) Sessions() []Session {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expire()
	out := make([]Session, len(p.sessions))
	for i, s := range p.sessions {
		out[i] = copySession(s)
	}
	return out
}

// Callbacks returns every request sent to the callback so far, in order.
func (p *Proxy) Callbacks() []CallbackRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]CallbackRequest(nil), p.log...)
}

// Contact handles an inbound contact at the emulator's current time, as
// Proxy routes it: through the sender's active Session on that number, or
// to the out-of-session callback, whose answer is judged and, for an
// auto-create session, carried out.
func (p *Proxy) Contact(ctx context.Context, in Inbound) Result {
	p.mu.Lock()
	p.expire() // a Session created by another contact's answer may expire at this time
	if in.Channel != callback.Voice && in.Channel != callback.Messaging {
		p.mu.Unlock()
		return Result{Outcome: Failed, Codes: []int{}, Detail: fmt.Sprintf("channel %q is neither voice nor messaging", in.Channel)}
	}
	if !p.inPool(in.To) {
		p.mu.Unlock()
		return Result{Outcome: Ignored, Codes: []int{}, Detail: in.To + " is not in this Service's pool"}
	}
	if s, q := p.sessionFor(in.From, in.To); s != nil {
		r := p.route(s, q, in.Channel)
		p.mu.Unlock()
		return r
	}
	cause, prev := p.cause(in.From, in.To)
	if p.url == "" {
		p.mu.Unlock()
		return Result{Outcome: Failed, Codes: []int{CodeUnknownScenario}, Cause: cause,
			Detail: "no out-of-session callback is configured"}
	}
	c := Contact{Channel: in.Channel, From: in.From, To: in.To, Body: in.Body, Media: in.Media, Seq: p.next()}
	form := c.Form()
	if prev != nil {
		prevForm(form, prev, in)
	}
	p.log = append(p.log, CallbackRequest{Contact: c, Form: form, At: p.now})
	p.mu.Unlock()

	a := p.call(ctx, c, form)
	r := Result{Cause: cause, Answer: &a}
	return p.answer(r, a, in)
}

// sessionFor returns the active Session in which from holds to, and from's Participant.
func (p *Proxy) sessionFor(from, to string) (*Session, int) {
	for _, s := range p.sessions {
		if !s.active() {
			continue
		}
		for i, q := range s.Participants {
			if q.Identifier == from && q.ProxyIdentifier == to {
				return s, i
			}
		}
	}
	return nil, -1
}

// route delivers a contact through s, from its Participant q.
func (p *Proxy) route(s *Session, q int, ch callback.Channel) Result {
	r := Result{Session: s.Name(), Codes: []int{}}
	switch {
	case ch == callback.Voice && !s.Mode.Voice():
		r.Outcome, r.Codes, r.Detail = Failed, []int{CodeCallToMessageOnly}, "a call into a "+string(s.Mode)+" Session"
		return r
	case ch == callback.Messaging && !s.Mode.Messages():
		r.Outcome, r.Codes, r.Detail = Failed, []int{CodeMessageToVoiceOnly}, "a message into a "+string(s.Mode)+" Session"
		return r
	case len(s.Participants) < 2:
		r.Outcome, r.Codes, r.Detail = Failed, []int{CodeNoOtherParticipant}, "Session "+s.Name()+" has no other Participant"
		return r
	}
	other := s.Participants[1-q]
	if s.Status == "open" {
		s.Started = p.now
	}
	s.Status, s.LastInteraction, s.Updated = "in-progress", p.now, p.now
	r.Outcome, r.DeliverTo, r.ShownFrom = Routed, other.Identifier, other.ProxyIdentifier
	return r
}

// cause says why from found no Session on to, with the previous Session
// the callback reports (for a closed or expired one).
func (p *Proxy) cause(from, to string) (Cause, *Session) {
	for _, s := range p.sessions {
		if !s.active() {
			continue
		}
		for _, q := range s.Participants {
			if q.Identifier == from && q.ProxyIdentifier != to {
				return OtherProxyNumber, nil
			}
		}
	}
	var last *Session
	for _, s := range p.sessions {
		for _, q := range s.Participants {
			if q.Identifier == from && q.ProxyIdentifier == to {
				last = s // creation order: the last one found is the most recent
			}
		}
	}
	switch {
	case last == nil:
		return NoPreviousSession, nil
	case last.ClosedReason == "expired":
		return SessionExpired, last
	default:
		return SessionClosed, last
	}
}

// prevForm adds the previous Session s and its Participants to a callback form.
func prevForm(f url.Values, s *Session, in Inbound) {
	set := func(k, v string) {
		if v != "" {
			f.Set(k, v)
		}
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(isoDate)
	}
	set("sessionSid", s.Sid)
	set("sessionUniqueName", s.UniqueName)
	set("sessionAccountSid", AccountSid)
	set("sessionServiceSid", ServiceSid)
	set("sessionStatus", s.Status)
	set("sessionClosedReason", s.ClosedReason)
	set("sessionMode", string(s.Mode))
	set("sessionDateCreated", date(s.Created))
	set("sessionDateUpdated", date(s.Updated))
	set("sessionDateStarted", date(s.Started))
	set("sessionDateLastInteraction", date(s.LastInteraction))
	set("sessionDateEnded", date(s.Ended))
	for _, q := range s.Participants {
		prefix := "outboundParticipant"
		if q.Identifier == in.From {
			prefix = "inboundParticipant"
		}
		set(prefix+"Sid", q.Sid)
		set(prefix+"Identifier", q.Identifier)
		set(prefix+"ProxyIdentifier", q.ProxyIdentifier)
		set(prefix+"ProxyIdentifierSid", sid("PN", 1))
		set(prefix+"FriendlyName", q.FriendlyName)
		set(prefix+"AccountSid", AccountSid)
		set(prefix+"ServiceSid", ServiceSid)
		set(prefix+"SessionSid", s.Sid)
		set(prefix+"DateCreated", date(q.Created))
		set(prefix+"DateUpdated", date(q.Created))
	}
}

// call sends the callback request and reads its answer, within 15 s.
func (p *Proxy) call(ctx context.Context, c Contact, form url.Values) Answer {
	body := form.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, strings.NewReader(body))
	if err != nil {
		return Answer{Contact: c, Err: err}
	}
	sign(req.Header, p.svc.AuthToken, p.url, form)
	start := time.Now()
	resp, err := p.svc.Client.Do(req)
	if err != nil {
		return Answer{Contact: c, Err: err, Latency: time.Since(start)}
	}
	a := Judge(resp, c)
	a.Latency = time.Since(start)
	return a
}

// answer judges the callback's answer strictly, as Proxy does, and carries
// out an auto-create session.
func (p *Proxy) answer(r Result, a Answer, in Inbound) Result {
	failed := func(detail string, codes ...int) Result {
		r.Outcome, r.Detail = Failed, detail
		r.Codes = sortedCodes(codes)
		return r
	}
	switch {
	case a.Err != nil:
		return failed("the callback did not answer: "+a.Err.Error(), CodeCallbackFailed)
	case a.Status < 200 || a.Status > 299:
		return failed(fmt.Sprintf("the callback answered status %d", a.Status), CodeCallbackFailed)
	}
	kind, _ := judge.ContentType(a.Header.Get("Content-Type"))
	switch kind {
	case judge.TwiML:
		v := twiml.Validate(a.Body, in.Channel)
		if !v.Valid() {
			return failed("invalid TwiML: "+joinProblems(v), CodeUnknownScenario)
		}
		r.Outcome, r.Codes = Handled, []int{}
		return r
	case judge.AutoCreate:
		return p.autoCreate(r, a, in, failed)
	}
	ct := a.Header.Get("Content-Type")
	if ct == "" {
		ct = "none"
	}
	return failed("the answer's Content-Type is "+ct+", neither application/xml nor application/json", CodeUnknownScenario)
}

func joinProblems(r twiml.Report) string {
	var parts []string
	for _, p := range r.Errors() {
		parts = append(parts, p.String())
	}
	return strings.Join(parts, "; ")
}

// autoCreate checks the document on its own terms (not against the
// contact: Proxy does not), creates the Session and routes the contact.
func (p *Proxy) autoCreate(r Result, a Answer, in Inbound, failed func(string, ...int) Result) Result {
	s, err := autocreate.Parse(a.Body)
	switch {
	case err != nil:
		return failed("invalid auto-create JSON: "+strings.TrimPrefix(err.Error(), "autocreate: "), CodeUnknownScenario)
	case s.ParticipantIdentifier == "":
		return failed("invalid auto-create JSON: participantIdentifier is empty", CodeUnknownScenario)
	case s.Mode != "" && !s.Mode.Valid():
		return failed(fmt.Sprintf("invalid auto-create JSON: mode %q is not one of the three", s.Mode), CodeUnknownScenario)
	case s.TTL < 0:
		return failed("invalid auto-create JSON: ttl is negative", CodeUnknownScenario)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	created, err := p.create(NewSession{
		UniqueName: s.UniqueName, Mode: s.Mode, TTL: s.TTL, DateExpiry: s.DateExpiry,
		Participants: []NewParticipant{
			{Identifier: in.From, ProxyIdentifier: in.To},
			{Identifier: s.ParticipantIdentifier, ProxyIdentifier: s.ParticipantProxyIdentifier},
		},
	})
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return failed("the auto-create Session was not created: "+e.Message, e.Code, CodeUnknownScenario)
		}
		return failed(err.Error(), CodeUnknownScenario)
	}
	routed := p.route(created, 0, in.Channel)
	routed.Cause, routed.Answer = r.Cause, r.Answer
	if routed.Outcome == Routed {
		routed.Outcome = Created
	}
	return routed
}

func sortedCodes(codes []int) []int {
	seen := map[int]bool{}
	out := []int{}
	for _, c := range codes {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Ints(out)
	return out
}
