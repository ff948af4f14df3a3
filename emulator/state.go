package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/internal/proxyform"
)

// The state file of oosc emulate --state: everything the emulator holds
// but the webhooks' log and the servers started by Serve, as JSON, so
// that a restored emulator goes on exactly where the saved one stopped.

// stateVersion is the version of the state file's format. Version 2
// holds the events as package debugger models them; RestoreState reads
// version 1 too, whose events it converts.
const stateVersion = 2

type stateFile struct {
	Version    int              `json:"version"`
	AccountSid string           `json:"accountSid"`
	Now        time.Time        `json:"now"`
	Seq        int              `json:"seq"`
	Services   []stateService   `json:"services"`
	Numbers    []AccountNumber  `json:"accountNumbers,omitempty"` // the account's; pool numbers join it on restore
	Events     []debugger.Event `json:"events"`
	Deliveries []Delivery       `json:"deliveries"`
	Dropped    *stateDropped    `json:"dropped,omitempty"`
}

// stateDropped counts what the bounded logs dropped, so that a restored
// log goes on counting from where the saved one was.
type stateDropped struct {
	Events       int `json:"events,omitempty"`
	Deliveries   int `json:"deliveries,omitempty"`
	Interactions int `json:"interactions,omitempty"`
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
	Status          oosc.SessionStatus `json:"status"`
	ClosedReason    oosc.ClosedReason  `json:"closedReason,omitempty"`
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
// Participants, Interactions, the clock, the events and the deliveries
// its logs hold, and how many they dropped; not the webhooks' log) as
// JSON, for RestoreState.
func (p *Proxy) SaveState(w io.Writer) error {
	f := p.stateFile()
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	return enc.Encode(f)
}

// stateFile copies the state under the lock.
func (p *Proxy) stateFile() stateFile {
	p.lock()
	defer p.mu.Unlock()
	f := stateFile{Version: stateVersion, AccountSid: p.o.AccountSid, Now: p.now, Seq: p.seq,
		Numbers: slices.Clone(p.numbers.list), Events: p.events.all(), Deliveries: p.sent.all()}
	if d := (stateDropped{p.events.dropped(), p.sent.dropped(), p.dropped}); d != (stateDropped{}) {
		f.Dropped = &d
	}
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
	return f
}

func stateParticipantOf(q *participant) stateParticipant {
	return stateParticipant{Sid: q.sid, Identifier: q.identifier, ProxySid: q.proxy.sid, Proxy: q.proxy.value,
		FriendlyName: q.friendlyName, Created: q.created, Updated: q.updated, Deleted: q.deleted, Order: q.order}
}

// StateError is a state file RestoreState refuses: what is wrong with it,
// naming the resource at fault.
type StateError struct {
	Problem string
}

// Error says what is wrong.
func (e *StateError) Error() string { return "emulator: state file: " + e.Problem }

func stateErrorf(format string, args ...any) *StateError {
	return &StateError{Problem: fmt.Sprintf(format, args...)}
}

// maxDropped bounds the counts of dropped entries a state file may give,
// and maxSeq its SID counter, far below where counting on would overflow
// (a counter past the largest int numbered SIDs "KS-8000...").
const (
	maxDropped = 1 << 53
	maxSeq     = 1 << 53
)

// maxStateDepth bounds the nesting of a state file: the format nests six
// levels.
const maxStateDepth = 8

// RestoreState replaces the emulator's state with one SaveState wrote, of
// the same account. The whole file is checked first; a *StateError says
// what does not hold: JSON with a key given twice (or twice in different
// case), data after it, an unknown key, another format or account, a
// time outside years 1 to 9999, a SID malformed, given twice or above
// the file's counter, a uniqueName twice or shaped like a SID, two active
// Sessions holding one identifier/proxy number pair (unless the emulator
// allows participant conflicts), and the like. On
// an error the state is unchanged. In-use counts are recomputed; logs
// longer than the Options' bounds keep their latest entries.
func (p *Proxy) RestoreState(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("emulator: reading the state file: %w", err)
	}
	if err := checkJSON(data, maxStateDepth); err != nil {
		return stateErrorf("%v", err)
	}
	f, err := readState(data)
	if err != nil {
		return err
	}
	p.lock()
	account := p.o.AccountSid
	p.mu.Unlock()
	switch {
	case f.AccountSid != account:
		return stateErrorf("it is of account %s, not %s: start with --account-sid %s, or use another file", f.AccountSid, account, f.AccountSid)
	}
	if err := checkState(&f); err != nil {
		return err
	}
	defer p.edit()()
	now, seq, epoch, services, byKey, numbers := p.now, p.seq, p.epoch, p.services, p.byKey, p.numbers
	expiry, keep, events, sent, hooks, dropped := p.expiry, p.keep, p.events, p.sent, p.hooks, p.dropped
	p.reset()
	if err := p.restore(f); err != nil {
		p.now, p.seq, p.epoch, p.services, p.byKey, p.numbers = now, seq, epoch, services, byKey, numbers
		p.expiry, p.keep, p.events, p.sent, p.hooks, p.dropped = expiry, keep, events, sent, hooks, dropped
		return err
	}
	return nil
}

