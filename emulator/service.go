package emulator

import (
	"container/heap"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/internal/numbering"
)

const codeExpired = oosc.CodeExpiredSession

// service is a Service and its state, with the indexes that keep every
// operation near constant time in the number of Sessions.
type service struct {
	p       *Proxy
	sid     string
	cfg     ServiceConfig
	created time.Time
	updated time.Time
	deleted bool

	numbers  []*number // pool order
	bySid    map[string]*number
	byNumber map[string]*number

	sessions []*session          // creation order, deleted ones dropped now and then
	live     int                 // sessions not deleted
	sessByID map[string]*session // SID and uniqueName of every Session not deleted

	active  map[pair]*participant     // the (identifier, proxy number) pairs active Sessions hold: the one added last
	shared  map[pair][]*participant   // the others that hold a pair with an account that allows conflicts, order held; nil until then
	inUse   map[string]int            // identifier -> active pairs it holds
	history map[pair][]*session       // Sessions not deleted in which identifier held proxy, creation order
	held    map[string][]*participant // an identifier's Participants in Sessions not deleted, creation order
}

type pair struct{ identifier, proxy string }

type number struct {
	sid              string
	value            string
	cc, area         string // its geography: country calling code, +1 area code
	reserved         bool
	sessions         int // active Sessions that hold it
	participants     int // their Participants that hold it
	created, updated time.Time
}

type session struct {
	svc          *service
	sid          string
	uniqueName   string
	mode         autocreate.Mode
	ttl          time.Duration
	dateExpiry   time.Time
	status       oosc.SessionStatus
	closedReason oosc.ClosedReason
	created      time.Time
	updated      time.Time
	started      time.Time
	last         time.Time // last interaction
	reopened     time.Time // the expiry of a reopened Session counts from here
	ended        time.Time
	order        int // creation order, across the emulator
	version      int // bumped whenever the expiry or the status changes
	deleted      bool
	parts        []*participant // active Participants, order added
	removed      []*participant // Participants removed from it
	interactions []*Interaction
}

type participant struct {
	s                *session
	sid              string
	identifier       string
	proxy            *number
	friendlyName     string
	created, updated time.Time
	deleted          time.Time
	order            int
}

func (s *session) active() bool { return s.status.Active() }

func (s *session) name() string {
	if s.uniqueName != "" {
		return s.uniqueName
	}
	return s.sid
}

