package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/oosc-dev/oosc/callback/callbacktest"
)

const simulateUsage = `usage: oosc simulate --callback-url URL --auth-token T [--json] FILE|-

Runs a scenario file through the Proxy emulator: a Service's number pool,
Sessions created, closed, deleted and expired on a virtual clock, and inbound
calls and messages routed as Proxy routes them. Contacts that find no Session
go to the out-of-session callback at URL, signed with T, and its answer is
judged as Proxy would and carried out. One line per step (one JSON object
with --json): the outcome, the Twilio codes, the Session, who receives the
contact and from which number, and why it found no Session.

Exit status: 0 when the scenario ran (whatever the outcomes), 2 on a usage
or scenario-file error.

flags:
`

func runSimulate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("simulate", simulateUsage, stderr)
	cbURL := fs.String("callback-url", "", "the out-of-session callback's URL (required when the scenario has a callback)")
	tok := fs.String("auth-token", "", "the Auth Token the callback verifies (required with --callback-url)")
	asJSON := fs.Bool("json", false, "print one JSON object per step")
	file, code, ok := parseFile(fs, args, stderr, "scenario FILE")
	if !ok {
		return code
	}
	data, err := readInput(file, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "oosc simulate: %v\n", err)
		return exitUsage
	}
	sc, err := callbacktest.ParseScenario(data)
	if err != nil {
		fmt.Fprintf(stderr, "oosc simulate: %s: %v\n", file, err)
		return exitUsage
	}
	var svc callbacktest.Service
	if sc.Callback {
		if m := missing(fs, "callback-url", "auth-token"); len(m) > 0 {
			fmt.Fprintf(stderr, "oosc simulate: the scenario has a callback: %s required\n", strings.Join(m, ", "))
			return exitUsage
		}
		if err := checkURL(*cbURL); err != nil {
			fmt.Fprintf(stderr, "oosc simulate: %v\n", strings.Replace(err.Error(), "--url", "--callback-url", 1))
			return exitUsage
		}
		svc.CallbackURL, svc.AuthToken = *cbURL, *tok
	}
	results, err := callbacktest.RunScenario(context.Background(), sc, svc)
	if err != nil {
		fmt.Fprintf(stderr, "oosc simulate: %s: %v\n", file, err)
		return exitUsage
	}
	enc := json.NewEncoder(stdout)
	for _, r := range results {
		if *asJSON {
			if err := enc.Encode(r); err != nil {
				fmt.Fprintf(stderr, "oosc simulate: %v\n", err)
				return exitUsage
			}
			continue
		}
		fmt.Fprintln(stdout, r)
	}
	return exitOK
}
