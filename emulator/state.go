package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/oosc-dev/oosc/autocreate"
)

// The state file of oosc emulate --state: everything the emulator holds
// but the webhooks' log and the servers started by Serve, as JSON, so
// that a restored emulator goes on exactly where the saved one stopped.

// stateVersion is the version of the state file's format.
const stateVersion = 1

type stateFile struct {
	Version    int            `json:"version"`
	AccountSid string         `json:"accountSid"`
	Now        time.Time      `json:"now"`
	Seq        int            `json:"seq"`
	Services   []stateService `json:"services"`
	Events     []Event        `json:"events"`
	Deliveries []Delivery     `json:"deliveries"`
}

type stateService struct {
	Sid      string         `json:"sid"`
	Config   ServiceConfig  `json:"config"`
	Created  time.Time      `json:"created"`
	Updated  time.Time      `json:"updated"`
	Numbers  []stateNumber  `json:"numbers"`
	Sessions []stateSession `json:"sessions"`
}

type stateNumber struct {
	Sid      string    `json:"sid"`
	Number   string    `json:"number"`
	Reserved bool      `json:"reserved,omitempty"`
	Created  time.Time `json:"created"`
	Updated  time.Time `json:"updated"`
}

type stateSession struct {
	Sid             string             `json:"sid"`
	UniqueName      string             `json:"uniqueName,omitempty"`
	Mode            autocreate.Mode    `json:"mode"`
	TTL             time.Duration      `json:"ttl,omitempty"`
	DateExpiry      time.Time          `json:"dateExpiry,omitzero"`
	Status          string             `json:"status"`
	ClosedReason    string             `json:"closedReason,omitempty"`
	Created         time.Time          `json:"created"`
	Updated         time.Time          `json:"updated"`
	Started         time.Time          `json:"started,omitzero"`
	LastInteraction time.Time          `json:"lastInteraction,omitzero"`
	Reopened        time.Time          `json:"reopened,omitzero"`
	Ended           time.Time          `json:"ended,omitzero"`
	Order           int                `json:"order"`
	Participants    []stateParticipant `json:"participants"`
	Removed         []stateParticipant `json:"removed,omitempty"`
	Interactions    []Interaction      `json:"interactions,omitempty"`
}

type stateParticipant struct {
	Sid          string    `json:"sid"`
	Identifier   string    `json:"identifier"`
	ProxySid     string    `json:"proxySid"`
	Proxy        string    `json:"proxy"`
	FriendlyName string    `json:"friendlyName,omitempty"`
	Created      time.Time `json:"created"`
	Updated      time.Time `json:"updated"`
	Deleted      time.Time `json:"deleted,omitzero"`
	Order        int       `json:"order"`
}

// SaveState writes the emulator's state (Services, pools, Sessions,
// Participants, Interactions, the clock, the events and the deliveries;
// not the webhooks' log) as JSON, for RestoreState.
func (p *Proxy) SaveState(w io.Writer) error {
	p.mu.Lock()
	f := stateFile{Version: stateVersion, AccountSid: p.o.AccountSid, Now: p.now, Seq: p.seq,
		Events: slices.Clone(p.events), Deliveries: slices.Clone(p.sent)}
	for _, svc := range p.services {
		ss := stateService{Sid: svc.sid, Config: svc.cfg, Created: svc.created, Updated: svc.updated}
		for _, n := range svc.numbers {
			ss.Numbers = append(ss.Numbers, stateNumber{n.sid, n.value, n.reserved, n.created, n.updated})
		}
		for _, s := range svc.sessions {
			if s.deleted {
				continue
			}
			st := stateSession{Sid: s.sid, UniqueName: s.uniqueName, Mode: s.mode, TTL: s.ttl, DateExpiry: s.dateExpiry,
				Status: s.status, ClosedReason: s.closedReason, Created: s.created, Updated: s.updated, Started: s.started,
				LastInteraction: s.last, Reopened: s.reopened, Ended: s.ended, Order: s.order}
			for _, q := range s.parts {
				st.Participants = append(st.Participants, stateParticipantOf(q))
			}
			for _, q := range s.removed {
				st.Removed = append(st.Removed, stateParticipantOf(q))
			}
			for _, it := range s.interactions {
				st.Interactions = append(st.Interactions, *it)
			}
			ss.Sessions = append(ss.Sessions, st)
		}
		f.Services = append(f.Services, ss)
	}
	p.mu.Unlock()
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(f)
}

func stateParticipantOf(q *participant) stateParticipant {
	return stateParticipant{Sid: q.sid, Identifier: q.identifier, ProxySid: q.proxy.sid, Proxy: q.proxy.value,
		FriendlyName: q.friendlyName, Created: q.created, Updated: q.updated, Deleted: q.deleted, Order: q.order}
}

