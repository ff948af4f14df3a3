package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/internal/term"
)

const checkUsage = `usage: oosc check --url URL [--auth-token T] [--callback NAME ...] [--from N] [--to N] [--timeout D] [--json]

Sends signed out-of-session callbacks, the built-in ones below, to a
running endpoint (in any language) and judges each answer as Proxy would:
a 2xx status (a redirect is not followed), application/xml with TwiML valid
for the interaction's channel, or application/json with an auto-create
session valid for its sender. Prints a row per callback as its answer
arrives: name, status, content type, latency (the endpoint's time, not the
judging) and verdict (ok, or FAIL with the Twilio errors the answer causes
and the first rule it breaks); then what failed, in full. --from and --to
aim the phone callbacks at a branch of the decision: a sender your app
knows, the Proxy number it answers for. The token is --auth-token, else the
first of TWILIO_AUTH_TOKEN. --scenario, the old name of --callback, works
until v0.4.0.

Exit status: 0 when every callback passes, 1 when any fails, 2 on a usage error.

callbacks:
%s
flags:
`

// checkRow is one row of oosc check's table, and of its --json output.
type checkRow struct {
	Callback    string         `json:"callback"`
	Status      int            `json:"status"`
	ContentType string         `json:"contentType"`
	Valid       bool           `json:"valid"`
	Codes       []oosc.Code    `json:"codes"`
	Problems    []oosc.Problem `json:"problems"`
	LatencyMS   float64        `json:"latencyMs"`
}

