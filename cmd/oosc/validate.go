package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/judge"
)

const validateUsage = `usage: oosc validate [--channel voice|sms] [--content-type TYPE] [--from NUMBER] [--now RFC3339] [--lenient] [--json] FILE|- ...

Judges out-of-session callback answers as Twilio Proxy would: the
Content-Type if given, then the body: TwiML or auto-create session JSON. The
kind comes from --content-type, else from the file's extension (.xml,
.twiml: TwiML; .json: auto-create JSON), else from the body's first
non-blank byte, and the output then says it was sniffed. Without --channel,
TwiML must be valid for voice or for sms. Several files may be given; "-"
is standard input. One problem per line on stdout, then the verdict; with
--json, one JSON object per file (JSON Lines).

Exit status: 0 all valid, 1 any invalid, 2 usage or I/O error.

flags:
`

// maxInput bounds what validate reads of a file: anything over the
// 64,000-byte TwiML limit is invalid anyway, so a little more than that is
// enough to say so.
const maxInput = 1 << 20

// fileVerdict is one line of validate --json.
type fileVerdict struct {
	File string `json:"file"`
	judge.Verdict
}

func (f fileVerdict) MarshalJSON() ([]byte, error) {
	v, err := f.Verdict.MarshalJSON() // not json.Marshal, which would escape HTML again
	if err != nil {
		return nil, err
	}
	name, err := json.Marshal(f.File)
	return append(append([]byte(`{"file":`), name...), append([]byte(","), v[1:]...)...), err
}

func runValidate(args []string, io ios) int {
	c := newCommand("validate", validateUsage, io)
	channel := c.fs.String("channel", "", "the interaction answered: voice or sms (messaging is a synonym)")
	contentType := c.fs.String("content-type", "", "the answer's Content-Type header, checked as Proxy would")
	from := c.fs.String("from", "", "the sender (From) of the interaction, for auto-create checks")
	nowFlag := c.fs.String("now", "", "the time to judge dateExpiry against, RFC 3339 (default: now)")
	lenient := c.fs.Bool("lenient", false, "report what Twilio only warns about (12200, 13xxx) as warnings")
	asJSON := c.fs.Bool("json", false, "print one JSON object per file")
	files, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(files) == 0 {
		c.printUsage(io.stderr)
		return c.errorf("give one or more files, or - for standard input")
	}
	var ch oosc.Channel
	if *channel != "" {
		var err error
		if ch, err = oosc.ParseChannel(*channel); err != nil {
			return c.errorf("--channel %q: use voice or sms", *channel)
		}
	}
	now := time.Now // the clock; --now stops it
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return c.errorf("--now %q is not RFC 3339 (2026-11-27T12:00:00Z)", *nowFlag)
		}
		now = func() time.Time { return t }
	}
	stdinRead := false
	invalid := false
	enc := jsonLines(io.stdout)
	for _, file := range files {
		if file == "-" {
			if stdinRead {
				return c.errorf("standard input (-) can be read once")
			}
			stdinRead = true
		}
		body, err := readInput(file, io.stdin)
		if err != nil {
			return c.fail("%v", err)
		}
		ct := *contentType
		if ct == "" {
			ct = contentTypeOf(file)
		}
		v := judge.Body(ct, body, oosc.Inbound{Channel: ch, From: *from}, &judge.Options{Lenient: *lenient, Now: now})
		invalid = invalid || !v.Valid()
		if *asJSON {
			if err := enc.Encode(fileVerdict{File: file, Verdict: v}); err != nil {
				return c.fail("%v", err)
			}
			continue
		}
		printVerdict(io.stdout, file, len(files) > 1, v)
	}
	if invalid {
		return exitInvalid
	}
	return exitOK
}

// contentTypeOf is the media type a file's extension announces: TwiML for
// .xml and .twiml, auto-create JSON for .json; "" otherwise.
func contentTypeOf(file string) string {
	switch strings.ToLower(filepath.Ext(file)) {
	case ".xml", ".twiml":
		return oosc.TwiMLAnswer.ContentType()
	case ".json":
		return oosc.AutoCreateAnswer.ContentType()
	}
	return ""
}

func printVerdict(w io.Writer, file string, named bool, v judge.Verdict) {
	prefix := ""
	if named {
		prefix = file + ": "
	}
	for _, p := range v.Problems {
		fmt.Fprintln(w, prefix+p.String())
	}
	switch {
	case v.Valid() && v.Channel != "":
		fmt.Fprintf(w, "%svalid %s for %s\n", prefix, v.Kind, v.Channel)
	case v.Valid():
		fmt.Fprintf(w, "%svalid %s\n", prefix, v.Kind)
	default:
		fmt.Fprintf(w, "%sinvalid %s: Proxy would log %s\n", prefix, v.Kind, codeList(v.LoggedCodes()))
	}
}

// codeList writes Twilio codes with their titles: "12100 (Document parse
// failure), 80905 (Unknown Scenario)".
func codeList(codes []oosc.Code) string {
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = c.String()
		if title := c.Title(); title != "" {
			parts[i] += " (" + title + ")"
		}
	}
	return strings.Join(parts, ", ")
}

// jsonLines is an encoder of one JSON object per line, not HTML-escaped.
func jsonLines(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxInput {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, maxInput)
	}
	return b, nil
}
