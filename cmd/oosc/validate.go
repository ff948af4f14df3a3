package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/oosc-dev/oosc/judge"
	"github.com/oosc-dev/oosc/twiml"
)

const validateUsage = `usage: oosc validate [flags] FILE|-

Judges an out-of-session callback answer as Twilio Proxy would: the
Content-Type if given, then the body: TwiML or auto-create session JSON, told
by --content-type or by the first non-blank byte. Without --channel, TwiML
must be valid for voice or for messaging. One problem per line on stdout.

Exit status: 0 valid, 1 invalid, 2 usage or I/O error.

flags:
`

// maxInput bounds what validate reads: anything over the 64,000-byte TwiML
// limit is invalid anyway, so a little more than that is enough to say so.
const maxInput = 1 << 20

func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("validate", validateUsage, stderr)
	channel := fs.String("channel", "", "the interaction answered: voice or messaging")
	contentType := fs.String("content-type", "", "the answer's Content-Type header, checked as Proxy would")
	from := fs.String("from", "", "the sender (From) of the interaction, for auto-create checks")
	nowFlag := fs.String("now", "", "the time to judge dateExpiry against, RFC 3339 (default: now)")
	lenient := fs.Bool("lenient", false, "report what Twilio only warns about (12200, 13xxx) as warnings")
	asJSON := fs.Bool("json", false, "print the verdict as JSON")
	file, code, ok := parseFile(fs, args, stderr, "FILE")
	if !ok {
		return code
	}
	var ch twiml.Channel
	if *channel != "" {
		var err error
		if ch, err = twiml.ParseChannel(*channel); err != nil {
			fmt.Fprintf(stderr, "oosc validate: --channel %q: use voice or messaging\n", *channel)
			return exitUsage
		}
	}
	now := time.Now()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			fmt.Fprintf(stderr, "oosc validate: --now %q is not RFC 3339 (2026-11-27T12:00:00Z)\n", *nowFlag)
			return exitUsage
		}
		now = t
	}
	body, err := readInput(file, stdin)
	if err != nil {
		fmt.Fprintf(stderr, "oosc validate: %v\n", err)
		return exitUsage
	}

	v := judge.Body(*contentType, body, judge.Contact{Channel: ch, From: *from}, &judge.Options{Lenient: *lenient, Now: now})
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			fmt.Fprintf(stderr, "oosc validate: %v\n", err)
			return exitUsage
		}
	} else {
		for _, p := range v.Problems {
			fmt.Fprintln(stdout, p)
		}
		switch {
		case v.Valid && v.Channel != "":
			fmt.Fprintf(stdout, "valid %s for %s\n", v.Kind, v.Channel)
		case v.Valid:
			fmt.Fprintf(stdout, "valid %s\n", v.Kind)
		default:
			fmt.Fprintf(stdout, "invalid %s: Proxy would log %s\n", v.Kind, joinInts(v.TwilioErrors))
		}
	}
	if !v.Valid {
		return exitInvalid
	}
	return exitOK
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
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
