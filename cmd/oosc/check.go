package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/oosc-dev/oosc/callback/callbacktest"
)

const checkUsage = `usage: oosc check --url URL --auth-token T [--scenario NAME ...] [--json]

Sends signed out-of-session callbacks of each built-in scenario to a running
endpoint (in any language) and judges each answer as Proxy would: a 2xx
status, application/xml with TwiML valid for the contact's channel, or
application/json with an auto-create session valid for its sender. Prints a
table: scenario, status, content type, verdict (with the Twilio errors an
invalid answer causes) and latency.

Exit status: 0 when every scenario passes, 1 when any fails, 2 on a usage error.

scenarios:
%s
flags:
`

// checkRow is one line of oosc check's table, and its --json output.
type checkRow struct {
	Scenario     string   `json:"scenario"`
	Status       int      `json:"status"`
	ContentType  string   `json:"contentType"`
	Valid        bool     `json:"valid"`
	TwilioErrors []int    `json:"twilioErrors"`
	Problems     []string `json:"problems"`
	LatencyMS    float64  `json:"latencyMs"`
}

func runCheck(args []string, stdout, stderr io.Writer) int {
	var names strings.Builder
	for _, s := range callbacktest.CheckScenarios() {
		fmt.Fprintf(&names, "  %-22s %s\n", s.Name, s.Description)
	}
	fs := newFlags("check", fmt.Sprintf(checkUsage, names.String()), stderr)
	u := fs.String("url", "", "the endpoint's URL, exactly as Twilio would call it (required)")
	tok := fs.String("auth-token", "", "the Auth Token the endpoint verifies (required)")
	var only stringList
	fs.Var(&only, "scenario", "run only this scenario (repeat for several)")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	timeout := fs.Duration("timeout", callbacktest.DefaultTimeout, "how long to wait for each answer; Proxy waits 15s")
	rest, err := parseArgs(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "oosc check: unexpected argument %q\n", rest[0])
		return exitUsage
	}
	if m := missing(fs, "url", "auth-token"); len(m) > 0 {
		fmt.Fprintf(stderr, "oosc check: %s required\n", strings.Join(m, ", "))
		fs.Usage()
		return exitUsage
	}
	if err := checkURL(*u); err != nil {
		fmt.Fprintf(stderr, "oosc check: %v\n", err)
		return exitUsage
	}
	if *timeout <= 0 {
		fmt.Fprintln(stderr, "oosc check: --timeout must be positive")
		return exitUsage
	}
	scenarios, err := pick(callbacktest.CheckScenarios(), only)
	if err != nil {
		fmt.Fprintf(stderr, "oosc check: %v\n", err)
		return exitUsage
	}
	client := &http.Client{Timeout: *timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	rows := make([]checkRow, 0, len(scenarios))
	failed := false
	for _, s := range scenarios {
		a := callbacktest.Post(context.Background(), client, *u, *tok, s.Contact)
		row := checkRow{Scenario: s.Name, Status: a.Status, Valid: a.Verdict.Valid, TwilioErrors: a.Verdict.TwilioErrors,
			Problems: []string{}, LatencyMS: float64(a.Latency.Microseconds()) / 1000}
		if a.Header != nil {
			row.ContentType = a.Header.Get("Content-Type")
		}
		for _, p := range a.Verdict.Errors() {
			row.Problems = append(row.Problems, p.String())
		}
		if a.Err != nil && a.Latency >= *timeout {
			row.Problems = []string{fmt.Sprintf("error: no answer within %v; Proxy gives up after 15s (80913)", *timeout)}
		}
		failed = failed || !row.Valid
		rows = append(rows, row)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rows); err != nil {
			fmt.Fprintf(stderr, "oosc check: %v\n", err)
			return exitUsage
		}
	} else {
		printCheck(stdout, rows)
	}
	if failed {
		return exitInvalid
	}
	return exitOK
}

func pick(all []callbacktest.CheckScenario, only []string) ([]callbacktest.CheckScenario, error) {
	if len(only) == 0 {
		return all, nil
	}
	var out []callbacktest.CheckScenario
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
			verdict = "FAIL " + joinInts(r.TwilioErrors)
			if len(r.Problems) > 0 {
				verdict += ": " + r.Problems[0]
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Scenario, status, ct, verdict, time.Duration(r.LatencyMS*float64(time.Millisecond)).Round(100*time.Microsecond))
	}
	tw.Flush()
	fmt.Fprintf(w, "%d of %d scenarios passed\n", passed, len(rows))
}
