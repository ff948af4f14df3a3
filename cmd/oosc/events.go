package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"

	"github.com/oosc-dev/oosc/debugger"
)

// Limits on one event of oosc explain's input, never on the whole: a line
// of webhook parameters carries a payload of at most
// debugger.MaxPayloadBytes escaped inside a JSON string (each quote and
// backslash doubled) and the other parameters; an alert is at most
// debugger.MaxPayloadBytes, with the whitespace and comma before it.
const (
	maxEventBytes = 2*debugger.MaxPayloadBytes + 64<<10
	maxAlertBytes = debugger.MaxPayloadBytes + 64<<10
)

// errEndOfInput is eventReader.next's error at the end of the input.
var errEndOfInput = io.EOF

// errTooLarge is an event over its limit.
var errTooLarge = errors.New("larger than one event may be")

// placedEvent is an event and the line of the input where it starts.
type placedEvent struct {
	line  int
	event debugger.Event
}

// eventError is an event that cannot be read, at its line.
type eventError struct {
	line int
	err  error
}

func (e *eventError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *eventError) Unwrap() error { return e.err }

// eventReader reads Debugger events from a stream one at a time, in memory
// bounded by the largest event, never by the input: JSON Lines of webhook
// parameters (one object per line), or Monitor Alerts pages
// ({"alerts": [...]}, on one line or many). The first non-blank line
// decides: a whole JSON object without "alerts", or anything but an
// object, means JSON Lines, where a line that cannot be read is reported
// and the next one read; else the input is a stream of JSON objects, each
// a page or an event, where an error ends the reading.
type eventReader struct {
	br      *bufio.Reader
	started bool
	lines   bool // JSON Lines, else a stream of JSON objects
	line    int  // JSON Lines: the number of the line last read
	first   *lineRead

	// A stream of JSON objects: the decoder, and what it read.
	dec     *json.Decoder
	src     *tracker
	at      int   // the line where the object or alert being read starts
	from    int64 // the offset after the alert before the one being read
	inPage  bool  // inside an "alerts" list
	stopped bool  // after an error the stream cannot go on from
}

func newEventReader(r io.Reader) *eventReader {
	return &eventReader{br: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next event. An *eventError is an event that cannot be
// read; io.EOF ends the input, also after an error the reading cannot go
// on from; any other error is the input's own.
func (er *eventReader) next() (placedEvent, error) {
	if !er.started {
		er.started = true
		if err := er.start(); err != nil {
			return placedEvent{}, err
		}
	}
	if er.lines {
		return er.nextLine()
	}
	return er.nextInStream()
}

// start reads up to the first non-blank line and chooses how to read.
func (er *eventReader) start() error {
	for {
		lr, err := readLine(er.br, maxEventBytes)
		if err != nil {
			return err
		}
		er.line++
		t := bytes.TrimSpace(lr.data)
		if len(t) == 0 && lr.ended {
			if lr.eof {
				return io.EOF
			}
			continue
		}
		if t[0] != '{' || (!lr.tooLong() && lr.ended && isEventLine(t)) {
			er.lines, er.first = true, &lr
			return nil
		}
		er.src = &tracker{r: io.MultiReader(bytes.NewReader(lr.data), er.br), line: er.line}
		er.dec = json.NewDecoder(er.src)
		return nil
	}
}

// isEventLine reports whether a line is a whole JSON object without
// "alerts": an event of JSON Lines, not a page.
func isEventLine(line []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(line, &top) != nil || top == nil {
		return false
	}
	_, page := top["alerts"]
	return !page
}

func (er *eventReader) nextLine() (placedEvent, error) {
	for {
		var lr lineRead
		if er.first != nil {
			lr, er.first = *er.first, nil
		} else {
			var err error
			if lr, err = readLine(er.br, maxEventBytes); err != nil {
				return placedEvent{}, err
			}
			er.line++
		}
		if lr.tooLong() {
			if !lr.ended {
				if err := skipLine(er.br); err != nil {
					return placedEvent{}, err
				}
			}
			return placedEvent{}, &eventError{er.line, fmt.Errorf("%w: over %d bytes", errTooLarge, maxEventBytes)}
		}
		t := bytes.TrimSpace(lr.data)
		if len(t) == 0 {
			if lr.eof {
				return placedEvent{}, io.EOF
			}
			continue
		}
		var params map[string]json.RawMessage
		if err := json.Unmarshal(t, &params); err != nil || params == nil {
			return placedEvent{}, &eventError{er.line, fmt.Errorf("%w: not a JSON object of webhook parameters", debugger.ErrMalformed)}
		}
		e, err := webhookEvent(params)
		if err != nil {
			return placedEvent{}, &eventError{er.line, err}
		}
		return placedEvent{er.line, e}, nil
	}
}

// webhookEvent parses the Debugger webhook's parameters, as a JSON object
// whose values are strings (a Payload may also be given as an object).
func webhookEvent(params map[string]json.RawMessage) (debugger.Event, error) {
	form := url.Values{}
	for k, raw := range params {
		form.Set(k, textOf(raw))
	}
	return debugger.ParseWebhook(form)
}

// textOf is a JSON string's text, or any other value's JSON.
func textOf(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func (er *eventReader) nextInStream() (placedEvent, error) {
	if er.stopped {
		return placedEvent{}, io.EOF
	}
	dec := er.dec
	for {
		if er.inPage {
			if dec.More() {
				er.from = dec.InputOffset()
				er.src.allow(er.from, maxAlertBytes)
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return placedEvent{}, er.fail(err)
				}
				er.at = er.src.lineAt(dec.InputOffset() - int64(len(raw)))
				e, err := debugger.ParseAlert(raw)
				if err != nil {
					return placedEvent{}, &eventError{er.at, err}
				}
				return placedEvent{er.at, e}, nil
			}
			er.inPage = false
			if _, err := dec.Token(); err != nil { // ]
				return placedEvent{}, er.fail(err)
			}
			er.src.allow(dec.InputOffset(), maxEventBytes)
			if _, err := er.object(); err != nil { // the page's other keys
				return placedEvent{}, er.fail(err)
			}
			continue
		}
		er.src.allow(dec.InputOffset(), maxEventBytes)
		er.at = er.src.lineAt(er.src.valueStart(dec.InputOffset()))
		tok, err := dec.Token()
		if err == io.EOF {
			return placedEvent{}, io.EOF
		}
		if err != nil {
			return placedEvent{}, er.fail(err)
		}
		er.at = er.src.lineAt(dec.InputOffset() - 1)
		if tok != json.Delim('{') {
			return placedEvent{}, er.fail(fmt.Errorf("%w: not a JSON object", debugger.ErrMalformed))
		}
		params, err := er.object()
		if err != nil {
			return placedEvent{}, er.fail(err)
		}
		if er.inPage {
			continue
		}
		e, err := webhookEvent(params)
		if err != nil {
			return placedEvent{}, &eventError{er.at, err}
		}
		return placedEvent{er.at, e}, nil
	}
}

// object reads an object's keys and values after its "{", up to and with
// its "}", or up to the "[" of an "alerts" list, which it enters.
func (er *eventReader) object() (map[string]json.RawMessage, error) {
	dec := er.dec
	params := map[string]json.RawMessage{}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := kt.(string)
		if key == "alerts" {
			if tok, err := dec.Token(); err != nil {
				return nil, err
			} else if tok != json.Delim('[') {
				return nil, fmt.Errorf("%w: alerts is not a list", debugger.ErrMalformed)
			}
			er.inPage = true
			return nil, nil
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, err
		}
		params[key] = raw
	}
	if _, err := dec.Token(); err != nil { // }
		return nil, err
	}
	return params, nil
}

// fail ends the stream: an error inside a JSON value leaves no place to
// go on from.
func (er *eventReader) fail(err error) error {
	er.stopped = true
	var se *json.SyntaxError
	switch {
	case errors.Is(err, errTooLarge):
		limit := maxEventBytes
		if er.inPage {
			limit = maxAlertBytes
		}
		err = fmt.Errorf("%w: over %d bytes; the reading stops here", errTooLarge, limit)
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF):
		err = fmt.Errorf("%w: not JSON (%v); the reading stops here", debugger.ErrMalformed, err)
	}
	if er.inPage {
		er.at = er.src.lineAt(er.src.valueStart(er.from))
	}
	return &eventError{er.at, err}
}

