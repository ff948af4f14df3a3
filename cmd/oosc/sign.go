package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/oosc-dev/oosc/callback"
)

const signUsage = `usage: oosc sign --auth-token T --url URL [--body FORM | NAME=VALUE ...]

Prints the X-Twilio-Signature Twilio would send for a POST to URL (exactly as
given) with the form parameters: from --body, a form-encoded body, or from
NAME=VALUE arguments (a NAME may repeat; VALUE may be empty or hold '=').

Exit status: 0, or 2 on a usage error.

flags:
`

const verifyUsage = `usage: oosc verify --auth-token T [--auth-token T2 ...] --url URL --signature SIG [--body BODY | NAME=VALUE ...]

Checks a signature as the handler does: the URL as given, then with the
default port added or removed, under every token. When the URL carries
bodySHA256, BODY is the raw body and its SHA-256 must match.

Exit status: 0 valid, 1 invalid, 2 usage error.

flags:
`

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

// formArgs builds the parameters from --body or NAME=VALUE arguments.
func formArgs(body string, bodySet bool, args []string) (url.Values, error) {
	if bodySet && len(args) > 0 {
		return nil, errors.New("give --body or NAME=VALUE arguments, not both")
	}
	if bodySet {
		form, err := url.ParseQuery(body)
		if err != nil {
			return nil, fmt.Errorf("--body is not form-encoded: %v", err)
		}
		return form, nil
	}
	form := url.Values{}
	for _, a := range args {
		name, value, ok := strings.Cut(a, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("argument %q is not NAME=VALUE", a)
		}
		form.Add(name, value)
	}
	return form, nil
}

func newFlags(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// bodyFlag records whether --body was given, even as "".
type bodyFlag struct {
	value string
	set   bool
}

func (b *bodyFlag) String() string     { return b.value }
func (b *bodyFlag) Set(v string) error { b.value, b.set = v, true; return nil }

func runSign(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("sign", signUsage, stderr)
	tok := fs.String("auth-token", "", "the Twilio Auth Token")
	u := fs.String("url", "", "the URL Twilio calls, exactly as configured")
	var body bodyFlag
	fs.Var(&body, "body", "the form-encoded body (instead of NAME=VALUE arguments)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *tok == "" || *u == "" {
		fmt.Fprintln(stderr, "oosc sign: --auth-token and --url are required")
		fs.Usage()
		return exitUsage
	}
	form, err := formArgs(body.value, body.set, fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "oosc sign: %v\n", err)
		return exitUsage
	}
	fmt.Fprintln(stdout, callback.Signature(*tok, *u, form))
	return exitOK
}

func runVerify(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("verify", verifyUsage, stderr)
	var tokens stringList
	fs.Var(&tokens, "auth-token", "an Auth Token to accept (repeat for several)")
	u := fs.String("url", "", "the URL Twilio called")
	sig := fs.String("signature", "", "the X-Twilio-Signature to check")
	var body bodyFlag
	fs.Var(&body, "body", "the body: form-encoded, or raw when the URL has bodySHA256")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if len(tokens) == 0 || *u == "" {
		fmt.Fprintln(stderr, "oosc verify: --auth-token and --url are required")
		fs.Usage()
		return exitUsage
	}
	var err error
	if callback.HasBodyHash(*u) {
		if fs.NArg() > 0 {
			fmt.Fprintln(stderr, "oosc verify: with bodySHA256 the body is raw: give it with --body")
			return exitUsage
		}
		err = callback.VerifySignatureBody(tokens, *u, []byte(body.value), *sig)
	} else {
		form, ferr := formArgs(body.value, body.set, fs.Args())
		if ferr != nil {
			fmt.Fprintf(stderr, "oosc verify: %v\n", ferr)
			return exitUsage
		}
		err = callback.VerifySignature(tokens, *u, form, *sig)
	}
	if err != nil {
		fmt.Fprintf(stdout, "invalid: %v\n", err)
		return exitInvalid
	}
	fmt.Fprintln(stdout, "valid")
	return exitOK
}
