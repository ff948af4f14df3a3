package emulator

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/debugger"
)

// Scenario is a scenario file: a Service and the steps run against it,
// each at its time. The format is in the package documentation.
type Scenario struct {
	Service ScenarioService
	Steps   []Step
}

// ScenarioService is the Service of a scenario.
type ScenarioService struct {
	Numbers []NewPhoneNumber
	// Callback and InterceptCallback say whether the Service has an
	// out-of-session and an intercept callback; their URLs are given when
	// the scenario is run.
	Callback, InterceptCallback bool
	DefaultTTL                  time.Duration
	GeoMatchLevel               GeoMatchLevel
	NumberSelectionBehavior     NumberSelectionBehavior
}

// Step is one step of a scenario: exactly one operation, at its time,
// with what it is expected to give.
type Step struct {
	At      time.Time
	Create  *NewSession
	Close   string // close the Session of this uniqueName
	Delete  string // delete it
	Reopen  string // reopen it
	Update  *ScenarioUpdate
	Inbound *oosc.Inbound
	Expect  *Expect // nil when the step expects nothing
}

// ScenarioUpdate is an update step: the Session's uniqueName and the
// update.
type ScenarioUpdate struct {
	UniqueName string
	SessionUpdate
}

// Expect is what a step is expected to give: each field set must equal
// the step's result exactly. Session "KC*" matches any Session SID.
type Expect struct {
	Outcome   *Outcome
	Codes     *[]oosc.Code
	Cause     *oosc.Cause
	Session   *string
	DeliverTo *string
	ShownFrom *string
}

// Op is a scenario step's operation, as the scenario file names it.
type Op string

// The operations of a step.
const (
	OpCreate  Op = "create"
	OpClose   Op = "close"
	OpDelete  Op = "delete"
	OpReopen  Op = "reopen"
	OpUpdate  Op = "update"
	OpInbound Op = "inbound"
)

// Op names the step's operation; "" for a step with none.
func (s Step) Op() Op {
	switch {
	case s.Create != nil:
		return OpCreate
	case s.Close != "":
		return OpClose
	case s.Delete != "":
		return OpDelete
	case s.Reopen != "":
		return OpReopen
	case s.Update != nil:
		return OpUpdate
	case s.Inbound != nil:
		return OpInbound
	}
	return ""
}

// ScenarioError is a scenario file that cannot be run: the step (its
// index in steps, from 0; -1 for the service or the file as a whole), the
// key and what is wrong.
type ScenarioError struct {
	Step    int
	Key     string
	Message string
}

// Error names the step and the key.
func (e *ScenarioError) Error() string {
	where := "scenario"
	if e.Step >= 0 {
		where = "step " + strconv.Itoa(e.Step)
	}
	if e.Key != "" {
		where += ", " + e.Key
	}
	return where + ": " + e.Message
}

// MaxTTLSeconds is the largest ttl a scenario or a request may give, in
// seconds: the most a time.Duration holds.
const MaxTTLSeconds = math.MaxInt64 / int64(time.Second)

// reader reads the typed values of a scenario, naming where each error is.
type reader struct{ step int }

func (r reader) errorf(key, format string, args ...any) error {
	return &ScenarioError{Step: r.step, Key: key, Message: fmt.Sprintf(format, args...)}
}

// object returns v's fields, refusing keys outside allowed.
func (r reader) object(v *value, key string, allowed ...string) (map[string]*value, error) {
	if v == nil || v.kind != 'o' {
		return nil, r.errorf(key, "must be a JSON object")
	}
	for _, k := range v.keys {
		if !slices.Contains(allowed, k) {
			return nil, r.errorf(join(key, k), "unknown key; allowed: %s", strings.Join(allowed, ", "))
		}
	}
	return v.fields, nil
}

func (r reader) str(v *value, key string) (string, error) {
	if v.kind != 's' {
		return "", r.errorf(key, "must be a string")
	}
	return v.str, nil
}

func (r reader) boolean(v *value, key string) (bool, error) {
	if v.kind != 'b' {
		return false, r.errorf(key, "must be true or false")
	}
	return v.b, nil
}

func (r reader) time(v *value, key string) (time.Time, error) {
	s, err := r.str(v, key)
	if err != nil {
		return time.Time{}, r.errorf(key, "must be an RFC 3339 time")
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, r.errorf(key, "%q is not RFC 3339, such as 2026-01-05T10:00:00Z", s)
	}
	if !inRange(t) {
		return time.Time{}, r.errorf(key, "%q is not from year 1 to %s", s, endOfTime.Format(time.RFC3339))
	}
	return t.UTC(), nil
}

