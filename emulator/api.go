package emulator

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
)

// This file is the emulator's Go API for Proxy's resources: Services,
// phone numbers, Sessions, Participants and Interactions. Services and
// Sessions are named by SID or uniqueName, as in Twilio's REST API; what
// it returns are copies.

func (p *Proxy) service(name string) (*service, error) {
	if svc := p.byKey[name]; svc != nil {
		return svc, nil
	}
	return nil, notFound("Service", name)
}

func (p *Proxy) session(service, name string) (*service, *session, error) {
	svc, err := p.service(service)
	if err != nil {
		return nil, nil, err
	}
	s := svc.find(name)
	if s == nil {
		return nil, nil, notFound("Session", name)
	}
	return svc, s, nil
}

// geoMatchLevels are the values of Twilio's service_enum_geo_match_level.
var geoMatchLevels = []GeoMatchLevel{GeoMatchCountry, GeoMatchAreaCode, GeoMatchOverlay, GeoMatchRadius}

// joinLevels lists geoMatchLevels for an error message.
func joinLevels() string {
	names := make([]string, len(geoMatchLevels))
	for i, l := range geoMatchLevels {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

// checkConfig checks what a Service's configuration may hold.
func (p *Proxy) checkConfig(cfg ServiceConfig, self *service) error {
	switch {
	case cfg.GeoMatchLevel != "" && !slices.Contains(geoMatchLevels, cfg.GeoMatchLevel):
		return fail(oosc.CodeBadParameters, "GeoMatchLevel %q is not one of %s", cfg.GeoMatchLevel, joinLevels())
	case cfg.NumberSelectionBehavior != "" && cfg.NumberSelectionBehavior != PreferSticky && cfg.NumberSelectionBehavior != AvoidSticky:
		return fail(oosc.CodeBadParameters, "NumberSelectionBehavior %q is not %s or %s", cfg.NumberSelectionBehavior, PreferSticky, AvoidSticky)
	case cfg.DefaultTTL < 0:
		return fail(oosc.CodeBadParameters, "DefaultTtl %v is negative", cfg.DefaultTTL)
	case len(cfg.UniqueName) > 191:
		return fail(oosc.CodeBadParameters, "UniqueName is over 191 characters")
	case isSIDShaped(cfg.UniqueName, "KS"):
		return fail(oosc.CodeBadParameters, "UniqueName %q is shaped like a Service SID, which another Service may get", cfg.UniqueName)
	case p.now.Add(cfg.DefaultTTL).After(endOfTime):
		return fail(oosc.CodeBadParameters, "DefaultTtl %v would carry a Session's expiry past %s", cfg.DefaultTTL, endOfTime.Format(time.RFC3339))
	}
	if other := p.byKey[cfg.UniqueName]; cfg.UniqueName != "" && other != nil && other != self {
		return fail(oosc.CodePhoneNumberNotAvailable, "a Service named %q exists already", cfg.UniqueName)
	}
	for _, u := range []string{cfg.OutOfSessionCallbackURL, cfg.InterceptCallbackURL, cfg.CallbackURL} {
		if u == "" {
			continue
		}
		if v, err := url.Parse(u); err != nil || (v.Scheme != "http" && v.Scheme != "https") || v.Host == "" {
			return fail(oosc.CodeBadParameters, "callback URL %q is not an absolute http(s) URL", clip(u))
		}
	}
	return nil
}

// CreateService creates a Service with no numbers.
func (p *Proxy) CreateService(cfg ServiceConfig) (Service, error) {
	defer p.edit()()
	if err := p.checkConfig(cfg, nil); err != nil {
		return Service{}, err
	}
	svc := p.newService(cfg)
	p.services = append(p.services, svc)
	p.byKey[svc.sid] = svc
	if cfg.UniqueName != "" {
		p.byKey[cfg.UniqueName] = svc
	}
	return svc.view(), nil
}

// Service returns the Service named by SID or uniqueName.
func (p *Proxy) Service(name string) (Service, error) {
	p.lock()
	defer p.mu.Unlock()
	svc, err := p.service(name)
	if err != nil {
		return Service{}, err
	}
	return svc.view(), nil
}

// Services returns every Service, in creation order.
func (p *Proxy) Services() []Service {
	p.lock()
	defer p.mu.Unlock()
	out := make([]Service, len(p.services))
	for i, svc := range p.services {
		out[i] = svc.view()
	}
	return out
}

// UpdateService changes a Service's configuration: the fields u sets.
// The configuration that results is checked as CreateService checks one;
// nothing changes when it is refused.
func (p *Proxy) UpdateService(name string, u ServiceUpdate) (Service, error) {
	defer p.edit()()
	svc, err := p.service(name)
	if err != nil {
		return Service{}, err
	}
	cfg := u.apply(svc.cfg)
	if err := p.checkConfig(cfg, svc); err != nil {
		return Service{}, err
	}
	if svc.cfg.UniqueName != "" {
		delete(p.byKey, svc.cfg.UniqueName)
	}
	svc.cfg, svc.updated = cfg, p.now
	if cfg.UniqueName != "" {
		p.byKey[cfg.UniqueName] = svc
	}
	return svc.view(), nil
}

// DeleteService deletes a Service with its numbers and Sessions.
func (p *Proxy) DeleteService(name string) error {
	defer p.edit()()
	svc, err := p.service(name)
	if err != nil {
		return err
	}
	for _, s := range svc.sessions {
		if !s.deleted {
			svc.delete(s)
		}
	}
	svc.deleted = true
	delete(p.byKey, svc.sid)
	if svc.cfg.UniqueName != "" {
		delete(p.byKey, svc.cfg.UniqueName)
	}
	p.services = slices.DeleteFunc(p.services, func(x *service) bool { return x == svc })
	return nil
}

func (svc *service) view() Service {
	return Service{Sid: svc.sid, ServiceConfig: svc.cfg, Created: svc.created, Updated: svc.updated}
}

// AddNumber adds a number of the account to the end of a Service's pool:
// by its SID (np.Sid, see AddAccountNumber; 20404 for a SID the account
// does not have), or by the number, which joins the account when it is
// new. A number keeps its account's PN SID in the pool. A number may be
// in one Service only (80601).
func (p *Proxy) AddNumber(service string, np NewPhoneNumber) (PhoneNumber, error) {
	defer p.edit()()
	svc, err := p.service(service)
	if err != nil {
		return PhoneNumber{}, err
	}
	an, err := p.accountNumber(np)
	if err != nil {
		return PhoneNumber{}, err
	}
	for _, other := range p.services {
		if other.byNumber[an.Number] != nil {
			return PhoneNumber{}, fail(oosc.CodePhoneNumberNotAvailable, "%s is already in the pool of Service %s", an.Number, other.sid)
		}
	}
	if an.Sid == "" {
		an.Sid = p.sid("PN")
		p.numbers.add(an)
	}
	n := &number{sid: an.Sid, value: an.Number, reserved: np.Reserved, created: p.now, updated: p.now}
	n.cc, n.area = geography(n.value)
	svc.numbers = append(svc.numbers, n)
	svc.bySid[n.sid], svc.byNumber[n.value] = n, n
	return n.view(), nil
}

func (svc *service) number(name string) (*number, error) {
	if n := svc.bySid[name]; n != nil {
		return n, nil
	}
	if n := svc.byNumber[name]; n != nil {
		return n, nil
	}
	return nil, notFound("phone number", name)
}

// Number returns a number of a Service's pool, by its PN SID or the
// number itself.
func (p *Proxy) Number(service, name string) (PhoneNumber, error) {
	p.lock()
	defer p.mu.Unlock()
	svc, err := p.service(service)
	if err != nil {
		return PhoneNumber{}, err
	}
	n, err := svc.number(name)
	if err != nil {
		return PhoneNumber{}, err
	}
	return n.view(), nil
}

// Numbers returns a Service's pool, in order.
func (p *Proxy) Numbers(service string) ([]PhoneNumber, error) {
	p.lock()
	defer p.mu.Unlock()
	svc, err := p.service(service)
	if err != nil {
		return nil, err
	}
	out := make([]PhoneNumber, len(svc.numbers))
	for i, n := range svc.numbers {
		out[i] = n.view()
	}
	return out, nil
}

// ReserveNumber sets whether a number of the pool is reserved.
func (p *Proxy) ReserveNumber(service, name string, reserved bool) (PhoneNumber, error) {
	defer p.edit()()
	svc, err := p.service(service)
	if err != nil {
		return PhoneNumber{}, err
	}
	n, err := svc.number(name)
	if err != nil {
		return PhoneNumber{}, err
	}
	n.reserved, n.updated = reserved, p.now
	return n.view(), nil
}

// RemoveNumber removes a number from a Service's pool. Participants that
// hold it keep it.
func (p *Proxy) RemoveNumber(service, name string) error {
	defer p.edit()()
	svc, err := p.service(service)
	if err != nil {
		return err
	}
	n, err := svc.number(name)
	if err != nil {
		return err
	}
	svc.numbers = slices.DeleteFunc(svc.numbers, func(x *number) bool { return x == n })
	delete(svc.bySid, n.sid)
	delete(svc.byNumber, n.value)
	return nil
}

func (n *number) view() PhoneNumber {
	return PhoneNumber{Sid: n.sid, Number: n.value, Reserved: n.reserved, InUse: n.sessions, Participants: n.participants, Created: n.created, Updated: n.updated}
}

// CreateSession creates a Session in a Service and adds its Participants
// in order, as Proxy's API does, or changes nothing and returns an *Error
// with the code of the first check that fails.
func (p *Proxy) CreateSession(service string, ns NewSession) (Session, error) {
	defer p.edit()()
	svc, err := p.service(service)
	if err != nil {
		return Session{}, err
	}
	p.tick()
	s, err := svc.create(ns)
	if err != nil {
		return Session{}, err
	}
	return s.view(), nil
}

// Session returns a Session by SID or uniqueName.
func (p *Proxy) Session(service, name string) (Session, error) {
	p.lock()
	defer p.mu.Unlock()
	_, s, err := p.session(service, name)
	if err != nil {
		return Session{}, err
	}
	return s.view(), nil
}

// Sessions returns a Service's Sessions that are not deleted, in creation
// order.
func (p *Proxy) Sessions(service string) ([]Session, error) {
	p.lock()
	defer p.mu.Unlock()
	svc, err := p.service(service)
	if err != nil {
		return nil, err
	}
	out := make([]Session, 0, svc.live)
	for _, s := range svc.sessions {
		if !s.deleted {
			out = append(out, s.view())
		}
	}
	return out, nil
}

// UpdateSession changes a Session. A status of closed closes an active
// Session (80607 when it is closed already); in-progress reopens a closed
// one (80608 for an active one), which holds its pairs again and counts its expiry from now (80604,
// and it stays closed, when one of its pairs is held by another active
// Session); any other status is 80608. ttl and dateExpiry are set first.
// A closed Session cannot be changed otherwise (80607). The Session is
// unchanged by a refused update.
func (p *Proxy) UpdateSession(service, name string, u SessionUpdate) (Session, error) {
	defer p.edit()()
	svc, s, err := p.session(service, name)
	if err != nil {
		return Session{}, err
	}
	p.tick()
	if err := svc.update(s, u); err != nil {
		return Session{}, err
	}
	return s.view(), nil
}

func (svc *service) update(s *session, u SessionUpdate) error {
	now := svc.p.now
	switch u.Status {
	case "", oosc.SessionClosed, oosc.SessionInProgress:
	default:
		return fail(oosc.CodeSessionStatusInvalid, "status %q: a Session can be updated to closed or in-progress only", u.Status)
	}
	if u.TTL != nil && *u.TTL < 0 {
		return fail(oosc.CodeParameterValidation, "ttl %v is negative", *u.TTL)
	}
	if u.DateExpiry != nil && !u.DateExpiry.IsZero() && !u.DateExpiry.After(now) {
		return fail(oosc.CodeParameterValidation, "dateExpiry %s is not in the future", u.DateExpiry.UTC().Format(time.RFC3339))
	}
	if err := svc.p.checkEnd(u.DateExpiry, u.TTL); err != nil {
		return err
	}
	switch {
	case u.Status == oosc.SessionInProgress && s.active():
		return fail(oosc.CodeSessionStatusInvalid, "Session %s is %s: only a closed Session can be reopened", s.name(), s.status)
	case u.Status == oosc.SessionInProgress:
		conflicts := make([]*participant, len(s.parts)) // of each Participant: another that holds its pair, or nil
		for i, q := range s.parts {
			other := svc.active[pair{q.identifier, q.proxy.value}]
			if other != nil && (!svc.p.o.AllowParticipantConflict || u.FailOnParticipantConflict) {
				return fail(oosc.CodeProxyIdentifierInUse, "cannot reopen Session %s: %s holds %s in Session %s", s.name(), q.identifier, q.proxy.value, other.s.name())
			}
			conflicts[i] = other
		}
		if u.DateExpiry == nil && !s.dateExpiry.IsZero() && !s.dateExpiry.After(now) {
			return fail(oosc.CodeParameterValidation, "cannot reopen Session %s: its dateExpiry %s has passed; give a new one", s.name(), s.dateExpiry.Format(time.RFC3339))
		}
		svc.apply(s, u)
		s.status, s.closedReason, s.ended, s.reopened = oosc.SessionInProgress, "", time.Time{}, now
		for i, q := range s.parts {
			svc.hold(q)
			if conflicts[i] != nil {
				svc.logConflict(codeReopenConflict, q, conflicts[i])
			}
		}
	case !s.active():
		return fail(oosc.CodeSessionClosed, "Session %s is closed", s.name())
	case u.Status == oosc.SessionClosed:
		svc.apply(s, u)
		svc.close(s, oosc.ClosedByAPI, now)
		return nil
	default:
		svc.apply(s, u)
	}
	s.updated = now
	s.schedule()
	return nil
}

// checkEnd refuses a dateExpiry past the last time the emulator holds,
// and a ttl that would carry the expiry, counted from now, past it; nil
// for what is not given.
func (p *Proxy) checkEnd(dateExpiry *time.Time, ttl *time.Duration) error {
	switch {
	case dateExpiry != nil && dateExpiry.After(endOfTime):
		return fail(oosc.CodeBadParameters, "dateExpiry %s is past %s, the last time the emulator holds", dateExpiry.UTC().Format(time.RFC3339), endOfTime.Format(time.RFC3339))
	case ttl != nil && p.now.Add(*ttl).After(endOfTime):
		return fail(oosc.CodeBadParameters, "ttl %v would carry the expiry past %s, the last time the emulator holds", *ttl, endOfTime.Format(time.RFC3339))
	}
	return nil
}

func (svc *service) apply(s *session, u SessionUpdate) {
	if u.TTL != nil {
		s.ttl = *u.TTL
	}
	if u.DateExpiry != nil {
		s.dateExpiry = u.DateExpiry.UTC()
	}
}

// CloseSession closes an active Session through the API: closedReason
// api. A closed Session gives 80607.
func (p *Proxy) CloseSession(service, name string) error {
	_, err := p.UpdateSession(service, name, SessionUpdate{Status: oosc.SessionClosed})
	return err
}

// ReopenSession reopens a closed Session, as UpdateSession with status
// in-progress does.
func (p *Proxy) ReopenSession(service, name string) error {
	_, err := p.UpdateSession(service, name, SessionUpdate{Status: oosc.SessionInProgress})
	return err
}

// DeleteSession deletes a Session with its Participants and Interactions;
// its uniqueName is free again, and its Participants count as never having
// had it.
func (p *Proxy) DeleteSession(service, name string) error {
	defer p.edit()()
	svc, s, err := p.session(service, name)
	if err != nil {
		return err
	}
	svc.delete(s)
	return nil
}

func (s *session) view() Session {
	v := Session{Sid: s.sid, ServiceSid: s.svc.sid, UniqueName: s.uniqueName, Mode: s.mode, TTL: s.ttl,
		DateExpiry: s.dateExpiry, Status: s.status, ClosedReason: s.closedReason, Created: s.created,
		Updated: s.updated, Started: s.started, LastInteraction: s.last, Ended: s.ended}
	for _, q := range s.parts {
		v.Participants = append(v.Participants, q.view())
	}
	return v
}

func (q *participant) view() Participant {
	return Participant{Sid: q.sid, SessionSid: q.s.sid, Identifier: q.identifier, ProxyIdentifier: q.proxy.value,
		ProxyIdentifierSid: q.proxy.sid, FriendlyName: q.friendlyName, Created: q.created, Updated: q.updated, Deleted: q.deleted}
}

// AddParticipant adds a Participant to a Session.
func (p *Proxy) AddParticipant(service, session string, np NewParticipant) (Participant, error) {
	defer p.edit()()
	svc, s, err := p.session(service, session)
	if err != nil {
		return Participant{}, err
	}
	p.tick()
	q, err := svc.addParticipant(s, np)
	if err != nil {
		return Participant{}, err
	}
	return q.view(), nil
}

// participant returns a Participant of s by SID, active or removed.
func (s *session) participant(sid string) (*participant, error) {
	for _, list := range [][]*participant{s.parts, s.removed} {
		for _, q := range list {
			if q.sid == sid {
				return q, nil
			}
		}
	}
	return nil, notFound("Participant", sid)
}

// Participant returns a Participant of a Session by its SID, a removed
// one too (Deleted set): Proxy's delete is a soft delete.
func (p *Proxy) Participant(service, session, sid string) (Participant, error) {
	p.lock()
	defer p.mu.Unlock()
	_, s, err := p.session(service, session)
	if err != nil {
		return Participant{}, err
	}
	q, err := s.participant(sid)
	if err != nil {
		return Participant{}, err
	}
	return q.view(), nil
}

// Participants returns a Session's Participants in the order added, the
// removed ones too (Deleted set): "the participant remains associated with
// the session", as Proxy's OpenAPI description says of its delete.
// Session.Participants holds the active ones only.
func (p *Proxy) Participants(service, session string) ([]Participant, error) {
	p.lock()
	defer p.mu.Unlock()
	_, s, err := p.session(service, session)
	if err != nil {
		return nil, err
	}
	all := slices.Concat(s.parts, s.removed)
	slices.SortFunc(all, func(a, b *participant) int { return a.order - b.order })
	out := make([]Participant, len(all))
	for i, q := range all {
		out[i] = q.view()
	}
	return out, nil
}

// RemoveParticipant removes a Participant from its Session: its pair is
// freed, its date deleted is set, and its identifier cannot be added to
// that Session again (80612), as Proxy's soft delete goes. Removing a
// removed Participant again changes nothing.
func (p *Proxy) RemoveParticipant(service, session, sid string) error {
	defer p.edit()()
	svc, s, err := p.session(service, session)
	if err != nil {
		return err
	}
	q, err := s.participant(sid)
	if err != nil || !q.deleted.IsZero() {
		return err
	}
	if s.active() {
		svc.release(q)
	}
	q.deleted, q.updated = p.now, p.now
	s.parts = slices.DeleteFunc(s.parts, func(x *participant) bool { return x == q })
	s.removed = append(s.removed, q)
	s.updated = p.now
	return nil
}

// Interactions returns a Session's Interactions, in order.
func (p *Proxy) Interactions(service, session string) ([]Interaction, error) {
	p.lock()
	defer p.mu.Unlock()
	_, s, err := p.session(service, session)
	if err != nil {
		return nil, err
	}
	out := make([]Interaction, len(s.interactions))
	for i, it := range s.interactions {
		out[i] = *it
	}
	return out, nil
}

// Interaction returns an Interaction of a Session by its SID.
func (p *Proxy) Interaction(service, session, sid string) (Interaction, error) {
	p.lock()
	defer p.mu.Unlock()
	_, s, err := p.session(service, session)
	if err != nil {
		return Interaction{}, err
	}
	for _, it := range s.interactions {
		if it.Sid == sid {
			return *it, nil
		}
	}
	return Interaction{}, notFound("Interaction", sid)
}

// DeleteInteraction deletes an Interaction of a Session.
func (p *Proxy) DeleteInteraction(service, session, sid string) error {
	defer p.edit()()
	_, s, err := p.session(service, session)
	if err != nil {
		return err
	}
	for i, it := range s.interactions {
		if it.Sid == sid {
			s.interactions = slices.Delete(s.interactions, i, i+1)
			return nil
		}
	}
	return notFound("Interaction", sid)
}

// inboundStatus is the status of an Interaction's inbound leg when it is
// made: a message received, a call answered by Proxy.
func inboundStatus(kind InteractionType) ResourceStatus {
	if kind == InteractionVoice {
		return ResourceInProgress
	}
	return ResourceReceived
}

// interact records an Interaction sid of s between two Participants.
func (svc *service) interact(s *session, sid string, kind InteractionType, data string, from, to *participant, inboundSid string) *Interaction {
	p := svc.p
	it := &Interaction{Sid: sid, SessionSid: s.sid, Type: kind, Data: data, Created: p.now, Updated: p.now}
	out, prefix := ResourceDelivered, "SM"
	if kind == InteractionVoice {
		out, prefix = ResourceInitiated, "CA"
	}
	if from != nil {
		it.InboundParticipantSid, it.InboundResourceSid, it.InboundResourceStatus = from.sid, inboundSid, inboundStatus(kind)
	}
	if to != nil {
		it.OutboundParticipantSid, it.OutboundResourceSid, it.OutboundResourceStatus = to.sid, p.sid(prefix), out
	}
	if len(s.interactions) >= p.o.MaxInteractions {
		n := len(s.interactions) - p.o.MaxInteractions + 1
		s.interactions = slices.Delete(s.interactions, 0, n)
		p.dropped += n
	}
	s.interactions = append(s.interactions, it)
	return it
}

// touch records an interaction routed through s: the Session is in
// progress and its expiry by ttl counts from now.
func (svc *service) touch(s *session) {
	now := svc.p.now
	if s.status == oosc.SessionOpen {
		s.started = now
	}
	s.status, s.last, s.updated = oosc.SessionInProgress, now, now
	s.schedule()
}

func (s *session) String() string { return fmt.Sprintf("Session %s", s.name()) }