// tracker is the stream under the decoder: it refuses to read past the
// limit of the event being read, and counts lines.
type tracker struct {
	r     io.Reader
	read  int64 // bytes read
	limit int64 // read no further
	// line is the line at offset mark; pending holds the bytes from mark
	// to read, for the next lineAt.
	line    int
	mark    int64
	pending []byte
}

// allow lets the decoder read n bytes past off.
func (t *tracker) allow(off, n int64) { t.limit = off + n }

func (t *tracker) Read(p []byte) (int, error) {
	if t.read >= t.limit {
		return 0, errTooLarge
	}
	if rest := t.limit - t.read; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := t.r.Read(p)
	t.pending = append(t.pending, p[:n]...)
	t.read += int64(n)
	return n, err
}

// lineAt returns the line of offset off, which is at or past the last
// one asked and within what was read.
func (t *tracker) lineAt(off int64) int {
	if k := off - t.mark; k > 0 && k <= int64(len(t.pending)) {
		t.line += bytes.Count(t.pending[:k], []byte{'\n'})
		t.pending = t.pending[k:]
		t.mark = off
	}
	return t.line
}

// valueStart is the offset of the value after off, past a comma and
// whitespace, as far as it was read.
func (t *tracker) valueStart(off int64) int64 {
	i := off - t.mark
	for i >= 0 && i < int64(len(t.pending)) && bytes.IndexByte([]byte(", \t\r\n"), t.pending[i]) >= 0 {
		i++
	}
	return t.mark + i
}

// lineRead is a line read with readLine.
type lineRead struct {
	data  []byte // the line, newline included; when too long, its start
	ended bool   // the line's end was read: a newline, or the input's end
	eof   bool   // the input ends with this line
	limit int
}

func (l lineRead) tooLong() bool { return len(l.data) > l.limit }

// readLine reads a line of at most limit bytes; of a longer one, it reads
// a little past the limit and leaves the rest. The error is the input's,
// never io.EOF, which eof reports.
func readLine(br *bufio.Reader, limit int) (lineRead, error) {
	l := lineRead{limit: limit}
	for {
		frag, err := br.ReadSlice('\n')
		l.data = append(l.data, frag...)
		switch {
		case err == nil:
			l.ended = true
			return l, nil
		case err == io.EOF:
			l.ended, l.eof = true, true
			return l, nil
		case err != bufio.ErrBufferFull:
			return l, err
		case len(l.data) > limit:
			return l, nil
		}
	}
}

// skipLine reads up to the end of the line.
func skipLine(br *bufio.Reader) error {
	for {
		_, err := br.ReadSlice('\n')
		if err == nil || err == io.EOF {
			return nil
		}
		if err != bufio.ErrBufferFull {
			return err
		}
	}
}