// ttl reads a whole, non-negative number of seconds that fits a
// time.Duration.
func (r reader) ttl(v *value, key string) (time.Duration, error) {
	if v.kind != 'n' {
		return 0, r.errorf(key, "must be a whole number of seconds")
	}
	n, err := strconv.ParseInt(v.num.String(), 10, 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange):
		return 0, r.errorf(key, "%s seconds does not fit: at most %d", v.num, MaxTTLSeconds)
	case err != nil:
		return 0, r.errorf(key, "%s is not a whole number of seconds", v.num)
	case n < 0:
		return 0, r.errorf(key, "%d is negative; use 0 or more seconds", n)
	case n > MaxTTLSeconds:
		return 0, r.errorf(key, "%d seconds does not fit: at most %d", n, MaxTTLSeconds)
	}
	return time.Duration(n) * time.Second, nil
}

// ParseScenario reads a scenario file: one JSON object with "service" and
// "steps", as the package documentation describes. Unknown keys, a key
// given twice, data after the object, a bad value, a ttl that does not
// fit, a step without exactly one operation, and time going back are
// errors naming the step and the key (a *ScenarioError).
func ParseScenario(data []byte) (*Scenario, error) {
	top := reader{step: -1}
	root, err := decodeStrict(data)
	if err != nil {
		var dup errDuplicateKey
		if errors.As(err, &dup) {
			msg := "is given twice"
			if dup.other != dup.key {
				msg = fmt.Sprintf("and %q differ only in case: give one", dup.other)
			}
			return nil, &ScenarioError{Step: -1, Key: join(dup.path, dup.key), Message: msg}
		}
		return nil, &ScenarioError{Step: -1, Message: err.Error()}
	}
	m, err := top.object(root, "", "service", "steps")
	if err != nil {
		return nil, err
	}
	sc := &Scenario{}
	if v, ok := m["service"]; ok {
		if sc.Service, err = parseService(v); err != nil {
			return nil, err
		}
	}
	if v, ok := m["steps"]; ok {
		if v.kind != 'a' {
			return nil, top.errorf("steps", "must be a list")
		}
		var last time.Time
		for i, raw := range v.items {
			st, err := parseStep(raw, i)
			if err != nil {
				return nil, err
			}
			if st.At.Before(last) {
				return nil, &ScenarioError{Step: i, Key: "at", Message: fmt.Sprintf("time goes back from %s", last.Format(time.RFC3339))}
			}
			last = st.At
			sc.Steps = append(sc.Steps, st)
		}
	}
	return sc, nil
}

func parseService(v *value) (ScenarioService, error) {
	r := reader{step: -1}
	var svc ScenarioService
	m, err := r.object(v, "service", "numbers", "callback", "interceptCallback", "defaultTtl", "geoMatchLevel", "numberSelectionBehavior")
	if err != nil {
		return svc, err
	}
	if v, ok := m["numbers"]; ok {
		if v.kind != 'a' {
			return svc, r.errorf("service.numbers", "must be a list")
		}
		seen := map[string]bool{}
		for i, item := range v.items {
			key := fmt.Sprintf("service.numbers[%d]", i)
			nm, err := r.object(item, key, "number", "reserved")
			if err != nil {
				return svc, err
			}
			var n NewPhoneNumber
			nv, ok := nm["number"]
			if !ok {
				return svc, r.errorf(key+".number", "is required")
			}
			if n.Number, err = r.str(nv, key+".number"); err != nil {
				return svc, err
			}
			if _, err := autocreate.ParseIdentifier(n.Number); err != nil {
				return svc, r.errorf(key+".number", "%q is neither E.164 nor a channel address", clip(n.Number))
			}
			if seen[n.Number] {
				return svc, r.errorf(key+".number", "%s is listed twice", n.Number)
			}
			seen[n.Number] = true
			if rv, ok := nm["reserved"]; ok {
				if n.Reserved, err = r.boolean(rv, key+".reserved"); err != nil {
					return svc, err
				}
			}
			svc.Numbers = append(svc.Numbers, n)
		}
	}
	for key, dst := range map[string]*bool{"callback": &svc.Callback, "interceptCallback": &svc.InterceptCallback} {
		if v, ok := m[key]; ok {
			if *dst, err = r.boolean(v, "service."+key); err != nil {
				return svc, err
			}
		}
	}
	if v, ok := m["defaultTtl"]; ok {
		if svc.DefaultTTL, err = r.ttl(v, "service.defaultTtl"); err != nil {
			return svc, err
		}
	}
	if v, ok := m["geoMatchLevel"]; ok {
		level, err := r.str(v, "service.geoMatchLevel")
		if err != nil {
			return svc, err
		}
		if svc.GeoMatchLevel = GeoMatchLevel(level); !slices.Contains(geoMatchLevels, svc.GeoMatchLevel) {
			return svc, r.errorf("service.geoMatchLevel", "%q: use one of %s", svc.GeoMatchLevel, joinLevels())
		}
	}
	if v, ok := m["numberSelectionBehavior"]; ok {
		nsb, err := r.str(v, "service.numberSelectionBehavior")
		if err != nil {
			return svc, err
		}
		if svc.NumberSelectionBehavior = NumberSelectionBehavior(nsb); svc.NumberSelectionBehavior != PreferSticky && svc.NumberSelectionBehavior != AvoidSticky {
			return svc, r.errorf("service.numberSelectionBehavior", "%q: use %s or %s", svc.NumberSelectionBehavior, PreferSticky, AvoidSticky)
		}
	}
	return svc, nil
}

