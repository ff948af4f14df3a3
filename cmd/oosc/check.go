package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback/callbacktest"
)

const checkUsage = `usage: oosc check --url URL [--auth-token T] [--scenario NAME ...] [--from N] [--to N] [--json]

Sends signed out-of-session callbacks of each built-in scenario to a running
endpoint (in any language) and judges each answer as Proxy would: a 2xx
status (a redirect is not followed), application/xml with TwiML valid for
the interaction's channel, or application/json with an auto-create session
valid for its sender. Prints a table: scenario, status, content type,
verdict (with the Twilio errors an invalid answer causes) and latency (the
endpoint's time, not the judging). --from and --to aim the phone scenarios
at a branch of the decision: a sender your app knows, the Proxy number it
answers for. The token is --auth-token, else the first of TWILIO_AUTH_TOKEN.

Exit status: 0 when every scenario passes, 1 when any fails, 2 on a usage error.

scenarios:
%s
flags:
`

// checkRow is one line of oosc check's table, and of its --json output.
type checkRow struct {
	Scenario    string         `json:"scenario"`
	Status      int            `json:"status"`
	ContentType string         `json:"contentType"`
	Valid       bool           `json:"valid"`
	Codes       []oosc.Code    `json:"codes"`
	Problems    []oosc.Problem `json:"problems"`
	LatencyMS   float64        `json:"latencyMs"`
}

func runCheck(args []string, io ios) int {
	var names strings.Builder
	for _, s := range checkScenarios(checkSender, checkProxy) {
		fmt.Fprintf(&names, "  %-22s %s\n", s.Name, s.Description)
	}
	c := newCommand("check", fmt.Sprintf(checkUsage, names.String()), io)
	u := c.fs.String("url", "", "the endpoint's URL, exactly as Twilio would call it (required)")
	var tokens stringList
	c.fs.Var(&tokens, "auth-token", "the Auth Token the endpoint verifies (default: TWILIO_AUTH_TOKEN)")
	var only stringList
	c.fs.Var(&only, "scenario", "run only this scenario (repeat for several)")
	from := c.fs.String("from", checkSender, "the sender of the phone scenarios (E.164)")
	to := c.fs.String("to", checkProxy, "the Proxy number the phone scenarios reach (E.164)")
	asJSON := c.fs.Bool("json", false, "print one JSON object per scenario")
	timeout := c.fs.Duration("timeout", callbacktest.DefaultTimeout, "how long to wait for each answer; Proxy waits 15s")
	rest, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return c.errorf("unexpected argument %q", rest[0])
	}
	if m := c.missing("url"); len(m) > 0 {
		c.printUsage(io.stderr)
		return c.errorf("%s required", strings.Join(m, ", "))
	}
	toks, ok := authTokens(tokens)
	if !ok {
		return c.errorf("give --auth-token, or set TWILIO_AUTH_TOKEN")
	}
	if err := checkURL(*u); err != nil {
		return c.errorf("%v", err)
	}
	if *timeout <= 0 {
		return c.errorf("--timeout must be positive")
	}
	for _, n := range []struct{ flag, v string }{{"--from", *from}, {"--to", *to}} {
		if !autocreate.IsE164(n.v) {
			return c.errorf("%s %q is not E.164, such as +14155550101", n.flag, n.v)
		}
	}
	scenarios, err := pick(checkScenarios(*from, *to), only)
	if err != nil {
		return c.errorf("%v", err)
	}
	client := &http.Client{Timeout: *timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	rows := make([]checkRow, 0, len(scenarios))
	failed, forbidden := false, false
	for _, s := range scenarios {
		r := callbacktest.Post(context.Background(), client, *u, toks[0], s.Callback)
		row := checkRow{Scenario: s.Name, Status: r.Status, Valid: r.Verdict.Valid(), Codes: r.Verdict.Codes(),
			Problems: r.Verdict.Errors(), LatencyMS: float64(r.Latency.Microseconds()) / 1000}
		if row.Problems == nil {
			row.Problems = []oosc.Problem{}
		}
		if r.Header != nil {
			row.ContentType = r.Header.Get("Content-Type")
		}
		if r.Err != nil && r.Latency >= *timeout {
			row.Problems = []oosc.Problem{{Severity: oosc.SeverityError, Rule: "timeout", Code: oosc.CodeOutOfSessionCallbackError,
				Message: fmt.Sprintf("no answer within %v; Proxy gives up after 15s", *timeout)}}
		}
		failed = failed || !row.Valid
		forbidden = forbidden || r.Status == http.StatusForbidden
		rows = append(rows, row)
	}
	if *asJSON {
		enc := jsonLines(io.stdout)
		for _, r := range rows {
			if err := enc.Encode(r); err != nil {
				return c.fail("%v", err)
			}
		}
	} else {
		printCheck(io.stdout, rows)
	}
	if forbidden {
		fmt.Fprintf(io.stderr, "oosc check: the endpoint answered 403: check that the auth token is the one it verifies, and that --url is exactly the URL it checks signatures against (behind a proxy, its public URL)\n")
	}
	if failed {
		return exitInvalid
	}
	return exitOK
}

func pick(all []checkScenario, only []string) ([]checkScenario, error) {
	if len(only) == 0 {
		return all, nil
	}
	var out []checkScenario
	for _, name := range only {
		found := false
		for _, s := range all {
			if s.Name == name {
				out, found = append(out, s), true
			}
		}
		if !found {
			known := make([]string, len(all))
			for i, s := range all {
				known[i] = s.Name
			}
			return nil, fmt.Errorf("unknown scenario %q; the scenarios are %s", name, strings.Join(known, ", "))
		}
	}
	return out, nil
}

func printCheck(w io.Writer, rows []checkRow) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCENARIO\tSTATUS\tCONTENT TYPE\tVERDICT\tLATENCY")
	passed := 0
	for _, r := range rows {
		status, ct := "-", r.ContentType
		if r.Status != 0 {
			status = fmt.Sprint(r.Status)
		}
		if ct == "" {
			ct = "-"
		}
		verdict := "ok"
		if r.Valid {
			passed++
		} else {
			parts := make([]string, len(r.Codes))
			for i, c := range r.Codes {
				parts[i] = fmt.Sprint(int(c))
			}
			verdict = "FAIL " + strings.Join(parts, ", ")
			if len(r.Problems) > 0 {
				verdict += ": " + r.Problems[0].String()
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Scenario, status, ct, verdict, time.Duration(r.LatencyMS*float64(time.Millisecond)).Round(100*time.Microsecond))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d of %d scenarios passed\n", passed, len(rows))
}
