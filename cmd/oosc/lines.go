package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/debugger"
	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/internal/term"
)

// liveQueue is how many lines oosc emulate holds for a slow stdout; past
// it, lines are dropped and counted.
const liveQueue = 1024

// liveLines prints what the emulator does as it happens, as stripe listen
// does: a line per webhook called, per Debugger event, and per inbound
// contact's outcome. The emulator's hooks (OnEvent, OnWebhook, OnContact)
// format a line and put it on a bounded queue without waiting; one
// goroutine writes the queue to stdout, a whole line per write, so that
// lines never interleave and a slow stdout never stalls the emulator.
// When the queue is full a line is dropped and counted, and the count is
// printed before the next line written.
type liveLines struct {
	out     io.Writer
	paint   term.Palette
	mask    func(string) string
	queue   chan string
	dropped atomic.Int64
	stop    chan struct{}
	done    chan struct{}
}

func newLiveLines(out io.Writer, paint term.Palette, mask func(string) string) *liveLines {
	return &liveLines{out: out, paint: paint, mask: mask, queue: make(chan string, liveQueue),
		stop: make(chan struct{}), done: make(chan struct{})}
}

// start writes the queue to stdout until close.
func (l *liveLines) start() {
	go func() {
		defer close(l.done)
		for {
			select {
			case s := <-l.queue:
				l.write(s)
			case <-l.stop:
				for {
					select {
					case s := <-l.queue:
						l.write(s)
					default:
						l.write("")
						return
					}
				}
			}
		}
	}()
}

// close writes what the queue holds and stops, waiting at most wait for
// stdout to take it.
func (l *liveLines) close(wait time.Duration) {
	close(l.stop)
	select {
	case <-l.done:
	case <-time.After(wait):
	}
}

// write writes a line ("": none), after the count of lines dropped
// before it, if any.
func (l *liveLines) write(s string) {
	if n := l.dropped.Swap(0); n > 0 {
		io.WriteString(l.out, l.paint.Warn(fmt.Sprintf("… %d lines dropped: stdout did not keep up (oosc emulate never waits for it; the page and GET /emulator/events keep the latest)", n))+"\n")
	}
	if s != "" {
		io.WriteString(l.out, s)
	}
}

// put queues a line, or drops it when the queue is full.
func (l *liveLines) put(s string) {
	select {
	case l.queue <- s:
	default:
		l.dropped.Add(1)
	}
}

// line is one line: the virtual clock's time, then the fields, two spaces
// apart.
func (l *liveLines) line(at time.Time, fields ...string) string {
	var b strings.Builder
	b.WriteString(l.paint.Faint(at.UTC().Format(time.DateTime)))
	for _, f := range fields {
		if f != "" {
			b.WriteString("  ")
			b.WriteString(f)
		}
	}
	b.WriteByte('\n')
	return b.String()
}

// code paints s for code c: 80905 and 80913 as failures, other errors as
// warnings.
func (l *liveLines) code(c oosc.Code, s string) string {
	switch {
	case c == oosc.CodeUnknownScenario || c == oosc.CodeOutOfSessionCallbackError:
		return l.paint.Fail(s)
	case !c.Warning():
		return l.paint.Warn(s)
	}
	return s
}

// event is the line of a Debugger event: its code, title and
// explanation, and the fix. A code logged beside an 80905 or 80913 of the
// same contact has no line of its own: the 80905's explanation says it.
func (l *liveLines) event(e debugger.Event) {
	for _, c := range e.Codes {
		if c != e.Code && (c == oosc.CodeUnknownScenario || c == oosc.CodeOutOfSessionCallbackError) {
			return
		}
	}
	head := e.Code.String()
	if t := e.Code.Title(); t != "" {
		head += " " + t
	}
	var text string
	if x := e.Explanation; x != nil {
		text = x.Summary
		if x.Fix != "" {
			text += "; fix: " + x.Fix
		}
	} else {
		text = e.Text
	}
	l.put(l.line(e.Time, l.code(e.Code, head), l.text(text, 0)))
}

