// Command oosc checks Twilio Proxy out-of-session callback answers.
//
//	oosc validate [--channel voice|messaging] [--content-type TYPE] [--json] FILE|-
//
// validate judges a callback answer as Proxy would: the Content-Type if given,
// then the body, TwiML or auto-create session JSON. It prints one problem per
// line and exits 0 when the answer is valid, 1 when it is not, and 2 on a
// usage or I/O error.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `usage: oosc <command> [flags]

commands:
  validate   judge a callback answer (TwiML or auto-create JSON) as Proxy would

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
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "oosc: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}