// readState decodes a state file of a version this one reads: the
// current one, or version 1, whose events it converts.
func readState(data []byte) (stateFile, error) {
	var head struct {
		Version int `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return stateFile{}, stateErrorf("not one this version wrote: %v", err)
	}
	strict := func(v any) error {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			return stateErrorf("not one this version wrote: %v", err)
		}
		return nil
	}
	switch head.Version {
	case stateVersion:
		var f stateFile
		return f, strict(&f)
	case 1:
		var f stateFileV1
		if err := strict(&f); err != nil {
			return stateFile{}, err
		}
		return f.convert(), nil
	}
	if head.Version > stateVersion {
		return stateFile{}, stateErrorf("version %d: this oosc reads versions 1 and %d; a newer oosc wrote it", head.Version, stateVersion)
	}
	return stateFile{}, stateErrorf("version %d: this oosc reads versions 1 and %d; a state file says its version, from 1", head.Version, stateVersion)
}

// stateFileV1 is a state file of version 1, whose events had the
// emulator's own shape, and whose deliveries named their time "at" and
// their Session's SID "session".
type stateFileV1 struct {
	stateFile
	Events     []stateEventV1    `json:"events"`
	Deliveries []stateDeliveryV1 `json:"deliveries"`
}

type stateDeliveryV1 struct {
	At      time.Time    `json:"at"`
	To      string       `json:"to"`
	From    string       `json:"from"`
	Channel oosc.Channel `json:"channel"`
	Body    string       `json:"body,omitempty"`
	Media   []string     `json:"media,omitempty"`
	Session string       `json:"session,omitempty"`
}

type stateEventV1 struct {
	At          time.Time  `json:"at"`
	Code        oosc.Code  `json:"code"`
	Service     string     `json:"service,omitempty"`
	Session     string     `json:"session,omitempty"`
	From        string     `json:"from,omitempty"`
	To          string     `json:"to,omitempty"`
	Cause       oosc.Cause `json:"cause,omitempty"`
	Detail      string     `json:"detail,omitempty"`
	Explanation string     `json:"explanation,omitempty"`
	Fix         string     `json:"fix,omitempty"`
}

// convert gives the events of version 1 the current shape: numbered as
// the emulator numbers them, explained anew but with the summary and fix
// they were logged with (the webhook they were explained from is not in
// the file).
func (f stateFileV1) convert() stateFile {
	out := f.stateFile
	out.Version = stateVersion
	first := 1
	if f.Dropped != nil {
		first += f.Dropped.Events
	}
	for i, old := range f.Events {
		e := debugger.Event{Sid: proxyform.SID("NO", first+i), AccountSid: f.AccountSid, Level: "ERROR", Time: old.At, Code: old.Code,
			ServiceSid: old.Service, Text: old.Detail, Cause: old.Cause, Session: old.Session, From: old.From, To: old.To}
		if old.Code.Warning() {
			e.Level = "WARNING"
		}
		x := debugger.Explain(e)
		if old.Explanation != "" || old.Fix != "" {
			x.Summary, x.Fix = old.Explanation, old.Fix
		}
		e.Explanation = &x
		out.Events = append(out.Events, e)
	}
	for _, d := range f.Deliveries {
		out.Deliveries = append(out.Deliveries, Delivery{Time: d.At, To: d.To, From: d.From, Channel: d.Channel, Body: d.Body,
			Media: d.Media, SessionSid: d.Session})
	}
	return out
}

// checkState checks what a state file says against what the emulator can
// hold, resource by resource; restore checks how they fit together.
func checkState(f *stateFile) error {
	c := stateChecker{seq: f.Seq, sids: map[string]string{}}
	if f.Seq < 0 || f.Seq > maxSeq {
		return stateErrorf("seq %d is not from 0 to %d", f.Seq, maxSeq)
	}
	if err := c.time("now", f.Now, false); err != nil {
		return err
	}
	for _, ss := range f.Services {
		what := "Service " + ss.Sid
		if err := c.sid(what, ss.Sid, "KS"); err != nil {
			return err
		}
		if isSIDShaped(ss.Config.UniqueName, "KS") {
			return stateErrorf("%s has uniqueName %q, shaped like a Service SID", what, ss.Config.UniqueName)
		}
		if err := c.times(what, ss.Created, ss.Updated); err != nil {
			return err
		}
		for _, sn := range ss.Numbers {
			if err := c.sid(what+", phone number "+sn.Sid, sn.Sid, "PN"); err != nil {
				return err
			}
			if _, err := autocreate.ParseIdentifier(sn.Number); err != nil {
				return stateErrorf("%s, phone number %s: %q is neither E.164 nor a channel address", what, sn.Sid, clip(sn.Number))
			}
			if err := c.times(what+", phone number "+sn.Sid, sn.Created, sn.Updated); err != nil {
				return err
			}
		}
		for _, st := range ss.Sessions {
			if err := c.session(what+", Session "+st.Sid, st); err != nil {
				return err
			}
		}
	}
	seen := map[string]bool{}
	for _, n := range f.Numbers {
		what := "account number " + n.Sid
		if sid, err := strconv.ParseUint(n.Sid[min(2, len(n.Sid)):], 16, 63); !isSIDShaped(n.Sid, "PN") || err != nil || sid == 0 || sid > uint64(f.Seq) {
			return stateErrorf("%s: SID %q is not PN and 32 hex digits numbered within the file's seq %d", what, clip(n.Sid), f.Seq)
		}
		if _, err := autocreate.ParseIdentifier(n.Number); err != nil {
			return stateErrorf("%s: %q is neither E.164 nor a channel address", what, clip(n.Number))
		}
		if seen[n.Sid] || seen[n.Number] {
			return stateErrorf("%s: its SID or its number is given twice", what)
		}
		seen[n.Sid], seen[n.Number] = true, true
	}
	for i, e := range f.Events {
		if err := c.time(fmt.Sprintf("event %d", i), e.Time, false); err != nil {
			return err
		}
		if e.Webhook != nil {
			if err := c.time(fmt.Sprintf("event %d, webhook", i), e.Webhook.Time, true); err != nil {
				return err
			}
		}
	}
	for i, d := range f.Deliveries {
		what := fmt.Sprintf("delivery %d", i)
		if err := c.time(what, d.Time, false); err != nil {
			return err
		}
		switch d.Source {
		case "", SourceRouted, SourceMessage, SourceTwiML:
		default:
			return stateErrorf("%s: source %q is not routed, message-interaction or twiml", what, clip(string(d.Source)))
		}
		if d.ServiceSid != "" && !isSIDShaped(d.ServiceSid, "KS") {
			return stateErrorf("%s: serviceSid %q is not KS and 32 hex digits", what, clip(d.ServiceSid))
		}
	}
	if d := f.Dropped; d != nil {
		for _, n := range []int{d.Events, d.Deliveries, d.Interactions} {
			if n < 0 || n > maxDropped {
				return stateErrorf("a count of dropped entries, %d, is not from 0 to %d", n, maxDropped)
			}
		}
	}
	return nil
}

// stateChecker checks a state file's resources: every SID well-formed,
// given once, and numbered within the file's counter.
type stateChecker struct {
	seq  int
	sids map[string]string // SID -> what holds it
}

func (c *stateChecker) sid(what, sid, prefix string) error {
	if !isSIDShaped(sid, prefix) {
		return stateErrorf("%s: SID %q is not %s and 32 hex digits", what, clip(sid), prefix)
	}
	n, err := strconv.ParseUint(sid[2:], 16, 63)
	if err != nil || n == 0 || n > uint64(c.seq) {
		return stateErrorf("%s: SID %s is numbered above the file's seq %d: the file was edited or cut; a new resource would get the same SID", what, sid, c.seq)
	}
	if other, dup := c.sids[sid]; dup {
		if other == what {
			return stateErrorf("%s is given twice", what)
		}
		return stateErrorf("%s: SID %s is also %s's", what, sid, other)
	}
	c.sids[sid] = what
	return nil
}

func (c *stateChecker) order(what string, order int) error {
	if order < 1 || order > c.seq {
		return stateErrorf("%s: order %d is not from 1 to the file's seq %d", what, order, c.seq)
	}
	return nil
}

// time checks that a time is one the emulator can hold; a zero time is
// one not set, allowed where optional.
func (c *stateChecker) time(what string, t time.Time, optional bool) error {
	switch {
	case t.IsZero() && optional:
		return nil
	case t.IsZero() || !inRange(t):
		return stateErrorf("%s: time %s is not from year 1 to %s", what, t.UTC().Format(time.RFC3339), endOfTime.Format(time.RFC3339))
	}
	return nil
}

func (c *stateChecker) times(what string, ts ...time.Time) error {
	for _, t := range ts {
		if err := c.time(what, t, false); err != nil {
			return err
		}
	}
	return nil
}

func (c *stateChecker) session(what string, st stateSession) error {
	if err := c.sid(what, st.Sid, "KC"); err != nil {
		return err
	}
	if err := c.order(what, st.Order); err != nil {
		return err
	}
	switch {
	case isSIDShaped(st.UniqueName, "KC"):
		return stateErrorf("%s has uniqueName %q, shaped like a Session SID", what, st.UniqueName)
	case utf8.RuneCountInString(st.UniqueName) > autocreate.MaxUniqueNameLength:
		return stateErrorf("%s: uniqueName is over %d characters", what, autocreate.MaxUniqueNameLength)
	case !st.Mode.Valid():
		return stateErrorf("%s: mode %q is not message-only, voice-only or voice-and-message", what, st.Mode)
	case st.TTL < 0:
		return stateErrorf("%s: ttl %v is negative", what, st.TTL)
	}
	switch st.Status {
	case oosc.SessionOpen, oosc.SessionInProgress:
		if st.ClosedReason != "" || !st.Ended.IsZero() {
			return stateErrorf("%s is %s but has a closedReason or an end", what, st.Status)
		}
		if len(st.Participants) > 2 {
			return stateErrorf("%s has %d Participants; a Session has two at most", what, len(st.Participants))
		}
	case oosc.SessionClosed:
		if st.ClosedReason != oosc.ClosedByAPI && st.ClosedReason != oosc.ClosedByExpiry {
			return stateErrorf("%s is closed with closedReason %q, not %s or %s", what, st.ClosedReason, oosc.ClosedByAPI, oosc.ClosedByExpiry)
		}
		if st.Ended.IsZero() {
			return stateErrorf("%s is closed but has no end time", what)
		}
	default:
		return stateErrorf("%s: status %q is not %s, %s or %s", what, st.Status, oosc.SessionOpen, oosc.SessionInProgress, oosc.SessionClosed)
	}
	if err := c.times(what, st.Created, st.Updated); err != nil {
		return err
	}
	for _, t := range []struct {
		name string
		at   time.Time
	}{{"dateExpiry", st.DateExpiry}, {"started", st.Started}, {"lastInteraction", st.LastInteraction}, {"reopened", st.Reopened}, {"ended", st.Ended}} {
		if err := c.time(what+", "+t.name, t.at, true); err != nil {
			return err
		}
	}
	ids := map[string]bool{}
	for _, list := range [][]stateParticipant{st.Participants, st.Removed} {
		for _, sp := range list {
			pw := what + ", Participant " + sp.Sid
			if err := c.sid(pw, sp.Sid, "KP"); err != nil {
				return err
			}
			if err := c.order(pw, sp.Order); err != nil {
				return err
			}
			if ids[sp.Identifier] {
				return stateErrorf("%s: its identifier is another Participant's of the Session", pw)
			}
			ids[sp.Identifier] = true
			if _, err := autocreate.ParseIdentifier(sp.Identifier); err != nil {
				return stateErrorf("%s: identifier %q is neither E.164 nor a channel address", pw, clip(sp.Identifier))
			}
			if _, err := autocreate.ParseIdentifier(sp.Proxy); err != nil || !isSIDShaped(sp.ProxySid, "PN") {
				return stateErrorf("%s: its proxy number or proxy SID is malformed", pw)
			}
			if err := c.times(pw, sp.Created, sp.Updated); err != nil {
				return err
			}
			if err := c.time(pw, sp.Deleted, true); err != nil {
				return err
			}
		}
	}
	for _, it := range st.Interactions {
		iw := what + ", Interaction " + it.Sid
		if err := c.sid(iw, it.Sid, "KI"); err != nil {
			return err
		}
		if it.SessionSid != st.Sid {
			return stateErrorf("%s belongs to Session %s", iw, clip(it.SessionSid))
		}
		for _, r := range []string{it.InboundResourceSid, it.OutboundResourceSid} {
			if r == "" {
				continue
			}
			prefix := r[:min(2, len(r))]
			if prefix != "CA" && prefix != "SM" {
				prefix = "CA or SM"
			}
			if err := c.sid(iw, r, prefix); err != nil {
				return err
			}
		}
		if err := c.times(iw, it.Created, it.Updated); err != nil {
			return err
		}
	}
	return nil
}

// restore builds the state from a checked f, with every index, and checks
// how its resources fit together.
func (p *Proxy) restore(f stateFile) error {
	p.now, p.seq = f.Now.UTC(), f.Seq
	var dropped stateDropped
	if f.Dropped != nil {
		dropped = *f.Dropped
	}
	p.events.restore(f.Events, dropped.Events)
	restoreRing(p.sent, f.Deliveries, dropped.Deliveries)
	p.dropped = dropped.Interactions
	for _, n := range f.Numbers {
		p.numbers.add(n)
	}
	pools := map[string]string{} // number -> the Service whose pool holds it
	for _, ss := range f.Services {
		if name := ss.Config.UniqueName; name != "" && p.byKey[name] != nil {
			return stateErrorf("Services %s and %s have the same uniqueName %q", p.byKey[name].sid, ss.Sid, name)
		}
		if err := p.checkConfig(ss.Config, nil); err != nil {
			return stateErrorf("Service %s: %s", ss.Sid, err.(*Error).Message)
		}
		svc := p.emptyService(ss.Sid, ss.Config, ss.Created, ss.Updated)
		for _, sn := range ss.Numbers {
			if other, dup := pools[sn.Number]; dup {
				return stateErrorf("phone number %s of Service %s is also in the pool of Service %s; a number is in one pool only", sn.Sid, ss.Sid, other)
			}
			pools[sn.Number] = ss.Sid
			switch sid, number := p.numbers.byNumber[sn.Number], p.numbers.bySid[sn.Sid]; {
			case sid == "" && number == "":
				p.numbers.add(AccountNumber{Sid: sn.Sid, Number: sn.Number}) // a file written before accountNumbers
			case sid != sn.Sid || number != sn.Number:
				return stateErrorf("phone number %s of Service %s is not the account's number of that SID", sn.Sid, ss.Sid)
			}
			n := &number{sid: sn.Sid, value: sn.Number, reserved: sn.Reserved, created: sn.Created, updated: sn.Updated}
			n.cc, n.area = geography(n.value)
			svc.numbers = append(svc.numbers, n)
			svc.bySid[n.sid], svc.byNumber[n.value] = n, n
		}
		detached := map[string]*number{} // numbers removed from the pool that Participants still hold
		proxyOf := func(sp stateParticipant) (*number, bool) {
			if n := svc.bySid[sp.ProxySid]; n != nil {
				return n, n.value == sp.Proxy
			}
			if n := detached[sp.ProxySid]; n != nil {
				return n, n.value == sp.Proxy
			}
			n := &number{sid: sp.ProxySid, value: sp.Proxy}
			n.cc, n.area = geography(n.value)
			detached[sp.ProxySid] = n
			return n, true
		}
		var everyone []*participant
		for _, st := range ss.Sessions {
			what := "Service " + ss.Sid + ", Session " + st.Sid
			if st.UniqueName != "" && svc.sessByID[st.UniqueName] != nil {
				return stateErrorf("%s has uniqueName %q, as Session %s has", what, st.UniqueName, svc.sessByID[st.UniqueName].sid)
			}
			s := &session{svc: svc, sid: st.Sid, uniqueName: st.UniqueName, mode: st.Mode, ttl: st.TTL, dateExpiry: st.DateExpiry,
				status: st.Status, closedReason: st.ClosedReason, created: st.Created, updated: st.Updated, started: st.Started,
				last: st.LastInteraction, reopened: st.Reopened, ended: st.Ended, order: st.Order}
			for _, list := range []struct {
				from []stateParticipant
				to   *[]*participant
			}{{st.Participants, &s.parts}, {st.Removed, &s.removed}} {
				for _, sp := range list.from {
					n, ok := proxyOf(sp)
					if !ok {
						return stateErrorf("%s, Participant %s: its proxy number is not the one SID %s names", what, sp.Sid, sp.ProxySid)
					}
					q := &participant{s: s, sid: sp.Sid, identifier: sp.Identifier, proxy: n, friendlyName: sp.FriendlyName,
						created: sp.Created, updated: sp.Updated, deleted: sp.Deleted, order: sp.Order}
					*list.to = append(*list.to, q)
					everyone = append(everyone, q)
				}
			}
			interactions := st.Interactions
			if extra := len(interactions) - p.o.MaxInteractions; extra > 0 {
				interactions, p.dropped = interactions[extra:], p.dropped+extra
			}
			for _, it := range interactions {
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
					if other := svc.active[pair{q.identifier, q.proxy.value}]; other != nil && !p.o.AllowParticipantConflict {
						return stateErrorf("%s and Session %s are both active and both give Participants %s and %s the same identifier and proxy number; "+
							"Proxy lets one active Session hold a pair: close one of them (status %q)", what, other.s.sid, q.sid, other.sid, oosc.SessionClosed)
					}
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

// restoreRing fills an empty log with entries, of which dropped came
// before them, keeping the latest its bound allows.
func restoreRing[T any](r *ring[T], entries []T, dropped int) {
	if extra := len(entries) - r.max; extra > 0 {
		entries, dropped = entries[extra:], dropped+extra
	}
	r.total = dropped
	for _, e := range entries {
		r.push(e)
	}
}
