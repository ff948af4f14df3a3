package callbacktest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
)

// Scenario is a scenario file for oosc simulate: a Service and the steps
// run against it, each at its time.
type Scenario struct {
	Numbers    []Number
	Callback   bool          // whether the Service has an out-of-session callback
	DefaultTTL time.Duration // the Service's defaultTtl
	Steps      []Step
}

// Step is one step of a scenario: exactly one of its operations.
type Step struct {
	At      time.Time
	Create  *NewSession // create a Session
	Close   string      // close the Session with this uniqueName
	Delete  string      // delete the Session with this uniqueName
	Inbound *Inbound    // an inbound contact
}

// Op names the step's operation: create, close, delete or inbound; ""
// for a step with none.
func (s Step) Op() string {
	switch {
	case s.Create != nil:
		return "create"
	case s.Close != "":
		return "close"
	case s.Delete != "":
		return "delete"
	case s.Inbound != nil:
		return "inbound"
	}
	return ""
}

// ScenarioError is a scenario file that cannot be run: the step (-1 for
// the service or the file), the key and what is wrong.
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

// object decodes one JSON object strictly: its keys must be among allowed.
func object(raw json.RawMessage, step int, path string, allowed ...string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, &ScenarioError{Step: step, Key: path, Message: "must be a JSON object"}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ok := false
		for _, a := range allowed {
			ok = ok || k == a
		}
		if !ok {
			key := k
			if path != "" {
				key = path + "." + k
			}
			return nil, &ScenarioError{Step: step, Key: key, Message: fmt.Sprintf("unknown key; allowed: %s", strings.Join(allowed, ", "))}
		}
	}
	return m, nil
}

func value(raw json.RawMessage, dst any, step int, key, want string) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return &ScenarioError{Step: step, Key: key, Message: "must be " + want}
	}
	return nil
}

