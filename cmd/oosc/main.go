// Command oosc checks Twilio Proxy out-of-session callbacks and their
// answers, and plays Proxy for them.
//
//	oosc validate [--channel voice|sms] [--content-type TYPE] [--from NUMBER] [--now RFC3339] [--lenient] [--json] FILE|- ...
//	oosc sign [--auth-token T] --url URL [--body FORM | NAME=VALUE ...]
//	oosc verify [--auth-token T ...] --url URL --signature SIG [--body BODY | NAME=VALUE ...]
//	oosc check --url URL [--auth-token T] [--callback NAME ...] [--from N] [--to N] [--timeout D] [--json]
//	oosc simulate [--callback-url URL] [--intercept-url URL] [--auth-token T] [--json] FILE|-
//	oosc emulate [--addr HOST:PORT] [--account-sid AC…] [--auth-token T] [--start RFC3339] [--state FILE] [--open-control] [--allow-host NAME] [--allow-participant-conflict] [--quiet] [--phone-numbers]
//	oosc explain [--json] [--phone-numbers] FILE|-
//	oosc --version
//
// Every command takes --help (on standard output, exit 0), writes errors
// to standard error, takes its flags before or after its files, and reads
// the auth token from TWILIO_AUTH_TOKEN when --auth-token is not given, so
// that the secret need not be on the command line; an empty token, by flag
// or by variable, is a usage error. Channels are voice and sms, messaging
// being a synonym of sms. --json output is JSON Lines where a command
// prints a stream (one object per file, step or event), never
// HTML-escaped, with each problem's Twilio code as a field. Failures are
// coloured on a terminal, never in a pipe or a file, nor when NO_COLOR is
// set.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/oosc-dev/oosc/internal/spell"
	"github.com/oosc-dev/oosc/internal/term"
)

// Version is the release this source is; a binary installed from a
// published module reports the module's version instead.
const Version = "v0.2.0"

// commands are the subcommands, in the order help lists them.
var commands = []struct{ name, summary string }{
	{"validate", "judge callback answers (TwiML or auto-create JSON) as Proxy would"},
	{"sign", "print the X-Twilio-Signature of a request"},
	{"verify", "check an X-Twilio-Signature as the handler does"},
	{"check", "send each built-in callback to a running endpoint and judge its answers"},
	{"simulate", "run a scenario file through the Proxy emulator against a callback"},
	{"emulate", "serve a local Proxy: its REST API, a control API and a page"},
	{"explain", "explain Twilio Debugger events (80905 and Proxy's other codes)"},
	{"help", "list the commands"},
}

func usage(w io.Writer) {
	fmt.Fprint(w, "usage: oosc <command> [flags] [arguments]\n       oosc --version\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun \"oosc <command> --help\" for the flags of a command. Flags may come\n"+
		"before or after the other arguments. The auth token is read from\n"+
		"TWILIO_AUTH_TOKEN when --auth-token is not given.\n")
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

// lookupEnv reads the environment; tests replace it.
var lookupEnv = os.LookupEnv

// env is the value of the environment variable k, "" when unset.
func env(k string) string {
	v, _ := lookupEnv(k)
	return v
}

// isTerminal reports whether w is a terminal; tests replace it.
var isTerminal = term.IsTerminal

// paletteFor colours what is written to w: on a terminal, unless NO_COLOR
// is set (https://no-color.org) or TERM is dumb.
func paletteFor(w io.Writer) term.Palette {
	return term.Palette{On: isTerminal(w) && term.ColorAllowed(env)}
}

// run executes the command line args and returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	io := ios{stdin: stdin, stdout: stdout, stderr: stderr}
	switch args[0] {
	case "validate":
		return runValidate(args[1:], io)
	case "sign":
		return runSign(args[1:], io)
	case "verify":
		return runVerify(args[1:], io)
	case "check":
		return runCheck(args[1:], io)
	case "simulate":
		return runSimulate(args[1:], io)
	case "emulate":
		return runEmulate(args[1:], io)
	case "explain":
		return runExplain(args[1:], io)
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return exitOK
	case "-version", "--version", "version":
		bi, ok := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, "oosc", version(bi, ok))
		return exitOK
	}
	fmt.Fprintf(stderr, "oosc: unknown command %q\n", args[0])
	names := make([]string, len(commands))
	for i, c := range commands {
		names[i] = c.name
	}
	if guess := spell.Closest(args[0], names, 2); guess != "" {
		fmt.Fprintf(stderr, "\nDid you mean this?\n\t%s\n", guess)
	}
	fmt.Fprintln(stderr)
	usage(stderr)
	return exitUsage
}

