package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/internal/term"
)

const explainUsage = `usage: oosc explain [--json] [--phone-numbers] FILE|-

Explains the errors and warnings of Twilio's Debugger for a Proxy
application, in the terms of the five cases of 80905: why the contact was
out of session, and why the out-of-session callback did not save it. For
80905 and 80913 the recorded callback answer, when the event has one, is
judged again as Proxy would, naming the rule it breaks; when the event
cannot settle the case, the explanation says so.

FILE holds either JSON Lines of Debugger webhook parameters, one event per
line ({"Sid": …, "AccountSid": …, "Timestamp": …, "Level": …,
"PayloadType": …, "Payload": "<the payload as a JSON string>"}), or pages
of the Monitor Alerts API ({"alerts": [...]}, as the API answers or
pretty-printed). It is read as a stream, event by event, so a file of any
size explains; one event may hold up to 2 MiB (a Debugger payload is at
most 1 MiB). One explanation per event, in input order, labelled
FILE:LINE where the event starts; with --json, one JSON object per line,
"at" holding FILE:LINE. Phone numbers are masked unless --phone-numbers.

Exit status: 0 when every event was read; 2 on a usage error, or when an
event cannot be read (named by FILE:LINE on stderr; in JSON Lines the
other events are still explained, in a page the reading stops there).

flags:
`

func runExplain(args []string, io ios) int {
	c := newCommand("explain", explainUsage, io)
	asJSON := c.fs.Bool("json", false, "print one JSON object per event")
	numbers := c.fs.Bool("phone-numbers", false, "print phone numbers in full")
	files, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(files) != 1 {
		c.printUsage(io.stderr)
		return c.errorf("give one FILE, or - for standard input")
	}
	name, in := "<stdin>", io.stdin
	if files[0] != "-" {
		f, err := os.Open(files[0])
		if err != nil {
			return c.fail("%v", err)
		}
		defer f.Close()
		name, in = files[0], f
	}
	mask := callback.RedactPhoneNumbers
	if *numbers {
		mask = func(s string) string { return s }
	}
	enc := jsonLines(io.stdout)
	paint := paletteFor(io.stdout)
	events, bad := newEventReader(in), false
	for {
		ev, err := events.next()
		if err == errEndOfInput {
			break
		}
		var ee *eventError
		if errors.As(err, &ee) {
			fmt.Fprintf(io.stderr, "oosc explain: %s:%d: %v\n", name, ee.line, ee.err)
			bad = true
			continue
		}
		if err != nil {
			return c.fail("%s: %v", name, err)
		}
		at := fmt.Sprintf("%s:%d", name, ev.line)
		x := debugger.Explain(ev.event)
		if *asJSON {
			if err := enc.Encode(explanationJSON(at, ev.event, x, mask)); err != nil {
				return c.fail("%v", err)
			}
			continue
		}
		fmt.Fprint(io.stdout, explanationText(at, ev.event, x, mask, paint))
	}
	if bad {
		return exitUsage
	}
	return exitOK
}

type caseJSON struct {
	Number int    `json:"number"`
	Text   string `json:"text"`
}

func explanationJSON(at string, ev debugger.Event, x debugger.Explanation, mask func(string) string) any {
	cases := make([]caseJSON, len(x.Cases))
	for i, c := range x.Cases {
		cases[i] = caseJSON{int(c), c.String()}
	}
	problems := make([]oosc.Problem, len(x.Problems))
	for i, p := range x.Problems {
		p.Message = mask(p.Message)
		problems[i] = p
	}
	var when *time.Time
	if !ev.Time.IsZero() {
		when = &ev.Time
	}
	return struct {
		At          string         `json:"at"`
		Sid         string         `json:"sid,omitempty"`
		Time        *time.Time     `json:"time,omitempty"`
		ResourceSid string         `json:"resourceSid,omitempty"`
		Code        oosc.Code      `json:"code"`
		Title       string         `json:"title"`
		Cases       []caseJSON     `json:"cases"`
		Cause       oosc.Cause     `json:"cause,omitempty"`
		Settled     bool           `json:"settled"`
		Summary     string         `json:"summary"`
		Fix         string         `json:"fix"`
		Problems    []oosc.Problem `json:"problems"`
	}{at, ev.Sid, when, ev.ResourceSid, x.Code, x.Title, cases, x.Cause, x.Settled, mask(x.Summary), mask(x.Fix), problems}
}

// explanationText is an event's explanation: a line naming where it is and
// what it is, then each sentence once: the summary, each cause it does
// not already say, each problem (without the message the summary
// quotes), and the fix.
func explanationText(at string, ev debugger.Event, x debugger.Explanation, mask func(string) string, paint term.Palette) string {
	var b strings.Builder
	b.WriteString(at + ":")
	if !ev.Time.IsZero() {
		b.WriteString(" " + ev.Time.UTC().Format(time.RFC3339))
	}
	title := x.Code.String()
	if x.Title != "" {
		title += " " + x.Title
	}
	if x.Code == oosc.CodeUnknownScenario || x.Code == oosc.CodeOutOfSessionCallbackError {
		title = paint.Fail(title)
	}
	b.WriteString(" " + title)
	if len(x.Cases) > 0 {
		nums := make([]string, len(x.Cases))
		for i, c := range x.Cases {
			nums[i] = strconv.Itoa(int(c))
		}
		fmt.Fprintf(&b, ", case %s of 80905", strings.Join(nums, " and "))
	}
	if !x.Settled {
		b.WriteString(" (the event cannot settle the case)")
	}
	summary := mask(x.Summary)
	fmt.Fprintf(&b, "\n  %s\n", summary)
	for _, c := range x.Cases {
		if !strings.Contains(x.Summary, c.String()) {
			fmt.Fprintf(&b, "  case %d: %s\n", int(c), c)
		}
	}
	for _, p := range x.Problems {
		line := mask(p.String())
		if m := mask(p.Message); m != "" && strings.Contains(summary, m) {
			line = strings.Replace(line, ": "+m, "", 1)
		}
		fmt.Fprintf(&b, "  %s\n", line)
	}
	fmt.Fprintf(&b, "  fix: %s\n", mask(x.Fix))
	return b.String()
}
