package main

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzEventReader: whatever the input, explain's reader ends (each call
// reads on, or ends the input), never panics, and places every event and
// every error on a line of the input, in input order.
func FuzzEventReader(f *testing.F) {
	f.Add([]byte(`{"Sid":"NO1","Payload":"{\"error_code\":80905}"}` + "\n" + `not json` + "\n"))
	f.Add([]byte("\n{\"alerts\": [\n {\"sid\": \"NO1\", \"error_code\": 80904},\n {\"sid\": \"NO2\"}\n], \"meta\": {}}\n{\"Sid\": \"x\"}"))
	f.Add([]byte(`{"alerts": [{"sid": "NO1", "error_code": 80905}, {"sid": `))
	f.Add([]byte(`{"alerts": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := 1 + bytes.Count(data, []byte("\n"))
		er := newEventReader(bytes.NewReader(data))
		last := 0
		for calls := 0; ; calls++ {
			if calls > len(data)+1 {
				t.Fatalf("%d results from %d bytes: the reader does not read on", calls, len(data))
			}
			ev, err := er.next()
			if err == errEndOfInput {
				return
			}
			line := ev.line
			var ee *eventError
			switch {
			case errors.As(err, &ee):
				line = ee.line
			case err != nil:
				t.Fatalf("an error that is not an event's: %v", err)
			}
			if line < 1 || line > lines {
				t.Fatalf("line %d of %d lines", line, lines)
			}
			if line < last {
				t.Fatalf("line %d after line %d: out of input order", line, last)
			}
			last = line
		}
	})
}
