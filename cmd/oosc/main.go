// Command oosc checks Twilio Proxy out-of-session callbacks and their answers.
//
//	oosc validate [--channel voice|messaging] [--content-type TYPE] [--from NUMBER] [--now RFC3339] [--lenient] [--json] FILE|-
//	oosc sign --auth-token T --url URL [--body FORM | NAME=VALUE ...]
//	oosc verify --auth-token T [--auth-token T2 ...] --url URL --signature SIG [--body BODY | NAME=VALUE ...]
//	oosc check --url URL --auth-token T [--scenario NAME ...] [--json]
//	oosc simulate --callback-url URL --auth-token T [--json] FILE|-
//	oosc help
//	oosc --version
//
// validate judges a callback answer as Proxy would, with the judge package:
// the Content-Type if given, then the body, TwiML or auto-create session
// JSON. sign prints the X-Twilio-Signature of a request; verify checks one
// as the handler does. check sends the built-in callbacks to a running
// endpoint and judges its answers; simulate runs a scenario through the
// Proxy emulator. Flags may come before or after the other arguments.
// Exit status: 0 success or valid, 1 invalid, 2 usage or I/O error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// commands are the subcommands, in the order help lists them.
var commands = []struct{ name, summary string }{
	{"validate", "judge a callback answer (TwiML or auto-create JSON) as Proxy would"},
	{"sign", "print the X-Twilio-Signature of a request"},
	{"verify", "check an X-Twilio-Signature as the handler does"},
	{"check", "send each built-in callback to a running endpoint and judge its answers"},
	{"simulate", "run a scenario file through the Proxy emulator against a callback"},
	{"help", "list the commands"},
}

func usage(w io.Writer) {
	fmt.Fprint(w, "usage: oosc <command> [flags] [arguments]\n       oosc --version\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun \"oosc <command> --help\" for the flags of a command. Flags may come\nbefore or after the other arguments.\n")
}

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
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "validate":
		return runValidate(args[1:], stdin, stdout, stderr)
	case "sign":
		return runSign(args[1:], stdout, stderr)
	case "verify":
		return runVerify(args[1:], stdout, stderr)
	case "check":
		return runCheck(args[1:], stdout, stderr)
	case "simulate":
		return runSimulate(args[1:], stdin, stdout, stderr)
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return exitOK
	case "-version", "--version", "version":
		fmt.Fprintln(stdout, "oosc", version())
		return exitOK
	}
	fmt.Fprintf(stderr, "oosc: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

// version is the module version the binary was built from: a tag such as
// v0.1.0 for go install ...@v0.1.0, "(devel)" in a checkout.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// parseArgs parses flags wherever they stand among the arguments (flag
// stops at the first non-flag) and returns the other arguments in order.
// After "--" every argument is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// parseFile parses the flags and the one FILE (or -) argument of a
// command. When ok is false the command exits with code: 0 after --help, 2
// on a usage error, which it has already reported.
func parseFile(fs *flag.FlagSet, args []string, stderr io.Writer, what string) (file string, code int, ok bool) {
	files, err := parseArgs(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", exitOK, false
		}
		return "", exitUsage, false
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "oosc %s: give one %s, or - for standard input\n", fs.Name(), what)
		fs.Usage()
		return "", exitUsage, false
	}
	return files[0], exitOK, true
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