// ParseScenario reads a scenario file (proxy-emulator.md section 4): one
// JSON object with "service" and "steps". Unknown keys, a bad value, a step
// without exactly one operation, and time going back are errors naming the
// step and the key.
func ParseScenario(data []byte) (*Scenario, error) {
	top, err := object(data, -1, "", "service", "steps")
	if err != nil {
		return nil, err
	}
	sc := &Scenario{}
	if raw, ok := top["service"]; ok {
		svc, err := object(raw, -1, "service", "numbers", "callback", "defaultTtl")
		if err != nil {
			return nil, err
		}
		if raw, ok := svc["numbers"]; ok {
			var list []json.RawMessage
			if err := value(raw, &list, -1, "service.numbers", "a list"); err != nil {
				return nil, err
			}
			for i, n := range list {
				key := fmt.Sprintf("service.numbers[%d]", i)
				m, err := object(n, -1, key, "number", "reserved")
				if err != nil {
					return nil, err
				}
				var num Number
				if err := value(m["number"], &num.Number, -1, key+".number", "a string"); err != nil {
					return nil, err
				}
				if raw, ok := m["reserved"]; ok {
					if err := value(raw, &num.Reserved, -1, key+".reserved", "true or false"); err != nil {
						return nil, err
					}
				}
				if _, err := autocreate.ParseIdentifier(num.Number); err != nil {
					return nil, &ScenarioError{Step: -1, Key: key + ".number", Message: fmt.Sprintf("%q is neither E.164 nor a channel address", num.Number)}
				}
				sc.Numbers = append(sc.Numbers, num)
			}
		}
		if raw, ok := svc["callback"]; ok {
			if err := value(raw, &sc.Callback, -1, "service.callback", "true or false"); err != nil {
				return nil, err
			}
		}
		if raw, ok := svc["defaultTtl"]; ok {
			var secs int64
			if err := value(raw, &secs, -1, "service.defaultTtl", "a whole number of seconds"); err != nil || secs < 0 {
				return nil, &ScenarioError{Step: -1, Key: "service.defaultTtl", Message: "must be a whole, non-negative number of seconds"}
			}
			sc.DefaultTTL = time.Duration(secs) * time.Second
		}
	}
	var steps []json.RawMessage
	if raw, ok := top["steps"]; ok {
		if err := value(raw, &steps, -1, "steps", "a list"); err != nil {
			return nil, err
		}
	}
	var last time.Time
	for i, raw := range steps {
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
	return sc, nil
}

func parseStep(raw json.RawMessage, i int) (Step, error) {
	m, err := object(raw, i, "", "at", "create", "close", "delete", "inbound")
	if err != nil {
		return Step{}, err
	}
	var st Step
	var at string
	if err := value(m["at"], &at, i, "at", "an RFC 3339 time"); err != nil {
		return Step{}, err
	}
	if st.At, err = time.Parse(time.RFC3339, at); err != nil {
		return Step{}, &ScenarioError{Step: i, Key: "at", Message: fmt.Sprintf("%q is not RFC 3339", at)}
	}
	ops := 0
	for _, k := range []string{"create", "close", "delete", "inbound"} {
		if _, ok := m[k]; ok {
			ops++
		}
	}
	if ops != 1 {
		return Step{}, &ScenarioError{Step: i, Message: "a step takes exactly one of create, close, delete, inbound"}
	}
	switch {
	case m["close"] != nil:
		err = name(m["close"], &st.Close, i, "close")
	case m["delete"] != nil:
		err = name(m["delete"], &st.Delete, i, "delete")
	case m["create"] != nil:
		st.Create, err = parseCreate(m["create"], i)
	default:
		st.Inbound, err = parseInbound(m["inbound"], i)
	}
	return st, err
}

// name reads the uniqueName a close or delete step names; it may not be empty.
func name(raw json.RawMessage, dst *string, i int, key string) error {
	if err := value(raw, dst, i, key, "a uniqueName"); err != nil {
		return err
	}
	if *dst == "" {
		return &ScenarioError{Step: i, Key: key, Message: "must be a uniqueName, not empty"}
	}
	return nil
}

func parseCreate(raw json.RawMessage, i int) (*NewSession, error) {
	m, err := object(raw, i, "create", "uniqueName", "mode", "ttl", "dateExpiry", "participants")
	if err != nil {
		return nil, err
	}
	ns := &NewSession{}
	if raw, ok := m["uniqueName"]; ok {
		if err := value(raw, &ns.UniqueName, i, "create.uniqueName", "a string"); err != nil {
			return nil, err
		}
	}
	if raw, ok := m["mode"]; ok {
		var mode string
		if err := value(raw, &mode, i, "create.mode", "a string"); err != nil {
			return nil, err
		}
		ns.Mode = autocreate.Mode(mode) // an invalid mode is the create's 80701, not a file error
	}
	if raw, ok := m["ttl"]; ok {
		var secs int64
		if err := value(raw, &secs, i, "create.ttl", "a whole number of seconds"); err != nil {
			return nil, err
		}
		ns.TTL = time.Duration(secs) * time.Second
	}
	if raw, ok := m["dateExpiry"]; ok {
		var d string
		if err := value(raw, &d, i, "create.dateExpiry", "an RFC 3339 time"); err != nil {
			return nil, err
		}
		if ns.DateExpiry, err = time.Parse(time.RFC3339, d); err != nil {
			return nil, &ScenarioError{Step: i, Key: "create.dateExpiry", Message: fmt.Sprintf("%q is not RFC 3339", d)}
		}
	}
	if raw, ok := m["participants"]; ok {
		var list []json.RawMessage
		if err := value(raw, &list, i, "create.participants", "a list"); err != nil {
			return nil, err
		}
		for j, pr := range list {
			key := fmt.Sprintf("create.participants[%d]", j)
			pm, err := object(pr, i, key, "identifier", "proxyIdentifier", "friendlyName")
			if err != nil {
				return nil, err
			}
			var np NewParticipant
			if err := value(pm["identifier"], &np.Identifier, i, key+".identifier", "a string"); err != nil {
				return nil, err
			}
			for k, dst := range map[string]*string{"proxyIdentifier": &np.ProxyIdentifier, "friendlyName": &np.FriendlyName} {
				if raw, ok := pm[k]; ok {
					if err := value(raw, dst, i, key+"."+k, "a string"); err != nil {
						return nil, err
					}
				}
			}
			ns.Participants = append(ns.Participants, np)
		}
	}
	return ns, nil
}

func parseInbound(raw json.RawMessage, i int) (*Inbound, error) {
	m, err := object(raw, i, "inbound", "channel", "from", "to", "body", "media")
	if err != nil {
		return nil, err
	}
	in := &Inbound{}
	var ch string
	if err := value(m["channel"], &ch, i, "inbound.channel", "voice or sms"); err != nil {
		return nil, err
	}
	switch ch {
	case "voice":
		in.Channel = callback.Voice
	case "sms":
		in.Channel = callback.Messaging
	default:
		return nil, &ScenarioError{Step: i, Key: "inbound.channel", Message: fmt.Sprintf("%q: must be voice or sms", ch)}
	}
	if err := value(m["from"], &in.From, i, "inbound.from", "a string"); err != nil {
		return nil, err
	}
	if err := value(m["to"], &in.To, i, "inbound.to", "a string"); err != nil {
		return nil, err
	}
	if raw, ok := m["body"]; ok {
		if in.Channel != callback.Messaging {
			return nil, &ScenarioError{Step: i, Key: "inbound.body", Message: "only an sms has a body"}
		}
		if err := value(raw, &in.Body, i, "inbound.body", "a string"); err != nil {
			return nil, err
		}
	}
	if raw, ok := m["media"]; ok {
		if in.Channel != callback.Messaging {
			return nil, &ScenarioError{Step: i, Key: "inbound.media", Message: "only an sms has media"}
		}
		if err := value(raw, &in.Media, i, "inbound.media", "a list of URLs"); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// StepResult is the outcome of one scenario step, as oosc simulate prints it.
type StepResult struct {
	Step      int    `json:"step"`
	Op        string `json:"op"`
	Outcome   string `json:"outcome"` // ok or error; routed, twiml, created, failed or ignored
	Codes     []int  `json:"codes"`
	Session   string `json:"session,omitempty"`
	DeliverTo string `json:"deliverTo,omitempty"`
	ShownFrom string `json:"shownFrom,omitempty"`
	Cause     Cause  `json:"cause,omitempty"`
	Detail    string `json:"detail,omitempty"`
}

// String is the step on one line: "2 inbound created codes=[] session=…".
func (r StepResult) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s %s", r.Step, r.Op, r.Outcome)
	if len(r.Codes) > 0 {
		codes := make([]string, len(r.Codes))
		for i, c := range r.Codes {
			codes[i] = strconv.Itoa(c)
		}
		b.WriteString(" codes=" + strings.Join(codes, ","))
	}
	for _, kv := range [][2]string{{"session", r.Session}, {"deliverTo", r.DeliverTo}, {"shownFrom", r.ShownFrom}, {"cause", string(r.Cause)}} {
		if kv[1] != "" {
			b.WriteString(" " + kv[0] + "=" + kv[1])
		}
	}
	if r.Detail != "" {
		b.WriteString(" detail=" + strconv.Quote(r.Detail))
	}
	return b.String()
}

// RunScenario runs sc on a new emulator whose callback, when the scenario
// has one, is svc's (Callback or CallbackURL, signed with svc.AuthToken);
// the pool and defaultTtl come from the scenario. The emulator's clock
// starts at the first step. Steps run in order; the results say what each did.
func RunScenario(ctx context.Context, sc *Scenario, svc Service) ([]StepResult, error) {
	svc.Numbers, svc.DefaultTTL = sc.Numbers, sc.DefaultTTL
	if !sc.Callback {
		svc.Callback, svc.CallbackURL = nil, ""
	} else if svc.Callback == nil && svc.CallbackURL == "" {
		return nil, &ScenarioError{Step: -1, Key: "service.callback", Message: "the scenario has a callback, but no callback URL was given"}
	}
	var start time.Time
	if len(sc.Steps) > 0 {
		start = sc.Steps[0].At
	}
	p, err := NewProxy(svc, start)
	if err != nil {
		return nil, &ScenarioError{Step: -1, Key: "service", Message: err.Error()}
	}
	defer p.Close()
	out := make([]StepResult, 0, len(sc.Steps))
	for i, st := range sc.Steps {
		if err := p.Advance(st.At); err != nil {
			return out, &ScenarioError{Step: i, Key: "at", Message: err.Error()}
		}
		out = append(out, p.step(ctx, i, st))
	}
	return out, nil
}

func (p *Proxy) step(ctx context.Context, i int, st Step) StepResult {
	r := StepResult{Step: i, Op: st.Op(), Outcome: "ok", Codes: []int{}}
	opErr := func(err error) StepResult {
		r.Outcome, r.Detail = "error", err.Error()
		if e, ok := err.(*Error); ok {
			r.Codes, r.Detail = []int{e.Code}, e.Message
		}
		return r
	}
	switch r.Op {
	case "create":
		s, err := p.CreateSession(*st.Create)
		if err != nil {
			return opErr(err)
		}
		r.Session = s.Name()
	case "close":
		if err := p.CloseSession(st.Close); err != nil {
			return opErr(err)
		}
		r.Session = st.Close
	case "delete":
		if err := p.DeleteSession(st.Delete); err != nil {
			return opErr(err)
		}
		r.Session = st.Delete
	case "":
		return opErr(errors.New("the step has no operation"))
	default:
		res := p.Contact(ctx, *st.Inbound)
		r.Outcome, r.Codes, r.Session, r.DeliverTo, r.ShownFrom, r.Cause, r.Detail =
			string(res.Outcome), res.Codes, res.Session, res.DeliverTo, res.ShownFrom, res.Cause, res.Detail
	}
	return r
}