func runCheck(args []string, io ios) int {
	var names strings.Builder
	for _, s := range builtinCallbacks(checkSender, checkProxy) {
		fmt.Fprintf(&names, "  %-22s %s\n", s.Name, s.Description)
	}
	c := newCommand("check", fmt.Sprintf(checkUsage, names.String()), io)
	u := c.fs.String("url", "", "the endpoint's URL, exactly as Twilio would call it (required)")
	var tokens stringList
	c.fs.Var(&tokens, "auth-token", "the Auth Token the endpoint verifies (default: TWILIO_AUTH_TOKEN)")
	var only stringList
	c.fs.Var(&only, "callback", "send only this built-in callback (repeat for several)")
	c.fs.Var(&only, "scenario", "deprecated: the old name of --callback, until v0.4.0")
	from := c.fs.String("from", checkSender, "the sender of the phone callbacks (E.164)")
	to := c.fs.String("to", checkProxy, "the Proxy number the phone callbacks reach (E.164)")
	asJSON := c.fs.Bool("json", false, "print one JSON object per callback")
	timeout := c.fs.Duration("timeout", emulator.WebhookTimeout, "how long to wait for each answer; Proxy waits 15s")
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
	toks, err := authTokens(tokens)
	if err != nil {
		return c.errorf("%v", err)
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
	callbacks, err := pick(builtinCallbacks(*from, *to), only)
	if err != nil {
		return c.errorf("%v", err)
	}
	if c.given("scenario") {
		fmt.Fprintln(io.stderr, "oosc check: --scenario is deprecated and goes in v0.4.0: use --callback")
	}

	client := &http.Client{Timeout: *timeout, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	table := newCheckTable(io.stdout, callbacks)
	if !*asJSON {
		table.header()
	}
	enc := jsonLines(io.stdout)
	var failed []checkRow
	passed, forbidden, refused := 0, false, false
	for _, s := range callbacks {
		r := callbacktest.Post(context.Background(), client, *u, toks[0], s.Callback)
		row := checkRow{Callback: s.Name, Status: r.Status, Valid: r.Verdict.Valid(), Codes: r.Verdict.LoggedCodes(),
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
		forbidden = forbidden || r.Status == http.StatusForbidden
		refused = refused || errors.Is(r.Err, syscall.ECONNREFUSED)
		if row.Valid {
			passed++
		} else {
			failed = append(failed, row)
		}
		if *asJSON {
			if err := enc.Encode(row); err != nil {
				return c.fail("%v", err)
			}
			continue
		}
		table.row(row)
	}
	if !*asJSON {
		table.footer(passed, failed)
	}
	if refused {
		fmt.Fprintf(io.stderr, "oosc check: nothing listens at %s (connection refused): start the endpoint, or check the host and port of --url\n", *u)
	}
	if forbidden {
		fmt.Fprintf(io.stderr, "oosc check: the endpoint answered 403: check that the auth token is the one it verifies, and that --url is exactly the URL it checks signatures against (behind a proxy, its public URL)\n")
	}
	if len(failed) > 0 {
		return exitInvalid
	}
	return exitOK
}

func pick(all []builtinCallback, only []string) ([]builtinCallback, error) {
	if len(only) == 0 {
		return all, nil
	}
	var out []builtinCallback
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
			return nil, fmt.Errorf("unknown callback %q; the built-in callbacks are %s", name, strings.Join(known, ", "))
		}
	}
	return out, nil
}

// checkTable writes oosc check's table a row at a time, as each answer
// arrives: its columns have fixed widths, known before the first request.
type checkTable struct {
	w     io.Writer
	name  int // the width of the first column: the longest name
	paint term.Palette
}

// The widths of the fixed columns; a longer content type is cut, its full
// value shown below the table when the callback failed.
const (
	statusWidth      = 6
	contentTypeWidth = 16
	latencyWidth     = 7
)

func newCheckTable(w io.Writer, callbacks []builtinCallback) *checkTable {
	t := &checkTable{w: w, name: len("CALLBACK"), paint: paletteFor(w)}
	for _, s := range callbacks {
		t.name = max(t.name, len(s.Name))
	}
	return t
}

func (t *checkTable) header() {
	fmt.Fprintf(t.w, "%-*s  %-*s  %-*s  %-*s  %s\n", t.name, "CALLBACK", statusWidth, "STATUS", contentTypeWidth, "CONTENT TYPE", latencyWidth, "LATENCY", "VERDICT")
}

func (t *checkTable) row(r checkRow) {
	status := "-"
	if r.Status != 0 {
		status = fmt.Sprint(r.Status)
	}
	verdict := t.paint.OK("ok")
	if !r.Valid {
		verdict = t.paint.Fail(shortVerdict(r))
	}
	statusCell := fmt.Sprintf("%-*s", statusWidth, status)
	if r.Status != 0 && (r.Status < 200 || r.Status > 299) {
		statusCell = t.paint.Fail(statusCell)
	}
	fmt.Fprintf(t.w, "%-*s  %s  %-*s  %-*s  %s\n", t.name, r.Callback, statusCell, contentTypeWidth, mediaType(r.ContentType),
		latencyWidth, latency(r.LatencyMS), verdict)
}

// footer counts the callbacks that passed, then says in full what each
// failed one broke, once.
func (t *checkTable) footer(passed int, failed []checkRow) {
	fmt.Fprintf(t.w, "%d of %d callbacks passed\n", passed, passed+len(failed))
	for _, r := range failed {
		answer := "no answer"
		if r.Status != 0 {
			answer = fmt.Sprint(r.Status)
			if r.ContentType != "" {
				answer += ", " + r.ContentType
			}
		}
		fmt.Fprintf(t.w, "\n%s: %s\n", t.paint.Fail(r.Callback), answer)
		for _, p := range r.Problems {
			fmt.Fprintf(t.w, "  %s\n", p)
		}
	}
}

// shortVerdict is a failed row's verdict: FAIL, the Twilio codes and the
// first rule broken, with how many more problems there are.
func shortVerdict(r checkRow) string {
	codes := make([]string, len(r.Codes))
	for i, c := range r.Codes {
		codes[i] = fmt.Sprint(int(c))
	}
	if len(codes) == 0 && len(r.Problems) > 0 && r.Problems[0].Code != 0 {
		codes = []string{fmt.Sprint(int(r.Problems[0].Code))}
	}
	s := "FAIL " + strings.Join(codes, ",")
	if len(r.Problems) > 0 {
		s += " " + string(r.Problems[0].Rule)
		if n := len(r.Problems) - 1; n > 0 {
			s += fmt.Sprintf(" (+%d)", n)
		}
	}
	return s
}

// mediaType is a Content-Type without its parameters, cut to the column's
// width; "-" when there is none.
func mediaType(ct string) string {
	if ct == "" {
		return "-"
	}
	if mt, _, err := mime.ParseMediaType(ct); err == nil {
		ct = mt
	}
	if utf8.RuneCountInString(ct) > contentTypeWidth {
		ct = string([]rune(ct)[:contentTypeWidth-1]) + "…"
	}
	return ct
}

// latency writes milliseconds as 0.4ms, 12ms or 2.0s.
func latency(ms float64) string {
	switch {
	case ms < 10:
		return fmt.Sprintf("%.1fms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.0fms", ms)
	}
	return fmt.Sprintf("%.1fs", ms/1000)
}