var ops = []string{string(OpCreate), string(OpClose), string(OpDelete), string(OpReopen), string(OpUpdate), string(OpInbound)}

func parseStep(v *value, i int) (Step, error) {
	r := reader{step: i}
	var st Step
	m, err := r.object(v, "", append([]string{"at", "expect"}, ops...)...)
	if err != nil {
		return st, err
	}
	at, ok := m["at"]
	if !ok {
		return st, r.errorf("at", "is required: the step's time, RFC 3339")
	}
	if st.At, err = r.time(at, "at"); err != nil {
		return st, err
	}
	n := 0
	for _, op := range ops {
		if _, ok := m[op]; ok {
			n++
		}
	}
	if n != 1 {
		return st, r.errorf("", "a step takes exactly one of %s", strings.Join(ops, ", "))
	}
	switch {
	case m[string(OpCreate)] != nil:
		st.Create, err = r.create(m[string(OpCreate)])
	case m[string(OpClose)] != nil:
		st.Close, err = r.name(m[string(OpClose)], string(OpClose))
	case m[string(OpDelete)] != nil:
		st.Delete, err = r.name(m[string(OpDelete)], string(OpDelete))
	case m[string(OpReopen)] != nil:
		st.Reopen, err = r.name(m[string(OpReopen)], string(OpReopen))
	case m[string(OpUpdate)] != nil:
		st.Update, err = r.update(m[string(OpUpdate)])
	default:
		st.Inbound, err = r.inbound(m[string(OpInbound)])
	}
	if err != nil {
		return st, err
	}
	if v, ok := m["expect"]; ok {
		st.Expect, err = r.expect(v)
	}
	return st, err
}

// name reads the uniqueName a step names; it may not be empty.
func (r reader) name(v *value, key string) (string, error) {
	s, err := r.str(v, key)
	if err != nil || s == "" {
		return "", r.errorf(key, "must be a uniqueName, not empty")
	}
	return s, nil
}

