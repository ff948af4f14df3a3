package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/emulator"
)

const simulateUsage = `usage: oosc simulate [--callback-url URL] [--intercept-url URL] [--auth-token T] [--json] FILE|-

Runs a scenario file through the Proxy emulator: a Service's number pool,
Sessions created, closed, reopened, updated, deleted and expired on a
virtual clock, and inbound calls and messages routed as Proxy routes them.
Contacts that find no Session go to the out-of-session callback at
--callback-url, signed with the auth token (--auth-token, else the first of
TWILIO_AUTH_TOKEN), and its answer is judged as Proxy would and carried
out; routed contacts go through the intercept callback at --intercept-url
when the scenario has one. One line per step; with --json one JSON object
per step (JSON Lines) and nothing else on stdout: the outcome, the Twilio
codes, the Session, who receives the contact and from which number, why it
found no Session, the events logged, and whether the step's expect held.

A scenario file is one JSON object:

  {"service": {"numbers": [{"number": "+14155550100"}, {"number": "+14155550111", "reserved": true}],
               "callback": true, "interceptCallback": false, "defaultTtl": 0,
               "geoMatchLevel": "country", "numberSelectionBehavior": "prefer-sticky"},
   "steps": [
     {"at": "2026-01-05T10:00:00Z", "create": {"uniqueName": "ride-1", "mode": "voice-and-message", "ttl": 3600,
       "participants": [{"identifier": "+19515550101", "proxyIdentifier": "+14155550100"}, {"identifier": "+17075550102"}]}},
     {"at": "2026-01-05T10:05:00Z", "inbound": {"channel": "sms", "from": "+19515550101", "to": "+14155550100", "body": "hi"},
       "expect": {"outcome": "routed", "deliverTo": "+17075550102"}},
     {"at": "2026-01-05T10:06:00Z", "close": "ride-1"},
     {"at": "2026-01-05T10:07:00Z", "reopen": "ride-1"},
     {"at": "2026-01-05T10:08:00Z", "update": {"uniqueName": "ride-1", "status": "closed", "ttl": 600}},
     {"at": "2026-01-05T10:09:00Z", "delete": "ride-1"},
     {"at": "2026-01-05T12:00:00Z", "inbound": {"channel": "voice", "from": "+19515550101", "to": "+14155550100"},
       "expect": {"outcome": "created", "codes": [], "cause": "no-previous-session", "session": "KC*"}}]}

Each step has "at" (RFC 3339, never going back) and one operation: create,
close, delete, reopen, update or inbound (channel voice or sms). "expect"
may hold outcome, codes, cause, session ("KC*" matches any SID), deliverTo
and shownFrom, each compared exactly. Unknown keys, keys given twice and
data after the object are errors. The rules and the format in full: the
documentation of package github.com/oosc-dev/oosc/emulator.

Exit status: 0 when every expect held and no step without expect logged
80905 or 80913; 1 otherwise; 2 on a usage or scenario-file error.

flags:
`

