// Command oosc checks Twilio Proxy out-of-session callback answers.
//
//	oosc validate [--channel voice|messaging] [--content-type TYPE] [--from NUMBER] [--now RFC3339] [--json] FILE|-
//	oosc sign --auth-token T --url URL [--body FORM | NAME=VALUE ...]
//	oosc verify --auth-token T [--auth-token T2 ...] --url URL --signature SIG [--body BODY | NAME=VALUE ...]
//
// validate judges a callback answer as Proxy would: the Content-Type if given,
// then the body, TwiML or auto-create session JSON. sign prints the
// X-Twilio-Signature of a request; verify checks one as the handler does.
// Exit status: 0 success or valid, 1 invalid, 2 usage or I/O error.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `usage: oosc <command> [flags]

commands:
  validate   judge a callback answer (TwiML or auto-create JSON) as Proxy would
  sign       print the X-Twilio-Signature of a request
  verify     check an X-Twilio-Signature as the handler does

Run "oosc <command> --help" for the flags of a command.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
)

// run executes the command line args and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "validate":
		return runValidate(args[1:], stdin, stdout, stderr)
	case "sign":
		return runSign(args[1:], stdout, stderr)
	case "verify":
		return runVerify(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "oosc: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
