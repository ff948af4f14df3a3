package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime"
	"os"
	"strings"
	"time"

	"github.com/oosc-dev/oosc/autocreate"
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

// finding is one line of validate's output.
type finding struct {
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Channel  string `json:"channel,omitempty"`
	Where    string `json:"where,omitempty"` // element path (TwiML), field (JSON), or "content-type"
	Line     int    `json:"line,omitempty"`
	Message  string `json:"message"`
}

func (f finding) String() string {
	var b strings.Builder
	if f.Channel != "" {
		b.WriteString(f.Channel + ": ")
	}
	b.WriteString(f.Severity + " ")
	if f.Where == "" {
		b.WriteString("/")
	} else {
		b.WriteString(f.Where)
	}
	if f.Line > 0 {
		fmt.Fprintf(&b, " (line %d)", f.Line)
	}
	b.WriteString(": " + f.Code + ": " + f.Message)
	return b.String()
}

// verdict is validate's result, also its --json output.
type verdict struct {
	Valid    bool      `json:"valid"`
	Kind     string    `json:"kind"`              // "twiml" or "auto-create"
	Channel  string    `json:"channel,omitempty"` // the channel the TwiML is valid for
	Problems []finding `json:"problems"`
}

// maxInput bounds what validate reads: anything over the 64,000-byte TwiML
// limit is invalid anyway, so a little more than that is enough to say so.
const maxInput = 1 << 20

func runValidate(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, validateUsage)
		fs.PrintDefaults()
	}
	channel := fs.String("channel", "", "the interaction answered: voice or messaging")
	contentType := fs.String("content-type", "", "the answer's Content-Type header, checked as Proxy would")
	from := fs.String("from", "", "the sender (From) of the interaction, for auto-create checks")
	nowFlag := fs.String("now", "", "the time to judge dateExpiry against, RFC 3339 (default: now)")
	lenient := fs.Bool("lenient", false, "report what Twilio only warns about (12200, 13xxx) as warnings")
	asJSON := fs.Bool("json", false, "print the verdict as JSON")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "oosc validate: give one FILE, or - for standard input")
		fs.Usage()
		return exitUsage
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
	body, err := readInput(fs.Arg(0), stdin)
	if err != nil {
		fmt.Fprintf(stderr, "oosc validate: %v\n", err)
		return exitUsage
	}

	v := judge(body, judgeOptions{
		contentType: *contentType, channel: ch, from: *from, now: now,
		lenient: *lenient, contentTypeSet: *contentType != "",
	})
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
			fmt.Fprintf(stdout, "invalid %s\n", v.Kind)
		}
	}
	if !v.Valid {
		return exitInvalid
	}
	return exitOK
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

type judgeOptions struct {
	contentType    string
	contentTypeSet bool
	channel        twiml.Channel // "" when unknown
	from           string
	now            time.Time
	lenient        bool
}

// judge validates a callback answer: its Content-Type, then its body.
func judge(body []byte, o judgeOptions) verdict {
	var v verdict
	kind := ""
	if o.contentTypeSet {
		var problems []finding
		kind, problems = checkContentType(o.contentType)
		v.Problems = append(v.Problems, problems...)
	}
	if kind == "" {
		kind = sniff(body)
	}
	switch kind {
	case "auto-create":
		v.Kind = "auto-create"
		_, r := autocreate.ValidateBytes(body, autocreate.Inbound{From: o.from, Channel: o.channel}, o.now)
		for _, p := range r.Problems {
			v.Problems = append(v.Problems, finding{Severity: p.Severity.String(), Code: string(p.Code), Where: p.Field, Message: p.Message})
		}
	default:
		v.Kind = "twiml"
		v.Channel, v.Problems = judgeTwiML(body, o, v.Problems)
	}
	v.Valid = true
	for _, p := range v.Problems {
		if p.Severity == twiml.Error.String() {
			v.Valid = false
		}
	}
	if !v.Valid {
		v.Channel = ""
	}
	return v
}

// judgeTwiML validates TwiML for the given channel, or else for each channel,
// keeping the problems of the channel it is valid for, or of both.
func judgeTwiML(body []byte, o judgeOptions, prior []finding) (string, []finding) {
	val := twiml.Validator{Lenient: o.lenient}
	convert := func(r twiml.Report, label bool) []finding {
		var out []finding
		for _, p := range r.Problems {
			f := finding{Severity: p.Severity.String(), Code: string(p.Code), Where: p.Path, Line: p.Line, Message: p.Message}
			if p.Attr != "" {
				f.Where += "@" + p.Attr
			}
			if label {
				f.Channel = string(r.Channel)
			}
			out = append(out, f)
		}
		return out
	}
	if o.channel != "" {
		r := val.Validate(body, o.channel)
		return string(o.channel), append(prior, convert(r, false)...)
	}
	var reports []twiml.Report
	for _, ch := range twiml.Channels {
		r := val.Validate(body, ch)
		if r.Valid() {
			return string(ch), append(prior, convert(r, false)...)
		}
		reports = append(reports, r)
	}
	out := prior
	for _, r := range reports {
		out = append(out, convert(r, true)...)
	}
	return "", out
}

// sniff tells TwiML from JSON by the first non-blank byte.
func sniff(body []byte) string {
	b := bytes.TrimLeft(bytes.TrimPrefix(body, []byte{0xEF, 0xBB, 0xBF}), " \t\r\n")
	if len(b) > 0 && (b[0] == '{' || b[0] == '[' || b[0] == '"') {
		return "auto-create"
	}
	return "twiml"
}

// checkContentType judges a response Content-Type as Proxy would and says
// which kind of body it announces ("" when it announces neither).
func checkContentType(ct string) (string, []finding) {
	bad := func(msg string, args ...any) (string, []finding) {
		return "", []finding{{Severity: "error", Code: "content-type", Where: "content-type", Message: fmt.Sprintf(msg, args...)}}
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return bad("Content-Type %q cannot be parsed; Proxy needs application/xml (TwiML) or application/json (auto-create) (80905)", ct)
	}
	switch mt {
	case "application/json":
		for k, v := range params {
			if k != "charset" || !strings.EqualFold(v, "utf-8") {
				return bad("Content-Type parameter %s=%s is not accepted; use application/json, optionally with charset=utf-8", k, v)
			}
		}
		return "auto-create", nil
	case "application/xml":
		if len(params) > 0 {
			return "twiml", []finding{{Severity: "warning", Code: "content-type", Where: "content-type",
				Message: fmt.Sprintf("Content-Type %q has parameters; whether Proxy accepts them for TwiML is unconfirmed, send application/xml alone", ct)}}
		}
		return "twiml", nil
	case "text/xml", "text/html":
		return bad("Content-Type %s: Proxy accepts TwiML only as application/xml (80905)", mt)
	}
	return bad("Content-Type %s: Proxy needs application/xml (TwiML) or application/json (auto-create) (80905)", mt)
}