func (r reader) create(v *value) (*NewSession, error) {
	m, err := r.object(v, string(OpCreate), "uniqueName", "mode", "ttl", "dateExpiry", "participants")
	if err != nil {
		return nil, err
	}
	ns := &NewSession{}
	if v, ok := m["uniqueName"]; ok {
		if ns.UniqueName, err = r.str(v, "create.uniqueName"); err != nil {
			return nil, err
		}
	}
	if v, ok := m["mode"]; ok {
		mode, err := r.str(v, "create.mode")
		if err != nil {
			return nil, err
		}
		ns.Mode = autocreate.Mode(mode) // an invalid mode is the create's 80701, not a file error
	}
	if v, ok := m["ttl"]; ok {
		if ns.TTL, err = r.ttl(v, "create.ttl"); err != nil {
			return nil, err
		}
	}
	if v, ok := m["dateExpiry"]; ok {
		if ns.DateExpiry, err = r.time(v, "create.dateExpiry"); err != nil {
			return nil, err
		}
	}
	if v, ok := m["participants"]; ok {
		if v.kind != 'a' {
			return nil, r.errorf("create.participants", "must be a list")
		}
		for j, item := range v.items {
			key := fmt.Sprintf("create.participants[%d]", j)
			pm, err := r.object(item, key, "identifier", "proxyIdentifier", "friendlyName")
			if err != nil {
				return nil, err
			}
			var np NewParticipant
			idv, ok := pm["identifier"]
			if !ok {
				return nil, r.errorf(key+".identifier", "is required")
			}
			if np.Identifier, err = r.str(idv, key+".identifier"); err != nil {
				return nil, err
			}
			for k, dst := range map[string]*string{"proxyIdentifier": &np.ProxyIdentifier, "friendlyName": &np.FriendlyName} {
				if v, ok := pm[k]; ok {
					if *dst, err = r.str(v, key+"."+k); err != nil {
						return nil, err
					}
				}
			}
			ns.Participants = append(ns.Participants, np)
		}
	}
	return ns, nil
}

func (r reader) update(v *value) (*ScenarioUpdate, error) {
	m, err := r.object(v, string(OpUpdate), "uniqueName", "status", "ttl", "dateExpiry")
	if err != nil {
		return nil, err
	}
	u := &ScenarioUpdate{}
	nv, ok := m["uniqueName"]
	if !ok {
		return nil, r.errorf("update.uniqueName", "is required")
	}
	if u.UniqueName, err = r.name(nv, "update.uniqueName"); err != nil {
		return nil, err
	}
	if v, ok := m["status"]; ok {
		status, err := r.str(v, "update.status")
		if err != nil {
			return nil, err
		}
		u.Status = oosc.SessionStatus(status) // a status Proxy refuses is the update's 80608, not a file error
	}
	if v, ok := m["ttl"]; ok {
		ttl, err := r.ttl(v, "update.ttl")
		if err != nil {
			return nil, err
		}
		u.TTL = &ttl
	}
	if v, ok := m["dateExpiry"]; ok {
		t, err := r.time(v, "update.dateExpiry")
		if err != nil {
			return nil, err
		}
		u.DateExpiry = &t
	}
	return u, nil
}

func (r reader) inbound(v *value) (*oosc.Inbound, error) {
	m, err := r.object(v, string(OpInbound), "channel", "from", "to", "body", "media")
	if err != nil {
		return nil, err
	}
	in := &oosc.Inbound{}
	cv, ok := m["channel"]
	if !ok {
		return nil, r.errorf("inbound.channel", "is required: voice or sms")
	}
	ch, err := r.str(cv, "inbound.channel")
	if err != nil {
		return nil, err
	}
	if in.Channel, err = oosc.ParseChannel(ch); err != nil {
		return nil, r.errorf("inbound.channel", "%q: use voice or sms (messaging is a synonym of sms)", ch)
	}
	for _, k := range []string{"from", "to"} {
		v, ok := m[k]
		if !ok {
			return nil, r.errorf("inbound."+k, "is required")
		}
		s, err := r.str(v, "inbound."+k)
		if err != nil {
			return nil, err
		}
		if k == "from" {
			in.From = s
		} else {
			in.To = s
		}
	}
	if v, ok := m["body"]; ok {
		if in.Channel != oosc.SMS {
			return nil, r.errorf("inbound.body", "only an sms has a body")
		}
		if in.Body, err = r.str(v, "inbound.body"); err != nil {
			return nil, err
		}
	}
	if v, ok := m["media"]; ok {
		if in.Channel != oosc.SMS {
			return nil, r.errorf("inbound.media", "only an sms has media")
		}
		if v.kind != 'a' {
			return nil, r.errorf("inbound.media", "must be a list of URLs")
		}
		for j, item := range v.items {
			u, err := r.str(item, fmt.Sprintf("inbound.media[%d]", j))
			if err != nil {
				return nil, err
			}
			in.Media = append(in.Media, u)
		}
	}
	return in, nil
}

