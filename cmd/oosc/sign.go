package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/oosc-dev/oosc/webhook"
)

const signUsage = `usage: oosc sign [--auth-token T] --url URL [--body FORM | NAME=VALUE ...]

Prints the X-Twilio-Signature Twilio would send for a POST to URL (exactly as
given) with the form parameters: from --body, a form-encoded body, or from
NAME=VALUE arguments (a NAME may repeat; VALUE may be empty or hold '=').
The token is --auth-token, else the first of TWILIO_AUTH_TOKEN.

Exit status: 0, or 2 on a usage error.

flags:
`

const verifyUsage = `usage: oosc verify [--auth-token T ...] --url URL --signature SIG [--body BODY | NAME=VALUE ...]

Checks a signature as the handler does: the URL as given, then with the
default port added or removed, under every token (--auth-token, repeated,
else TWILIO_AUTH_TOKEN, comma-separated). When the URL carries bodySHA256,
BODY is the raw body and its SHA-256 must match.

Exit status: 0 valid, 1 invalid, 2 usage error.

flags:
`

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

func runSign(args []string, io ios) int {
	c := newCommand("sign", signUsage, io)
	var tokens stringList
	c.fs.Var(&tokens, "auth-token", "the Twilio Auth Token (default: TWILIO_AUTH_TOKEN)")
	u := c.fs.String("url", "", "the URL Twilio calls, exactly as configured (required)")
	var body bodyFlag
	c.fs.Var(&body, "body", "the form-encoded body (instead of NAME=VALUE arguments)")
	params, code, ok := c.parse(args)
	if !ok {
		return code
	}
	toks, err := authTokens(tokens)
	if err != nil {
		return c.errorf("%v", err)
	}
	if m := c.missing("url"); len(m) > 0 {
		return c.errorf("%s required", strings.Join(m, ", "))
	}
	if err := checkURL(*u); err != nil {
		return c.errorf("%v", err)
	}
	form, err := formArgs(body.value, body.set, params)
	if err != nil {
		return c.errorf("%v", err)
	}
	fmt.Fprintln(io.stdout, webhook.Sign(toks[0], *u, form))
	return exitOK
}

func runVerify(args []string, io ios) int {
	c := newCommand("verify", verifyUsage, io)
	var tokens stringList
	c.fs.Var(&tokens, "auth-token", "an Auth Token to accept (repeat for several; default: TWILIO_AUTH_TOKEN)")
	u := c.fs.String("url", "", "the URL Twilio called (required)")
	sig := c.fs.String("signature", "", "the X-Twilio-Signature to check (required)")
	var body bodyFlag
	c.fs.Var(&body, "body", "the body: form-encoded, or raw when the URL has bodySHA256")
	params, code, ok := c.parse(args)
	if !ok {
		return code
	}
	toks, terr := authTokens(tokens)
	if terr != nil {
		return c.errorf("%v", terr)
	}
	if m := c.missing("url", "signature"); len(m) > 0 {
		return c.errorf("%s required", strings.Join(m, ", "))
	}
	if err := checkURL(*u); err != nil {
		return c.errorf("%v", err)
	}
	var err error
	if q, perr := url.Parse(*u); perr == nil && q.Query().Has("bodySHA256") {
		if len(params) > 0 {
			return c.errorf("with bodySHA256 the body is raw: give it with --body")
		}
		err = webhook.VerifyBody(toks, *u, []byte(body.value), *sig)
	} else {
		form, ferr := formArgs(body.value, body.set, params)
		if ferr != nil {
			return c.errorf("%v", ferr)
		}
		err = webhook.Verify(toks, *u, form, *sig)
	}
	if err != nil {
		fmt.Fprintf(io.stdout, "invalid: %v\n", err)
		return exitInvalid
	}
	fmt.Fprintln(io.stdout, "valid")
	return exitOK
}