// RestoreState replaces the emulator's state with one SaveState wrote, of
// the same account. On an error (a file of another format or account,
// or that does not hold together) the state is unchanged.
func (p *Proxy) RestoreState(r io.Reader) error {
	var f stateFile
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return fmt.Errorf("emulator: the state file is not one this version wrote: %w", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case f.Version != stateVersion:
		return fmt.Errorf("emulator: state file version %d, want %d", f.Version, stateVersion)
	case f.AccountSid != p.o.AccountSid:
		return fmt.Errorf("emulator: the state file is of account %s, not %s", f.AccountSid, p.o.AccountSid)
	}
	now, seq, services, byKey := p.now, p.seq, p.services, p.byKey
	expiry, keep, events, sent, hooks := p.expiry, p.keep, p.events, p.sent, p.hooks
	p.reset()
	if err := p.restore(f); err != nil {
		p.now, p.seq, p.services, p.byKey = now, seq, services, byKey
		p.expiry, p.keep, p.events, p.sent, p.hooks = expiry, keep, events, sent, hooks
		return err
	}
	return nil
}

// restore builds the state from f, with every index.
func (p *Proxy) restore(f stateFile) error {
	p.now, p.seq = f.Now.UTC(), f.Seq
	p.events, p.sent = f.Events, f.Deliveries
	for _, ss := range f.Services {
		if ss.Sid == "" || p.byKey[ss.Sid] != nil {
			return fmt.Errorf("emulator: the state file has a Service without SID, or twice")
		}
		svc := p.emptyService(ss.Sid, ss.Config, ss.Created, ss.Updated)
		for _, sn := range ss.Numbers {
			n := &number{sid: sn.Sid, value: sn.Number, reserved: sn.Reserved, created: sn.Created, updated: sn.Updated}
			n.cc, n.area = geography(n.value)
			svc.numbers = append(svc.numbers, n)
			svc.bySid[n.sid], svc.byNumber[n.value] = n, n
		}
		detached := map[string]*number{} // numbers removed from the pool that Participants still hold
		proxyOf := func(sp stateParticipant) *number {
			if n := svc.bySid[sp.ProxySid]; n != nil && n.value == sp.Proxy {
				return n
			}
			if n := detached[sp.ProxySid]; n != nil {
				return n
			}
			n := &number{sid: sp.ProxySid, value: sp.Proxy}
			n.cc, n.area = geography(n.value)
			detached[sp.ProxySid] = n
			return n
		}
		var everyone []*participant
		for _, st := range ss.Sessions {
			if st.Sid == "" || svc.sessByID[st.Sid] != nil {
				return fmt.Errorf("emulator: the state file has a Session without SID, or twice")
			}
			s := &session{svc: svc, sid: st.Sid, uniqueName: st.UniqueName, mode: st.Mode, ttl: st.TTL, dateExpiry: st.DateExpiry,
				status: st.Status, closedReason: st.ClosedReason, created: st.Created, updated: st.Updated, started: st.Started,
				last: st.LastInteraction, reopened: st.Reopened, ended: st.Ended, order: st.Order}
			for _, list := range []struct {
				from []stateParticipant
				to   *[]*participant
			}{{st.Participants, &s.parts}, {st.Removed, &s.removed}} {
				for _, sp := range list.from {
					q := &participant{s: s, sid: sp.Sid, identifier: sp.Identifier, proxy: proxyOf(sp), friendlyName: sp.FriendlyName,
						created: sp.Created, updated: sp.Updated, deleted: sp.Deleted, order: sp.Order}
					*list.to = append(*list.to, q)
					everyone = append(everyone, q)
				}
			}
			for _, it := range st.Interactions {
				s.interactions = append(s.interactions, &it)
			}
			svc.sessions = append(svc.sessions, s)
			svc.live++
			svc.sessByID[s.sid] = s
			if s.uniqueName != "" {
				svc.sessByID[s.uniqueName] = s
			}
			if s.active() {
				for _, q := range s.parts {
					svc.hold(q)
				}
			}
		}
		slices.SortFunc(everyone, func(a, b *participant) int { return a.order - b.order })
		for _, q := range everyone {
			k := pair{q.identifier, q.proxy.value}
			svc.history[k] = append(svc.history[k], q.s)
			svc.held[q.identifier] = append(svc.held[q.identifier], q)
		}
		for _, s := range svc.sessions {
			s.schedule()
		}
		p.services = append(p.services, svc)
		p.byKey[svc.sid] = svc
		if svc.cfg.UniqueName != "" {
			p.byKey[svc.cfg.UniqueName] = svc
		}
	}
	return nil
}
