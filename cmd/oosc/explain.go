package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/debugger"
)

const explainUsage = `usage: oosc explain [--json] [--phone-numbers] FILE|-

Explains the errors and warnings of Twilio's Debugger for a Proxy
application, in the terms of the five causes of 80905: why the contact was
out of session, and why the out-of-session callback did not save it. For
80905 and 80913 the recorded callback answer, when the event has one, is
judged again as Proxy would, naming the rule it breaks; when the event
cannot settle the cause, the explanation says so.

FILE holds either JSON Lines of Debugger webhook parameters, one event per
line ({"Sid": …, "AccountSid": …, "Timestamp": …, "Level": …,
"PayloadType": …, "Payload": "<the payload as a JSON string>"}), or a page
of the Monitor Alerts API ({"alerts": [...]}). One explanation per event,
in input order; with --json, one JSON object per line. Phone numbers are
masked unless --phone-numbers.

Exit status: 0 when every event was read; 2 on a usage error, or when an
event cannot be read (the others are still explained).

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
	data, err := readInput(files[0], io.stdin)
	if err != nil {
		return c.fail("%v", err)
	}
	events, errs := readEvents(data)
	mask := callback.RedactPhoneNumbers
	if *numbers {
		mask = func(s string) string { return s }
	}
	enc := jsonLines(io.stdout)
	for _, ev := range events {
		x := debugger.Explain(ev.event)
		if *asJSON {
			if err := enc.Encode(explanationJSON(ev, x, mask)); err != nil {
				return c.fail("%v", err)
			}
			continue
		}
		fmt.Fprint(io.stdout, explanationText(ev, x, mask))
	}
	for _, err := range errs {
		fmt.Fprintf(io.stderr, "oosc explain: %s: %v\n", files[0], err)
	}
	if len(errs) > 0 {
		return exitUsage
	}
	return exitOK
}

// numbered is an event with its place in the input: a line, or an alert.
type numbered struct {
	at    string
	event debugger.Event
}

// readEvents reads a Monitor Alerts page, or JSON Lines of webhook
// parameters; an event that cannot be read is an error naming its place.
func readEvents(data []byte) ([]numbered, []error) {
	var page struct {
		Alerts json.RawMessage `json:"alerts"`
	}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' && json.Unmarshal(t, &page) == nil && page.Alerts != nil {
		var raws []json.RawMessage
		if err := json.Unmarshal(page.Alerts, &raws); err != nil {
			return nil, []error{fmt.Errorf("%w: alerts is not a list", debugger.ErrMalformed)}
		}
		var out []numbered
		var errs []error
		for i, raw := range raws {
			at := "alert " + strconv.Itoa(i+1)
			e, err := debugger.ParseAlert(raw)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", at, err))
				continue
			}
			out = append(out, numbered{at, e})
		}
		return out, errs
	}
	var out []numbered
	var errs []error
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), debugger.MaxPayloadBytes*2)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		at := "line " + strconv.Itoa(n)
		var params map[string]any
		if err := json.Unmarshal(line, &params); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w: not a JSON object of webhook parameters", at, debugger.ErrMalformed))
			continue
		}
		form := url.Values{}
		for k, v := range params {
			switch v := v.(type) {
			case string:
				form.Set(k, v)
			default: // a Payload given as an object rather than a string
				b, _ := json.Marshal(v)
				form.Set(k, string(b))
			}
		}
		e, err := debugger.ParseWebhook(form)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", at, err))
			continue
		}
		out = append(out, numbered{at, e})
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, err)
	}
	return out, errs
}

type causeJSON struct {
	Number int    `json:"number"`
	Text   string `json:"text"`
}

func explanationJSON(ev numbered, x debugger.Explanation, mask func(string) string) any {
	causes := make([]causeJSON, len(x.Causes))
	for i, c := range x.Causes {
		causes[i] = causeJSON{int(c), c.String()}
	}
	problems := make([]oosc.Problem, len(x.Problems))
	for i, p := range x.Problems {
		p.Message = mask(p.Message)
		problems[i] = p
	}
	var at *time.Time
	if !ev.event.Time.IsZero() {
		at = &ev.event.Time
	}
	return struct {
		At          string         `json:"at"`
		Sid         string         `json:"sid,omitempty"`
		Time        *time.Time     `json:"time,omitempty"`
		ResourceSid string         `json:"resourceSid,omitempty"`
		Code        oosc.Code      `json:"code"`
		Title       string         `json:"title"`
		Causes      []causeJSON    `json:"causes"`
		Reason      oosc.Cause     `json:"reason,omitempty"`
		Settled     bool           `json:"settled"`
		Summary     string         `json:"summary"`
		Fix         string         `json:"fix"`
		Problems    []oosc.Problem `json:"problems"`
	}{ev.at, ev.event.Sid, at, ev.event.ResourceSid, x.Code, x.Title, causes, x.Reason, x.Settled, mask(x.Summary), mask(x.Fix), problems}
}

func explanationText(ev numbered, x debugger.Explanation, mask func(string) string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s", ev.at)
	if !ev.event.Time.IsZero() {
		fmt.Fprintf(&b, " %s", ev.event.Time.UTC().Format(time.RFC3339))
	}
	fmt.Fprintf(&b, " %d %s", int(x.Code), x.Title)
	if len(x.Causes) > 0 {
		nums := make([]string, len(x.Causes))
		for i, c := range x.Causes {
			nums[i] = strconv.Itoa(int(c))
		}
		fmt.Fprintf(&b, ", cause %s of 80905", strings.Join(nums, " and "))
	}
	if !x.Settled {
		b.WriteString(" (the event cannot settle the cause)")
	}
	fmt.Fprintf(&b, "\n  %s\n", mask(x.Summary))
	for _, c := range x.Causes {
		fmt.Fprintf(&b, "  cause %d: %s\n", int(c), c)
	}
	for _, p := range x.Problems {
		fmt.Fprintf(&b, "  %s\n", mask(p.String()))
	}
	fmt.Fprintf(&b, "  fix: %s\n", mask(x.Fix))
	return b.String()
}