// ios are a command's standard streams.
type ios struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// version names what the binary was built from, from its build
// information: the module's version (a release after go install
// module@version; a pseudo-version when go build stamped one from a
// clone), else this source's Version; then the VCS revision when the build
// stamped one. When it stamped neither, it says so, and why that happens.
func version(bi *debug.BuildInfo, ok bool) string {
	if !ok {
		return Version + " (the binary carries no build information)"
	}
	rev, modified := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	v, stamped := bi.Main.Version, true
	if v == "" || v == "(devel)" {
		v, stamped = Version, false
	}
	switch {
	case rev != "" && modified:
		return fmt.Sprintf("%s (revision %.12s, with uncommitted changes)", v, rev)
	case rev != "":
		return fmt.Sprintf("%s (revision %.12s)", v, rev)
	case stamped:
		return v
	}
	return v + " (from source: the build stamped no module version or VCS revision, as a build with -buildvcs=false or outside a git checkout does)"
}

// command is a subcommand's flags, usage and streams.
type command struct {
	fs    *flag.FlagSet
	usage string
	io    ios
}

func newCommand(name, usage string, io ios) *command {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.stderr)
	c := &command{fs: fs, usage: usage, io: io}
	fs.Usage = func() { c.printUsage(fs.Output()) }
	return c
}

func (c *command) printUsage(w io.Writer) {
	fmt.Fprint(w, c.usage)
	out := c.fs.Output()
	c.fs.SetOutput(w)
	c.fs.PrintDefaults()
	c.fs.SetOutput(out)
}

// errorf reports a usage error on stderr, with the usage.
func (c *command) errorf(format string, args ...any) int {
	fmt.Fprintf(c.io.stderr, "oosc %s: %s\n", c.fs.Name(), fmt.Sprintf(format, args...))
	return exitUsage
}

// fail reports an error that is not the command line's on stderr.
func (c *command) fail(format string, args ...any) int {
	fmt.Fprintf(c.io.stderr, "oosc %s: %s\n", c.fs.Name(), fmt.Sprintf(format, args...))
	return exitUsage
}

// parse parses the flags wherever they stand among the arguments (flag
// stops at the first non-flag) and returns the other arguments in order;
// after "--" every argument is positional. ok is false when the command
// must exit with code: 0 after --help (printed on stdout), 2 on a usage
// error (reported on stderr).
func (c *command) parse(args []string) (rest []string, code int, ok bool) {
	c.fs.SetOutput(io.Discard) // flag's own messages are replaced by ours
	for {
		err := c.fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.printUsage(c.io.stdout)
			return nil, exitOK, false
		}
		if err != nil {
			fmt.Fprintf(c.io.stderr, "oosc %s: %v\n", c.fs.Name(), err)
			c.printUsage(c.io.stderr)
			return nil, exitUsage, false
		}
		left := c.fs.Args()
		if n := len(args) - len(left); n > 0 && args[n-1] == "--" {
			return append(rest, left...), exitOK, true
		}
		if len(left) == 0 {
			return rest, exitOK, true
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// given reports whether the flag name was set on the command line.
func (c *command) given(name string) bool {
	set := false
	c.fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// missing names the required flags that were not given.
func (c *command) missing(names ...string) []string {
	var out []string
	for _, n := range names {
		if !c.given(n) {
			out = append(out, "--"+n)
		}
	}
	return out
}

// authTokens returns the tokens of --auth-token, else of TWILIO_AUTH_TOKEN
// (comma-separated, primary first). The error is errNoToken when neither
// is given, and names the flag or the variable when one is given empty: an
// empty token would sign with nothing, or fall back to a default.
func authTokens(flagged []string) ([]string, error) {
	if len(flagged) > 0 {
		for _, t := range flagged {
			if strings.TrimSpace(t) == "" {
				return nil, errors.New("--auth-token is empty: give the Auth Token")
			}
		}
		return flagged, nil
	}
	v, set := lookupEnv("TWILIO_AUTH_TOKEN")
	if !set {
		return nil, errNoToken
	}
	var out []string
	for _, t := range strings.Split(v, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("TWILIO_AUTH_TOKEN is set but empty: set it to the Auth Token, or unset it")
	}
	return out, nil
}

// errNoToken is authTokens' error when no token is given at all.
var errNoToken = errors.New("give --auth-token, or set TWILIO_AUTH_TOKEN")

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
