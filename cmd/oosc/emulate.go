package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/oosc-dev/oosc/emulator"
)

const emulateUsage = `usage: oosc emulate [--addr HOST:PORT] [--account-sid AC…] [--auth-token T] [--start RFC3339] [--state FILE] [--open-control]

Serves a local Twilio Proxy: its REST API under /v1, as Twilio's helper
libraries call it (Basic auth with the account SID and the auth token), a
control API under /emulator for the world outside Proxy (inbound calls and
messages, the virtual clock, what phones received, what Twilio's Debugger
would show), and a page at / that shows the state. It calls the
application's webhooks (out-of-session, intercept, interaction status) as
Proxy does, signed with the auth token. The rules: the documentation of
package github.com/oosc-dev/oosc/emulator.

It listens on loopback unless --addr says otherwise. The token, never
empty, is --auth-token, else the first of TWILIO_AUTH_TOKEN, else a new one it
prints. State is in memory; with --state it is loaded from FILE at start
(when FILE exists) and saved there when the server stops (Ctrl-C or
SIGTERM).

Exit status: 0 after a clean stop; 2 on a usage error, an address that
cannot be listened on, or a state file that cannot be read or written.

flags:
`

// emulateSignals returns a context canceled when the emulator must stop;
// tests replace it.
var emulateSignals = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func runEmulate(args []string, io ios) int {
	c := newCommand("emulate", emulateUsage, io)
	addr := c.fs.String("addr", "127.0.0.1:4010", "the address to listen on")
	account := c.fs.String("account-sid", emulator.DefaultAccountSid, "the Account SID the API answers for")
	var tokens stringList
	c.fs.Var(&tokens, "auth-token", "the auth token (default: TWILIO_AUTH_TOKEN, else a new one)")
	start := c.fs.String("start", "", "the virtual clock's start, RFC 3339 (default: now)")
	stateFile := c.fs.String("state", "", "load the state from FILE at start, save it there at stop")
	openControl := c.fs.Bool("open-control", false, "let any client use the control API and the page without Basic auth")
	rest, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		return c.errorf("unexpected argument %q", rest[0])
	}
	if !validSid(*account, "AC") {
		return c.errorf("--account-sid %q is not an Account SID (AC and 32 hex digits)", *account)
	}
	now := time.Now().UTC().Truncate(time.Second)
	if *start != "" {
		t, err := time.Parse(time.RFC3339, *start)
		if err != nil {
			return c.errorf("--start %q is not an RFC 3339 time", *start)
		}
		now = t
	}
	token, generated := "", false
	switch toks, err := authTokens(tokens); {
	case err == nil:
		token = toks[0]
	case errors.Is(err, errNoToken):
		b := make([]byte, 16)
		rand.Read(b)
		token, generated = hex.EncodeToString(b), true
	default:
		return c.errorf("%v", err)
	}

	p := emulator.New(&emulator.Options{AccountSid: *account, AuthToken: token, Start: now})
	defer p.Close()
	if *stateFile != "" {
		f, err := os.Open(*stateFile)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return c.fail("--state: %v", err)
		default:
			err = p.RestoreState(f)
			f.Close()
			if err != nil {
				return c.fail("--state %s: %v", *stateFile, err)
			}
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return c.fail("%v", err)
	}
	srv := &http.Server{
		Handler:           emulator.NewServer(p, &emulator.ServerOptions{OpenControl: *openControl}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * emulator.WebhookTimeout, // an inbound contact waits for the application's webhooks
		IdleTimeout:       2 * time.Minute,
	}
	base := "http://" + clickable(ln.Addr())
	out := io.stdout
	fmt.Fprintf(out, "Proxy emulator on %s (account %s, virtual clock at %s)\n", base, *account, p.Now().Format(time.RFC3339))
	fmt.Fprintf(out, "  REST API     %s/v1, Basic auth: %s and the auth token\n", base, *account)
	fmt.Fprintf(out, "  control API  %s/emulator/inbound, clock, deliveries, events, reset\n", base)
	fmt.Fprintf(out, "  page         %s/\n", base)
	switch {
	case generated:
		fmt.Fprintf(out, "  auth token   %s (generated; set TWILIO_AUTH_TOKEN to choose one)\n", token)
		fmt.Fprintf(out, "Try: curl -u %s:%s %s/v1/Services\n", *account, token, base)
	case c.given("auth-token"):
		fmt.Fprintln(out, "  auth token   the one given by --auth-token (not printed)")
		fmt.Fprintf(out, "Try: curl -u %s:YOUR_AUTH_TOKEN %s/v1/Services\n", *account, base)
	default:
		fmt.Fprintln(out, "  auth token   from TWILIO_AUTH_TOKEN (not printed)")
		fmt.Fprintf(out, "Try: curl -u \"%s:$TWILIO_AUTH_TOKEN\" %s/v1/Services\n", *account, base)
	}
	fmt.Fprintln(out, "Point a helper library at it through its HTTP client, sending https://proxy.twilio.com here (twilio-go: see the README). Ctrl-C stops it.")
	if !loopbackAddr(ln.Addr()) {
		fmt.Fprintf(io.stderr, "oosc emulate: listening beyond loopback on %s: the REST API needs the token; the control API and the page need it from other hosts%s\n",
			ln.Addr(), map[bool]string{true: ", except that --open-control opens them to all", false: ""}[*openControl])
	}

	ctx, stop := emulateSignals()
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return c.fail("%v", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(shutdown)
	if *stateFile != "" {
		if err := saveState(p, *stateFile); err != nil {
			return c.fail("--state: %v", err)
		}
		fmt.Fprintf(out, "state saved to %s\n", *stateFile)
	}
	fmt.Fprintln(out, "stopped")
	return exitOK
}

// saveState writes the state to a temporary file beside path, then moves
// it there, so that a failed save leaves the previous state whole.
func saveState(p *emulator.Proxy, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := p.SaveState(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// clickable is the listening address as a person can open it: an
// unspecified address (0.0.0.0, ::), which listens on every interface, is
// reached on loopback.
func clickable(a net.Addr) string {
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil || !ap.Addr().IsUnspecified() {
		return a.String()
	}
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), ap.Port()).String()
}

func loopbackAddr(a net.Addr) bool {
	ap, err := netip.ParseAddrPort(a.String())
	return err == nil && ap.Addr().IsLoopback()
}

// validSid reports whether s is prefix and 32 hex digits.
func validSid(s, prefix string) bool {
	if len(s) != 34 || s[:2] != prefix {
		return false
	}
	_, err := hex.DecodeString(s[2:])
	return err == nil
}