func (r reader) expect(v *value) (*Expect, error) {
	m, err := r.object(v, "expect", "outcome", "codes", "cause", "session", "deliverTo", "shownFrom")
	if err != nil {
		return nil, err
	}
	e := &Expect{}
	if v, ok := m["outcome"]; ok {
		s, err := r.str(v, "expect.outcome")
		if err != nil {
			return nil, err
		}
		o := Outcome(s)
		e.Outcome = &o
	}
	for key, dst := range map[string]**string{"session": &e.Session, "deliverTo": &e.DeliverTo, "shownFrom": &e.ShownFrom} {
		if v, ok := m[key]; ok {
			s, err := r.str(v, "expect."+key)
			if err != nil {
				return nil, err
			}
			*dst = &s
		}
	}
	if v, ok := m["cause"]; ok {
		s, err := r.str(v, "expect.cause")
		if err != nil {
			return nil, err
		}
		c := oosc.Cause(s)
		e.Cause = &c
	}
	if v, ok := m["codes"]; ok {
		if v.kind != 'a' {
			return nil, r.errorf("expect.codes", "must be a list of Twilio codes, such as [80905]")
		}
		codes := []oosc.Code{}
		for j, item := range v.items {
			n, err := strconv.Atoi(item.num.String())
			if item.kind != 'n' || err != nil {
				return nil, r.errorf(fmt.Sprintf("expect.codes[%d]", j), "must be a Twilio code, such as 80905")
			}
			codes = append(codes, oosc.Code(n))
		}
		slices.Sort(codes)
		e.Codes = &codes
	}
	return e, nil
}

// StepResult is what one step of a scenario did: the JSON line oosc
// simulate --json prints for it.
type StepResult struct {
	Step      int         // the step's index in the scenario's steps, from 0, as a ScenarioError names it
	Op        Op          // the step's operation: create, close, inbound, ...
	Outcome   Outcome     // OutcomeOK or OutcomeError for an operation; a contact's for inbound
	Codes     []oosc.Code // the Twilio codes Proxy would log for the step
	Session   string      // the Session the step created or reached
	DeliverTo string      // who receives the interaction
	ShownFrom string      // the number the recipient sees it from
	Cause     oosc.Cause  // why an inbound found no open Session
	Detail    string      // what went wrong, in words
	// Events are the warnings logged before the step ran, as the clock
	// moved to its time: 80904 for each Session that expired.
	Events []debugger.Event
	// Expected says whether the step's expect held; nil when it has none.
	Expected *bool
}

// Unannounced reports whether the step logged 80905 or 80913, the
// failures a scenario exists to catch, without an expect that announces
// them.
func (r StepResult) Unannounced() bool {
	return r.Expected == nil && (slices.Contains(r.Codes, oosc.CodeUnknownScenario) || slices.Contains(r.Codes, oosc.CodeOutOfSessionCallbackError))
}

// RunOptions configure how a scenario is run: where its callbacks are,
// and how they are signed and called. A nil *RunOptions is all defaults:
// a scenario without callbacks.
type RunOptions struct {
	CallbackURL  string // the out-of-session callback, when the scenario has one
	InterceptURL string // the intercept callback, when the scenario has one
	// AuthToken signs the webhooks. Default: as New's (the value of
	// callbacktest.DefaultAuthToken).
	AuthToken string
	Client    *http.Client // default: as New's
}