// expires returns when s expires: at its dateExpiry, else when its ttl
// (the Session's, else the Service's defaultTtl, else DefaultTTL) has
// passed since the latest of its creation, its last interaction and its
// reopening.
func (s *session) expires() time.Time {
	if !s.dateExpiry.IsZero() {
		return s.dateExpiry
	}
	ttl := s.ttl
	if ttl == 0 {
		ttl = s.svc.cfg.DefaultTTL
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	from := s.created
	for _, t := range []time.Time{s.last, s.reopened} {
		if t.After(from) {
			from = t
		}
	}
	return from.Add(ttl)
}

func (s *session) expiresBy() string {
	switch {
	case !s.dateExpiry.IsZero():
		return "dateExpiry"
	case s.ttl == 0 && s.svc.cfg.DefaultTTL <= 0:
		return "default ttl of 90 days"
	}
	return "ttl"
}

// schedule records a change of s's expiry or status: the moments queued
// for it before are void, and its expiry, or its deletion after
// Retention, is queued anew.
func (s *session) schedule() {
	s.version++
	p := s.svc.p
	switch {
	case s.deleted:
	case s.active():
		heap.Push(&p.expiry, timed{at: s.expires(), s: s, version: s.version})
	default:
		heap.Push(&p.keep, timed{at: s.ended.Add(Retention), s: s, version: s.version})
	}
}

func (p *Proxy) newService(cfg ServiceConfig) *service {
	return p.emptyService(p.sid("KS"), cfg, p.now, p.now)
}

// emptyService is a Service with no numbers or Sessions, and every index
// made: for a new Service, and for one restored from a state file.
func (p *Proxy) emptyService(sid string, cfg ServiceConfig, created, updated time.Time) *service {
	return &service{p: p, sid: sid, cfg: cfg, created: created, updated: updated,
		bySid: map[string]*number{}, byNumber: map[string]*number{}, sessByID: map[string]*session{},
		active: map[pair]*participant{}, inUse: map[string]int{}, history: map[pair][]*session{}, held: map[string][]*participant{}}
}

// find returns the Session named by SID or uniqueName.
func (svc *service) find(name string) *session { return svc.sessByID[name] }

// close closes an active Session: its pairs are freed.
func (svc *service) close(s *session, reason oosc.ClosedReason, at time.Time) {
	s.status, s.closedReason, s.ended, s.updated = oosc.SessionClosed, reason, at, at
	for _, q := range s.parts {
		svc.release(q)
	}
	s.schedule()
}

// hold and release keep the index of active pairs. A pair held by
// several Participants (an account that allows conflicts) routes to the
// one that took it last; the others wait in shared, and the latest of
// them takes it back when it is released.
func (svc *service) hold(q *participant) {
	k := pair{q.identifier, q.proxy.value}
	if cur := svc.active[k]; cur != nil && cur != q {
		if svc.shared == nil {
			svc.shared = map[pair][]*participant{}
		}
		svc.shared[k] = append(svc.shared[k], cur)
	}
	if !svc.sharesNumber(q) {
		q.proxy.sessions++
	}
	svc.active[k] = q
	svc.inUse[q.identifier]++
	q.proxy.participants++
}

func (svc *service) release(q *participant) {
	k := pair{q.identifier, q.proxy.value}
	others := svc.shared[k]
	switch {
	case svc.active[k] == q && len(others) > 0:
		svc.active[k] = others[len(others)-1]
		svc.unshare(k, len(others)-1)
	case svc.active[k] == q:
		delete(svc.active, k)
	case slices.Contains(others, q):
		svc.unshare(k, slices.Index(others, q))
	default:
		return // not held
	}
	if svc.inUse[q.identifier]--; svc.inUse[q.identifier] == 0 {
		delete(svc.inUse, q.identifier)
	}
	q.proxy.participants--
	if !svc.sharesNumber(q) {
		q.proxy.sessions--
	}
}

// holds reports whether q holds its pair: it is the pair's active
// Participant, or one of those that share it.
func (svc *service) holds(q *participant) bool {
	k := pair{q.identifier, q.proxy.value}
	return svc.active[k] == q || slices.Contains(svc.shared[k], q)
}

// sharesNumber reports whether another Participant of q's Session holds
// q's proxy number, so that the Session is counted once in the number's
// active Sessions.
func (svc *service) sharesNumber(q *participant) bool {
	for _, o := range q.s.parts {
		if o != q && o.proxy == q.proxy && svc.holds(o) {
			return true
		}
	}
	return false
}

// unshare removes the i-th waiting holder of a pair.
func (svc *service) unshare(k pair, i int) {
	if svc.shared[k] = slices.Delete(svc.shared[k], i, i+1); len(svc.shared[k]) == 0 {
		delete(svc.shared, k)
	}
}

// delete removes a Session with its Participants and Interactions: its
// uniqueName is free again, and its Participants count as never having
// had it.
func (svc *service) delete(s *session) {
	if s.active() {
		for _, q := range s.parts {
			svc.release(q)
		}
	}
	s.deleted = true
	s.version++
	delete(svc.sessByID, s.sid)
	if s.uniqueName != "" && svc.sessByID[s.uniqueName] == s {
		delete(svc.sessByID, s.uniqueName)
	}
	for _, q := range slices.Concat(s.parts, s.removed) {
		k := pair{q.identifier, q.proxy.value}
		svc.history[k] = without(svc.history[k], s)
		if len(svc.history[k]) == 0 {
			delete(svc.history, k)
		}
		svc.held[q.identifier] = slices.DeleteFunc(svc.held[q.identifier], func(x *participant) bool { return x == q })
		if len(svc.held[q.identifier]) == 0 {
			delete(svc.held, q.identifier)
		}
	}
	svc.live--
	if len(svc.sessions) > 64 && svc.live < len(svc.sessions)/2 {
		svc.sessions = slices.DeleteFunc(svc.sessions, func(x *session) bool { return x.deleted })
	}
}

func without(list []*session, s *session) []*session {
	return slices.DeleteFunc(list, func(x *session) bool { return x == s })
}

// create creates a Session and adds its Participants in order, or
// changes nothing and returns the *Error of the first check that fails.
func (svc *service) create(ns NewSession) (*session, error) {
	p := svc.p
	switch {
	case utf8.RuneCountInString(ns.UniqueName) > autocreate.MaxUniqueNameLength:
		return nil, fail(oosc.CodeParameterValidation, "uniqueName is over %d characters", autocreate.MaxUniqueNameLength)
	case isSIDShaped(ns.UniqueName, "KC"):
		return nil, fail(oosc.CodeBadParameters, "uniqueName %q is shaped like a Session SID, which another Session may get", ns.UniqueName)
	case ns.UniqueName != "" && svc.find(ns.UniqueName) != nil:
		return nil, fail(oosc.CodeNonUniqueSessionName, "uniqueName %q is already used by a Session of this Service", ns.UniqueName)
	case ns.Mode != "" && !ns.Mode.Valid():
		return nil, fail(oosc.CodeParameterValidation, "mode %q is not message-only, voice-only or voice-and-message", ns.Mode)
	case !ns.DateExpiry.IsZero() && !ns.DateExpiry.After(p.now):
		return nil, fail(oosc.CodeParameterValidation, "dateExpiry %s is not in the future", ns.DateExpiry.UTC().Format(time.RFC3339))
	case ns.TTL < 0:
		return nil, fail(oosc.CodeParameterValidation, "ttl %v is negative", ns.TTL)
	case ns.Status != "" && ns.Status != oosc.SessionOpen && ns.Status != oosc.SessionInProgress:
		return nil, fail(oosc.CodeSessionStatusInvalid, "status %q: a Session starts open or in-progress", ns.Status)
	}
	if err := p.checkEnd(&ns.DateExpiry, &ns.TTL); err != nil {
		return nil, err
	}
	mode := ns.Mode
	if mode == "" {
		mode = autocreate.VoiceAndMessage
		for _, np := range ns.Participants {
			if id, err := autocreate.ParseIdentifier(np.Identifier); err == nil && id.Kind == autocreate.ChannelAddress {
				mode = autocreate.MessageOnly
			}
		}
	}
	// Built aside, and kept only if every Participant is added: a failed
	// create leaves no trace, not even in the counter.
	seq := p.seq
	s := &session{svc: svc, uniqueName: ns.UniqueName, mode: mode, ttl: ns.TTL, dateExpiry: ns.DateExpiry.UTC(),
		status: oosc.SessionOpen, created: p.now, updated: p.now}
	if ns.Status == oosc.SessionInProgress {
		s.status, s.started = oosc.SessionInProgress, p.now
	}
	s.sid = p.sid("KC")
	s.order = p.seq
	var conflicts []*participant // of each Participant in turn: another that holds its pair, or nil
	for _, np := range ns.Participants {
		q, other, err := svc.check(s, np, ns.FailOnParticipantConflict)
		if err != nil {
			p.seq = seq
			return nil, err
		}
		s.parts = append(s.parts, q)
		conflicts = append(conflicts, other)
	}
	svc.sessions = append(svc.sessions, s)
	svc.live++
	svc.sessByID[s.sid] = s
	if s.uniqueName != "" {
		svc.sessByID[s.uniqueName] = s
	}
	for i, q := range s.parts {
		svc.record(q)
		if conflicts[i] != nil {
			svc.logConflict(codeCreateConflict, q, conflicts[i])
		}
	}
	s.schedule()
	return s, nil
}

// addParticipant adds a Participant to an existing Session.
func (svc *service) addParticipant(s *session, np NewParticipant) (*participant, error) {
	q, other, err := svc.check(s, np, false)
	if err != nil {
		return nil, err
	}
	s.parts = append(s.parts, q)
	s.updated = svc.p.now
	svc.record(q)
	if other != nil {
		svc.logConflict(codeCreateConflict, q, other)
	}
	return q, nil
}

// record indexes a new Participant: its pair, its history.
func (svc *service) record(q *participant) {
	svc.hold(q)
	k := pair{q.identifier, q.proxy.value}
	svc.history[k] = append(svc.history[k], q.s)
	svc.held[q.identifier] = append(svc.held[q.identifier], q)
}

// check runs the checks of adding np to s, in the order of the rules, and
// returns the Participant to add and, on an account that allows
// conflicts, the Participant of another active Session that holds its
// pair already (nil when none). failOnConflict is the request's
// FailOnParticipantConflict, or np's.
func (svc *service) check(s *session, np NewParticipant, failOnConflict bool) (*participant, *participant, error) {
	p := svc.p
	switch {
	case !s.active():
		return nil, nil, fail(oosc.CodeSessionClosed, "Session %s is closed", s.name())
	case len(s.parts) >= 2:
		return nil, nil, fail(oosc.CodeTooManyParticipants, "Session %s already has two Participants", s.name())
	}
	id, err := autocreate.ParseIdentifier(np.Identifier)
	if err != nil {
		return nil, nil, fail(oosc.CodeParticipantIdentifierBad, "identifier %q is neither E.164 nor a channel address", clip(np.Identifier))
	}
	if id.Kind == autocreate.ChannelAddress && s.mode != autocreate.MessageOnly {
		return nil, nil, fail(oosc.CodeIdentifierTypeForMode, "identifier %q is a channel address, allowed only in a message-only Session, not %s", np.Identifier, s.mode)
	}
	for _, q := range s.parts {
		if q.identifier == np.Identifier {
			return nil, nil, fail(oosc.CodeParticipantAlreadyInSession, "%s is already a Participant of Session %s", np.Identifier, s.name())
		}
	}
	for _, q := range s.removed {
		if q.identifier == np.Identifier {
			return nil, nil, fail(oosc.CodeDuplicateEntry, "%s was removed from Session %s and cannot be added back", np.Identifier, s.name())
		}
	}
	var n, other = (*number)(nil), (*participant)(nil)
	if np.ProxyIdentifier != "" {
		n = svc.byNumber[np.ProxyIdentifier]
		if n == nil {
			return nil, nil, fail(oosc.CodeProxyIdentifierNotInService, "proxy identifier %s is not in the pool", np.ProxyIdentifier)
		}
		if other = svc.active[pair{np.Identifier, n.value}]; other != nil && (!p.o.AllowParticipantConflict || failOnConflict || np.FailOnParticipantConflict) {
			return nil, nil, fail(oosc.CodeProxyIdentifierInUse, "%s already holds %s in another active Session", np.Identifier, n.value)
		}
	} else {
		if n, err = svc.choose(id); err != nil {
			return nil, nil, err
		}
	}
	q := &participant{s: s, sid: p.sid("KP"), identifier: np.Identifier, proxy: n,
		friendlyName: np.FriendlyName, created: p.now, updated: p.now}
	q.order = p.seq
	return q, other, nil
}

// choose picks a proxy number for an identifier, as section 2 of the
// rules says: the pool's numbers that match its geography, not reserved,
// not already paired with it; then by the Service's selection behavior.
// It stops at the number it takes, so that its cost is the pool only when
// no number is free.
func (svc *service) choose(id autocreate.Identifier) (*number, error) {
	if len(svc.numbers) == 0 {
		return nil, fail(oosc.CodeNoProxiesForService, "the Service has no phone numbers")
	}
	free := func(n *number) bool {
		return !n.reserved && svc.geoMatch(id, n) && svc.active[pair{id.Raw, n.value}] == nil
	}
	held := svc.held[id.Raw]
	if svc.cfg.NumberSelectionBehavior == AvoidSticky {
		last := make(map[*number]int, len(held)) // the order each number was last held in
		for _, q := range held {
			last[q.proxy] = q.order
		}
		var best *number
		for _, n := range svc.numbers {
			if !free(n) {
				continue
			}
			o, ok := last[n]
			if !ok {
				return n, nil // never held
			}
			if best == nil || o < last[best] {
				best = n
			}
		}
		if best != nil {
			return best, nil
		}
	} else {
		if len(held) > 0 {
			if latest := held[len(held)-1].proxy; svc.bySid[latest.sid] == latest && free(latest) {
				return latest, nil
			}
		}
		for _, n := range svc.numbers {
			if free(n) {
				return n, nil
			}
		}
	}
	country, matching, unreserved := 0, 0, 0
	for _, n := range svc.numbers {
		if svc.countryMatch(id, n) {
			country++
		}
		if svc.geoMatch(id, n) {
			matching++
			if !n.reserved {
				unreserved++
			}
		}
	}
	switch {
	case country == 0:
		return nil, fail(oosc.CodeNoProxyForCountry, "no number of the pool has the country calling code of %s", id.Raw)
	case matching == 0:
		return nil, fail(oosc.CodeNoAvailableProxy, "no number of the pool meets the Service's GeoMatchLevel %s for %s", svc.geoLevel(), id.Raw)
	case unreserved == 0:
		return nil, fail(oosc.CodeNoUnreservedNumbers, "every number of the pool that matches %s is reserved", id.Raw)
	}
	return nil, fail(oosc.CodeNoAvailableUnusedProxy, "every unreserved number that matches %s is already paired with it in an active Session", id.Raw)
}

func (svc *service) geoLevel() GeoMatchLevel {
	if svc.cfg.GeoMatchLevel == "" {
		return GeoMatchCountry
	}
	return svc.cfg.GeoMatchLevel
}

// countryMatch reports whether a pool number has an identifier's country
// calling code (a channel address in the pool, by its E.164 part); a
// channel-address identifier matches any number (the emulator's
// convention).
func (svc *service) countryMatch(id autocreate.Identifier, n *number) bool {
	return id.Kind == autocreate.ChannelAddress || n.cc != "" && numbering.CallingCode(id.Raw) == n.cc
}

// geoMatch reports whether a pool number matches an identifier's
// geography at the Service's GeoMatchLevel: its country, and with
// area-code, for +1, its area code too. Overlay and radius, which no
// Twilio source defines, match as country does: the permissive reading,
// which never refuses a number Twilio could give.
func (svc *service) geoMatch(id autocreate.Identifier, n *number) bool {
	if !svc.countryMatch(id, n) {
		return false
	}
	if id.Kind == autocreate.Phone && n.cc == "1" && svc.geoLevel() == GeoMatchAreaCode {
		return len(id.Raw) >= 5 && id.Raw[2:5] == n.area
	}
	return true
}

// geography returns the country calling code of a pool number (E.164, or
// a channel address with an E.164 part) and, for +1, its area code; ""
// for a number without one, such as messenger:ID.
func geography(value string) (cc, area string) {
	e164 := value
	if _, rest, ok := strings.Cut(value, ":"); ok {
		e164 = rest
	}
	if !autocreate.IsE164(e164) {
		return "", ""
	}
	cc = numbering.CallingCode(e164)
	if cc == "1" && len(e164) >= 5 {
		area = e164[2:5]
	}
	return cc, area
}

func clip(s string) string {
	if utf8.RuneCountInString(s) <= 60 {
		return s
	}
	return string([]rune(s)[:60]) + "…"
}
