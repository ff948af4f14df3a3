package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/internal/term"
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
and shownFrom, each compared exactly. Steps are numbered from 0, their
index in "steps", in each line, the summary and errors. Unknown keys, keys
given twice and data after the object are errors. The rules and the format in full: the
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
	run := &emulator.RunOptions{}
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
	if needs || len(tokens) > 0 {
		toks, err := authTokens(tokens)
		switch {
		case errors.Is(err, errNoToken):
			return c.errorf("the scenario calls the application: %v", err)
		case err != nil:
			return c.errorf("%v", err)
		}
		run.AuthToken = toks[0]
	}
	watch := &forbiddenWatch{next: http.DefaultTransport}
	if u, err := url.Parse(run.CallbackURL); err == nil && run.CallbackURL != "" && run.CallbackURL != run.InterceptURL {
		watch.url = u
	}
	run.Client = &http.Client{Timeout: emulator.WebhookTimeout, Transport: watch,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	results, err := emulator.RunScenario(context.Background(), sc, run)
	if err != nil {
		return c.fail("%s: %v", file, err)
	}
	enc := jsonLines(io.stdout)
	paint := paletteFor(io.stdout)
	for _, r := range results {
		if *asJSON {
			if err := enc.Encode(stepJSONOf(r)); err != nil {
				return c.fail("%v", err)
			}
			continue
		}
		fmt.Fprintln(io.stdout, stepLine(r, paint))
	}
	sum := summarize(sc, results)
	if watch.forbidden.Load() {
		sum.Hint = "the out-of-session callback answered 403: the auth token or the URL is the likely cause; check that --auth-token (or TWILIO_AUTH_TOKEN) is the token the application verifies, and that --callback-url is exactly the URL it checks signatures against (behind a proxy, its public URL)"
		fmt.Fprintln(io.stderr, "oosc simulate: "+sum.Hint)
	}
	if *asJSON {
		if err := enc.Encode(struct {
			Summary simulateSummary `json:"summary"`
		}{sum}); err != nil {
			return c.fail("%v", err)
		}
	} else if len(sum.Failed) > 0 {
		fmt.Fprintln(io.stdout, paint.Fail(sum.String()))
	} else {
		fmt.Fprintln(io.stdout, sum.String())
	}
	if len(sum.Failed) > 0 {
		return exitInvalid
	}
	return exitOK
}

// forbiddenWatch is the transport of simulate's webhooks: it notes whether
// the out-of-session callback at url answered 403, which the emulator
// reports as 80913 like any other status outside 2xx.
type forbiddenWatch struct {
	url       *url.URL // nil: watch nothing
	next      http.RoundTripper
	forbidden atomic.Bool
}

func (f *forbiddenWatch) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := f.next.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusForbidden && f.url != nil &&
		r.URL.Scheme == f.url.Scheme && r.URL.Host == f.url.Host && r.URL.Path == f.url.Path {
		f.forbidden.Store(true)
	}
	return resp, err
}

// simulateSummary is what a run came to: how many steps held, and why each
// other one failed. It is simulate's last line, and with --json its last
// object, as {"summary": {...}}.
type simulateSummary struct {
	Steps  int          `json:"steps"`
	Held   int          `json:"held"`
	Failed []failedStep `json:"failed"`
	Hint   string       `json:"hint,omitempty"`
}

type failedStep struct {
	Step int    `json:"step"`
	Why  string `json:"why"`
}

// maxNamed bounds the failed steps the summary's line names; --json lists
// every one.
const maxNamed = 5

// String reads "17 of 18 steps held; step 13 failed: expected created,
// got routed".
func (s simulateSummary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d steps held", s.Held, s.Steps)
	for i, f := range s.Failed {
		if i == maxNamed {
			fmt.Fprintf(&b, "; and %d more", len(s.Failed)-maxNamed)
			break
		}
		fmt.Fprintf(&b, "; step %d failed: %s", f.Step, f.Why)
	}
	return b.String()
}

// summarize counts the steps that held: whose expect held, or that have
// none and logged no 80905 or 80913.
func summarize(sc *emulator.Scenario, results []emulator.StepResult) simulateSummary {
	s := simulateSummary{Steps: len(results), Failed: []failedStep{}}
	for _, r := range results {
		switch {
		case r.Unannounced():
			s.Failed = append(s.Failed, failedStep{r.Step, fmt.Sprintf("logged %s with no expect", codeNumbers(r.Codes))})
		case r.Expected != nil && !*r.Expected:
			var e *emulator.Expect
			if r.Step >= 0 && r.Step < len(sc.Steps) {
				e = sc.Steps[r.Step].Expect
			}
			s.Failed = append(s.Failed, failedStep{r.Step, unmet(e, r)})
		default:
			s.Held++
		}
	}
	return s
}

// codeNumbers writes codes as a scenario file does: [80905, 80913].
func codeNumbers(codes []oosc.Code) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = strconv.Itoa(int(c))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// unmet says how a step missed its expect: the outcome when it differs,
// else the first key that differs.
func unmet(e *emulator.Expect, r emulator.StepResult) string {
	if e == nil {
		return "its expect did not hold"
	}
	or := func(s string) string {
		if s == "" {
			return "none"
		}
		return s
	}
	if e.Outcome != nil && *e.Outcome != r.Outcome {
		return fmt.Sprintf("expected %s, got %s", *e.Outcome, or(string(r.Outcome)))
	}
	if e.Codes != nil && !slices.Equal(*e.Codes, r.Codes) {
		return fmt.Sprintf("expected codes %s, got %s", codeNumbers(*e.Codes), codeNumbers(r.Codes))
	}
	for _, k := range []struct {
		key  string
		want *string
		got  string
	}{{"cause", (*string)(e.Cause), string(r.Cause)}, {"session", e.Session, r.Session}, {"deliverTo", e.DeliverTo, r.DeliverTo}, {"shownFrom", e.ShownFrom, r.ShownFrom}} {
		if k.want != nil && *k.want != k.got && !(k.key == "session" && *k.want == "KC*") {
			return fmt.Sprintf("expected %s %s, got %s", k.key, or(*k.want), or(k.got))
		}
	}
	if e.Session != nil && *e.Session == "KC*" {
		return fmt.Sprintf("expected a Session SID, got %s", or(r.Session))
	}
	return "its expect did not hold"
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
	return stepJSON{Step: r.Step, Op: string(r.Op), Outcome: string(r.Outcome), Codes: codes, Session: r.Session, DeliverTo: r.DeliverTo,
		ShownFrom: r.ShownFrom, Cause: r.Cause, Detail: r.Detail, Events: events, Expected: r.Expected}
}

// stepLine is a step's result on one line: "2 inbound created
// session=… expect=held", a failed expect standing out on a terminal.
func stepLine(r emulator.StepResult, paint term.Palette) string {
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
			b.WriteString(" " + paint.Fail("expect=FAILED"))
		}
	}
	if r.Detail != "" {
		b.WriteString(" detail=" + strconv.Quote(r.Detail))
	}
	return b.String()
}