// RunScenario runs sc on a new emulator whose clock starts at the first
// step, with one Service configured from the scenario and opts. Steps run
// in order; each result says what the step did and whether its expect
// held. The error is for a scenario that cannot run: a callback it has
// without a URL to call.
func RunScenario(ctx context.Context, sc *Scenario, opts *RunOptions) ([]StepResult, error) {
	var run RunOptions
	if opts != nil {
		run = *opts
	}
	if sc.Service.Callback && run.CallbackURL == "" {
		return nil, &ScenarioError{Step: -1, Key: "service.callback", Message: "the scenario has a callback, but no callback URL was given"}
	}
	if sc.Service.InterceptCallback && run.InterceptURL == "" {
		return nil, &ScenarioError{Step: -1, Key: "service.interceptCallback", Message: "the scenario has an intercept callback, but no intercept URL was given"}
	}
	var start time.Time
	if len(sc.Steps) > 0 {
		start = sc.Steps[0].At
	}
	p := New(&Options{AuthToken: run.AuthToken, Start: start, Client: run.Client})
	defer p.Close()
	cfg := ServiceConfig{UniqueName: "scenario", DefaultTTL: sc.Service.DefaultTTL, GeoMatchLevel: sc.Service.GeoMatchLevel,
		NumberSelectionBehavior: sc.Service.NumberSelectionBehavior}
	if sc.Service.Callback {
		cfg.OutOfSessionCallbackURL = run.CallbackURL
	}
	if sc.Service.InterceptCallback {
		cfg.InterceptCallbackURL = run.InterceptURL
	}
	svc, err := p.CreateService(cfg)
	if err != nil {
		return nil, &ScenarioError{Step: -1, Key: "service", Message: err.Error()}
	}
	for i, n := range sc.Service.Numbers {
		if _, err := p.AddNumber(svc.Sid, n); err != nil {
			return nil, &ScenarioError{Step: -1, Key: fmt.Sprintf("service.numbers[%d]", i), Message: err.Error()}
		}
	}
	out := make([]StepResult, 0, len(sc.Steps))
	for i, st := range sc.Steps {
		events, err := p.AdvanceTo(st.At)
		if err != nil {
			return out, &ScenarioError{Step: i, Key: "at", Message: err.Error()}
		}
		r := p.step(ctx, svc.Sid, i, st)
		r.Events = events
		if st.Expect != nil {
			unmet := st.Expect.check(r)
			held := len(unmet) == 0
			r.Expected = &held
			if !held {
				r.Detail = strings.TrimPrefix(r.Detail+"; expect not met: "+strings.Join(unmet, "; "), "; ")
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// step runs one step.
func (p *Proxy) step(ctx context.Context, service string, i int, st Step) StepResult {
	r := StepResult{Step: i, Op: st.Op(), Outcome: OutcomeOK, Codes: []oosc.Code{}}
	opErr := func(err error) StepResult {
		r.Outcome, r.Detail = OutcomeError, err.Error()
		var e *Error
		if errors.As(err, &e) {
			r.Codes, r.Detail = []oosc.Code{e.Code}, e.Message
		}
		return r
	}
	var err error
	switch r.Op {
	case OpCreate:
		var s Session
		if s, err = p.CreateSession(service, *st.Create); err == nil {
			r.Session = s.Name()
		}
	case OpClose:
		r.Session, err = st.Close, p.CloseSession(service, st.Close)
	case OpDelete:
		r.Session, err = st.Delete, p.DeleteSession(service, st.Delete)
	case OpReopen:
		r.Session, err = st.Reopen, p.ReopenSession(service, st.Reopen)
	case OpUpdate:
		r.Session = st.Update.UniqueName
		_, err = p.UpdateSession(service, st.Update.UniqueName, st.Update.SessionUpdate)
	case OpInbound:
		var res Result
		if res, err = p.Inbound(ctx, service, *st.Inbound); err == nil {
			r.Outcome, r.Codes, r.Session, r.DeliverTo, r.ShownFrom, r.Cause, r.Detail =
				res.Outcome, res.Codes, res.Session, res.DeliverTo, res.ShownFrom, res.Cause, res.Detail
		}
	default:
		err = errors.New("the step has no operation")
	}
	if err != nil {
		return opErr(err)
	}
	return r
}

// check compares a step's result with what was expected, and says each
// difference.
func (e *Expect) check(r StepResult) []string {
	var unmet []string
	diff := func(key, want, got string) {
		if want != got {
			unmet = append(unmet, fmt.Sprintf("%s: want %q, got %q", key, want, got))
		}
	}
	if e.Outcome != nil {
		diff("outcome", string(*e.Outcome), string(r.Outcome))
	}
	if e.Codes != nil && !slices.Equal(*e.Codes, r.Codes) {
		unmet = append(unmet, fmt.Sprintf("codes: want %d, got %d", *e.Codes, r.Codes))
	}
	if e.Cause != nil {
		diff("cause", string(*e.Cause), string(r.Cause))
	}
	if e.Session != nil {
		if *e.Session == "KC*" {
			if !isSID(r.Session, "KC") {
				unmet = append(unmet, fmt.Sprintf("session: want a Session SID, got %q", r.Session))
			}
		} else {
			diff("session", *e.Session, r.Session)
		}
	}
	if e.DeliverTo != nil {
		diff("deliverTo", *e.DeliverTo, r.DeliverTo)
	}
	if e.ShownFrom != nil {
		diff("shownFrom", *e.ShownFrom, r.ShownFrom)
	}
	return unmet
}

func isSID(s, prefix string) bool {
	if len(s) != 34 || !strings.HasPrefix(s, prefix) {
		return false
	}
	for _, c := range s[2:] {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
