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

// bodyFlag records whether --body was given, even as "".
type bodyFlag struct {
	value string
	set   bool
}

func (b *bodyFlag) String() string     { return b.value }
func (b *bodyFlag) Set(v string) error { b.value, b.set = v, true; return nil }

// checkURL refuses a URL that is not absolute http(s): Twilio signs only those.
func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("--url %q is not an absolute http(s) URL such as https://hooks.example.com/out-of-session", raw)
	}
	return nil
}

// missing names the required flags that were not given.
func missing(fs *flag.FlagSet, names ...string) []string {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var out []string
	for _, n := range names {
		if !given[n] {
			out = append(out, "--"+n)
		}
	}
	return out
}

func runSign(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("sign", signUsage, stderr)
	tok := fs.String("auth-token", "", "the Twilio Auth Token (required)")
	u := fs.String("url", "", "the URL Twilio calls, exactly as configured (required)")
	var body bodyFlag
	fs.Var(&body, "body", "the form-encoded body (instead of NAME=VALUE arguments)")
	params, err := parseArgs(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if m := missing(fs, "auth-token", "url"); len(m) > 0 {
		fmt.Fprintf(stderr, "oosc sign: %s required\n", strings.Join(m, ", "))
		fs.Usage()
		return exitUsage
	}
	if *tok == "" {
		fmt.Fprintln(stderr, "oosc sign: --auth-token is empty")
		return exitUsage
	}
	if err := checkURL(*u); err != nil {
		fmt.Fprintf(stderr, "oosc sign: %v\n", err)
		return exitUsage
	}
	form, err := formArgs(body.value, body.set, params)
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
	fs.Var(&tokens, "auth-token", "an Auth Token to accept (required; repeat for several)")
	u := fs.String("url", "", "the URL Twilio called (required)")
	sig := fs.String("signature", "", "the X-Twilio-Signature to check (required)")
	var body bodyFlag
	fs.Var(&body, "body", "the body: form-encoded, or raw when the URL has bodySHA256")
	params, err := parseArgs(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if m := missing(fs, "auth-token", "url", "signature"); len(m) > 0 {
		fmt.Fprintf(stderr, "oosc verify: %s required\n", strings.Join(m, ", "))
		fs.Usage()
		return exitUsage
	}
	for _, t := range tokens {
		if t == "" {
			fmt.Fprintln(stderr, "oosc verify: an --auth-token is empty")
			return exitUsage
		}
	}
	if err := checkURL(*u); err != nil {
		fmt.Fprintf(stderr, "oosc verify: %v\n", err)
		return exitUsage
	}
	if callback.HasBodyHash(*u) {
		if len(params) > 0 {
			fmt.Fprintln(stderr, "oosc verify: with bodySHA256 the body is raw: give it with --body")
			return exitUsage
		}
		err = callback.VerifySignatureBody(tokens, *u, []byte(body.value), *sig)
	} else {
		form, ferr := formArgs(body.value, body.set, params)
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