// webhook is the line of a webhook called: its kind, its status (or why
// no answer came), the answer's Content-Type, the latency, the answer
// itself for the out-of-session callback (what the callback said), and
// the URL.
func (l *liveLines) webhook(w debugger.Webhook) {
	var status, answer string
	switch {
	case !w.Answered:
		why := w.Error
		if i := strings.LastIndex(why, ": "); i >= 0 {
			why = why[i+2:]
		}
		status = l.paint.Fail("no answer" + prefixed(": ", l.text(why, 80)))
	case w.Status < 200 || w.Status > 299:
		status = l.paint.Fail(fmt.Sprint(w.Status))
		if loc := w.Header.Get("Location"); loc != "" {
			status += " -> " + l.text(loc, 80)
		}
	default:
		status = l.paint.OK(fmt.Sprint(w.Status))
	}
	if w.Answered {
		status += prefixed(" ", l.text(w.Header.Get("Content-Type"), 40))
		if w.Kind == debugger.WebhookOutOfSession {
			answer = l.text(string(w.Body), 100)
		}
	}
	latency := ""
	switch {
	case w.Latency >= time.Millisecond:
		latency = w.Latency.Round(100 * time.Microsecond).String()
	case w.Latency > 0:
		latency = w.Latency.Round(time.Microsecond).String()
	}
	kind := string(w.Kind)
	if kind == "" {
		kind = "a"
	}
	l.put(l.line(w.Time, kind+" webhook", status, latency, answer, l.paint.Faint(l.text(w.URL, 120))))
}

// contact is the line of an inbound contact's outcome: the channel, who
// called or wrote whom, the outcome, the codes, why it was out of
// session, and where it went.
func (l *liveLines) contact(c emulator.Contact) {
	at, in, r := c.Time, c.Inbound, c.Result
	who := l.text(in.From, 40) + " -> " + l.text(in.To, 40)
	outcome := string(r.Outcome)
	codes := make([]string, len(r.Codes))
	for i, c := range r.Codes {
		codes[i] = c.String()
	}
	var paint func(string) string
	switch {
	case slices.Contains(r.Codes, oosc.CodeUnknownScenario) || slices.Contains(r.Codes, oosc.CodeOutOfSessionCallbackError):
		paint = l.paint.Fail
	case r.Outcome == emulator.OutcomeRouted || r.Outcome == emulator.OutcomeCreated || r.Outcome == emulator.OutcomeTwiML:
		paint = l.paint.OK
	default:
		paint = l.paint.Warn
	}
	head := paint(strings.TrimSpace(outcome + " " + strings.Join(codes, " ")))
	var detail []string
	if r.Cause != "" {
		detail = append(detail, "cause "+string(r.Cause))
	}
	switch r.Outcome {
	case emulator.OutcomeRouted, emulator.OutcomeCreated:
		detail = append(detail, "Session "+l.text(r.Session, 60), "to "+l.text(r.DeliverTo, 40)+" from "+l.text(r.ShownFrom, 40))
	case emulator.OutcomeTwiML:
		detail = append(detail, "answered by the callback's TwiML")
	case emulator.OutcomeIgnored:
		detail = append(detail, l.text(r.Detail, 120))
	default:
		if r.Session != "" {
			detail = append(detail, "Session "+l.text(r.Session, 60))
		}
	}
	l.put(l.line(at, fmt.Sprintf("%-5s", in.Channel), who, head, strings.Join(detail, ", ")))
}

// text is a value as a line shows it: on one line, safe for a terminal,
// its phone numbers masked (unless --phone-numbers), then cut to n runes
// (0: not cut). The whole value is masked before it is cut, so that a cut
// never leaves part of a number the mask no longer recognises: a Session's
// uniqueName, a URL, an answer or a redirect's Location may hold one.
func (l *liveLines) text(s string, n int) string {
	return oneLine(l.mask(oneLine(s, 0)), n)
}

// oneLine makes s fit on a line, and safe for a terminal: what is not
// printable (line breaks, escape sequences' ESC, bidirectional controls)
// and runs of spaces become one space, invalid UTF-8 U+FFFD; it is cut to
// n runes (0: not cut), the cut marked.
func oneLine(s string, n int) string {
	var b strings.Builder
	runes, space := 0, false
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		if unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = b.Len() > 0
			continue
		}
		need := 1 // the rune, and the space before it
		if space {
			need = 2
		}
		if n > 0 && runes+need > n {
			b.WriteString("…")
			return b.String()
		}
		if space {
			b.WriteByte(' ')
			runes++
			space = false
		}
		b.WriteRune(r)
		runes++
	}
	return b.String()
}

// prefixed is p+s, or "" when s is.
func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}