func runSimulate(args []string, io ios) int {
	c := newCommand("simulate", simulateUsage, io)
	cbURL := c.fs.String("callback-url", "", "the out-of-session callback's URL (required when the scenario has a callback)")
	interceptURL := c.fs.String("intercept-url", "", "the intercept callback's URL (required when the scenario has one)")
	var tokens stringList
	c.fs.Var(&tokens, "auth-token", "the Auth Token the callbacks verify (default: TWILIO_AUTH_TOKEN)")
	asJSON := c.fs.Bool("json", false, "print one JSON object per step")
	files, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(files) != 1 {
		c.printUsage(io.stderr)
		return c.errorf("give one scenario FILE, or - for standard input")
	}
	file := files[0]
	data, err := readInput(file, io.stdin)
	if err != nil {
		return c.fail("%v", err)
	}
	sc, err := emulator.ParseScenario(data)
	if err != nil {
		return c.fail("%s: %v", file, err)
	}
	run := emulator.Run{}
	needs := sc.Service.Callback || sc.Service.InterceptCallback
	if sc.Service.Callback {
		if !c.given("callback-url") {
			return c.errorf("the scenario has a callback: --callback-url required")
		}
		if err := checkURL(*cbURL); err != nil {
			return c.errorf("--callback-url: %v", err)
		}
		run.CallbackURL = *cbURL
	}
	if sc.Service.InterceptCallback {
		if !c.given("intercept-url") {
			return c.errorf("the scenario has an intercept callback: --intercept-url required")
		}
		if err := checkURL(*interceptURL); err != nil {
			return c.errorf("--intercept-url: %v", err)
		}
		run.InterceptURL = *interceptURL
	}
	if needs {
		toks, ok := authTokens(tokens)
		if !ok {
			return c.errorf("the scenario calls the application: give --auth-token, or set TWILIO_AUTH_TOKEN")
		}
		run.AuthToken = toks[0]
	}
	results, err := emulator.RunScenario(context.Background(), sc, run)
	if err != nil {
		return c.fail("%s: %v", file, err)
	}
	enc := jsonLines(io.stdout)
	failed := false
	for _, r := range results {
		failed = failed || (r.Expected != nil && !*r.Expected) || r.Unannounced()
		if *asJSON {
			if err := enc.Encode(stepJSONOf(r)); err != nil {
				return c.fail("%v", err)
			}
			continue
		}
		fmt.Fprintln(io.stdout, stepLine(r))
	}
	if failed {
		if !*asJSON {
			fmt.Fprintln(io.stderr, "oosc simulate: a step's expect did not hold, or a step without expect logged 80905 or 80913")
		}
		return exitInvalid
	}
	return exitOK
}

// stepJSON is the --json form of a step's result, one object per line.
type stepJSON struct {
	Step      int         `json:"step"`
	Op        string      `json:"op"`
	Outcome   string      `json:"outcome"`
	Codes     []oosc.Code `json:"codes"`
	Session   string      `json:"session,omitempty"`
	DeliverTo string      `json:"deliverTo,omitempty"`
	ShownFrom string      `json:"shownFrom,omitempty"`
	Cause     oosc.Cause  `json:"cause,omitempty"`
	Detail    string      `json:"detail,omitempty"`
	Events    []eventJSON `json:"events,omitempty"`
	Expected  *bool       `json:"expected,omitempty"`
}

type eventJSON struct {
	Code    oosc.Code `json:"code"`
	Session string    `json:"session,omitempty"`
}

func stepJSONOf(r emulator.StepResult) stepJSON {
	codes := r.Codes
	if codes == nil {
		codes = []oosc.Code{}
	}
	var events []eventJSON
	for _, e := range r.Events {
		events = append(events, eventJSON{e.Code, e.Session})
	}
	return stepJSON{Step: r.Step, Op: r.Op, Outcome: r.Outcome, Codes: codes, Session: r.Session, DeliverTo: r.DeliverTo,
		ShownFrom: r.ShownFrom, Cause: r.Cause, Detail: r.Detail, Events: events, Expected: r.Expected}
}

// stepLine is a step's result on one line: "2 inbound created codes=[]
// session=… expect=ok".
func stepLine(r emulator.StepResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s %s", r.Step, r.Op, r.Outcome)
	if len(r.Codes) > 0 {
		codes := make([]string, len(r.Codes))
		for i, c := range r.Codes {
			codes[i] = strconv.Itoa(int(c))
		}
		b.WriteString(" codes=" + strings.Join(codes, ","))
	}
	for _, kv := range [][2]string{{"session", r.Session}, {"deliverTo", r.DeliverTo}, {"shownFrom", r.ShownFrom}, {"cause", string(r.Cause)}} {
		if kv[1] != "" {
			b.WriteString(" " + kv[0] + "=" + kv[1])
		}
	}
	for _, e := range r.Events {
		fmt.Fprintf(&b, " event=%d:%s", int(e.Code), e.Session)
	}
	if r.Expected != nil {
		if *r.Expected {
			b.WriteString(" expect=held")
		} else {
			b.WriteString(" expect=FAILED")
		}
	}
	if r.Detail != "" {
		b.WriteString(" detail=" + strconv.Quote(r.Detail))
	}
	return b.String()
}
