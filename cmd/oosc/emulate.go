package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/emulator"
)

const emulateUsage = `usage: oosc emulate [--addr HOST:PORT] [--account-sid AC…] [--auth-token T] [--start RFC3339] [--state FILE] [--open-control] [--allow-host NAME] [--allow-participant-conflict] [--quiet] [--phone-numbers]

Serves a local Twilio Proxy: its REST API under /v1, as Twilio's helper
libraries call it (Basic auth with the account SID and the auth token), a
control API under /emulator for the world outside Proxy (inbound calls and
messages, the virtual clock, what phones received, what Twilio's Debugger
would show), and a page at / that shows the state. It calls the
application's webhooks (out-of-session, intercept, interaction status) as
Proxy does, signed with the auth token. The rules: the documentation of
package github.com/oosc-dev/oosc/emulator.

It listens on loopback unless --addr says otherwise. The token, never
empty, is --auth-token, else the first of TWILIO_AUTH_TOKEN, else a new
one it prints. Every request must name the emulator in its Host (the
address it listens on, localhost, 127.0.0.1 or [::1]; --allow-host adds a
name, such as a container's), else it is refused (421); a request from a
web page of another origin is refused (403); the control API takes
application/json only (415). The control API and the page need Basic
auth from other hosts and through a proxy or tunnel (a Forwarded or
X-Forwarded-For header), unless --open-control. A raw TCP forward to the
port (ssh -R, socat) adds no header, so its clients look local: expose the
emulator through one only with --addr on a private address and the token.

It says what happens as it happens, one line each on stdout, unless
--quiet: each webhook called (its kind, status or why no answer came,
Content-Type, latency, the out-of-session callback's answer, the URL),
each error or warning Twilio's Debugger would show (its code and what it
means), and each inbound contact's outcome (channel, from -> to, outcome,
codes, why it was out of session, where it went). A line starts with the
virtual clock's time, UTC. Phone numbers are masked unless
--phone-numbers. 80905 and 80913 are coloured on a terminal (not in a
pipe, nor with NO_COLOR set). A slow stdout never slows the emulator: up
to 1,024 lines wait for it, and past that lines are dropped and their
number printed; nor does it keep it from stopping.

State is in memory; with --state it is loaded from FILE at start (when
FILE exists, after checking all of it; it says what it loaded), and
written there within a second of each change (to a temporary file
beside it, then moved into place: never half a file; through a symbolic
link, to the file it names; a read-only FILE is refused), and when the server stops (Ctrl-C,
SIGTERM, SIGHUP; a second one ends it at once).

Exit status: 0 after a clean stop; 2 on a usage error, an address that
cannot be listened on, or a state file that cannot be read, is not whole,
or cannot be written.

flags:
`

// emulateSignals returns a context canceled when the emulator must stop;
// tests replace it.
var emulateSignals = func() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
}

// emulateWebhookTimeout is how long each webhook is waited for, as Proxy
// waits; tests shorten it.
var emulateWebhookTimeout = emulator.WebhookTimeout

// saveEvery is how often the state is saved when it has changed: every
// change is on disk within a second.
const saveEvery = 500 * time.Millisecond

func runEmulate(args []string, io ios) int {
	c := newCommand("emulate", emulateUsage, io)
	addr := c.fs.String("addr", "127.0.0.1:4010", "the address to listen on")
	account := c.fs.String("account-sid", emulator.DefaultAccountSid, "the Account SID the API answers for")
	var tokens, hosts stringList
	c.fs.Var(&tokens, "auth-token", "the auth token (default: TWILIO_AUTH_TOKEN, else a new one)")
	start := c.fs.String("start", "", "the virtual clock's start, RFC 3339 (default: now)")
	stateFile := c.fs.String("state", "", "load the state from FILE at start, save it there within a second of each change and at stop")
	openControl := c.fs.Bool("open-control", false, "let any client use the control API and the page without Basic auth")
	c.fs.Var(&hosts, "allow-host", "a further `NAME` requests may give as their Host, such as a container's (repeatable)")
	allowConflict := c.fs.Bool("allow-participant-conflict", false,
		"play an account with Twilio's legacy ProxyAllowParticipantConflict flag: a pair conflict succeeds and logs 80802 or 80801")
	quiet := c.fs.Bool("quiet", false, "print no line per webhook, event and contact")
	numbers := c.fs.Bool("phone-numbers", false, "print phone numbers in full")
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
		if t.UTC().Year() < 1 || t.UTC().Year() > 9999 {
			return c.errorf("--start %q is not from year 1 to 9999", *start)
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

	opts := &emulator.Options{AccountSid: *account, AuthToken: token, Start: now, WebhookTimeout: emulateWebhookTimeout,
		AllowParticipantConflict: *allowConflict}
	var lines *liveLines
	if !*quiet {
		mask := callback.RedactPhoneNumbers
		if *numbers {
			mask = func(s string) string { return s }
		}
		lines = newLiveLines(io.stdout, paletteFor(io.stdout), mask)
		opts.OnEvent, opts.OnContact = lines.event, lines.contact
		opts.OnWebhook = func(x emulator.Exchange) { lines.webhook(x.Webhook) }
	}
	p := emulator.New(opts)
	defer p.Close()
	var store *stateStore
	loaded := false
	if *stateFile != "" {
		var err error
		if store, loaded, err = openState(p, *stateFile); err != nil {
			return c.fail("--state %s: %v", *stateFile, err)
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return c.fail("%v", err)
	}
	const readTimeout = 30 * time.Second
	srv := &http.Server{
		Handler:           emulator.NewServer(p, &emulator.ServerOptions{OpenControl: *openControl, AllowedHosts: hosts}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       readTimeout,
		// An inbound contact waits for up to three webhooks: the answer
		// comes after the request is read and the whole chain has run.
		WriteTimeout: readTimeout + p.ContactTimeout() + 5*time.Second,
		IdleTimeout:  2 * time.Minute,
	}
	base := "http://" + clickable(ln.Addr())
	out := io.stdout
	fmt.Fprintf(out, "Proxy emulator on %s (account %s, virtual clock at %s)\n", base, *account, p.Now().Format(time.RFC3339))
	fmt.Fprintf(out, "  REST API     %s/v1, Basic auth: %s and the auth token\n", base, *account)
	fmt.Fprintf(out, "  control API  %s/emulator/inbound, numbers, clock, deliveries, events, webhooks, reset (JSON)\n", base)
	fmt.Fprintf(out, "  page         %s/\n", base)
	switch {
	case loaded:
		fmt.Fprintf(out, "  state        %s, saved within a second of each change; loaded %s\n", *stateFile, loadedState(p))
	case store != nil:
		fmt.Fprintf(out, "  state        %s (new), saved within a second of each change\n", *stateFile)
	}
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

	if lines != nil {
		fmt.Fprintln(out, "What happens is printed below, one line each, on the virtual clock (UTC); --quiet turns it off.")
		lines.start()
	}

	ctx, stop := emulateSignals()
	defer stop()
	saving := make(chan struct{})
	go func() {
		defer close(saving)
		if store != nil {
			store.run(ctx, io.stderr)
		}
	}()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		stop()
		<-saving
		return c.fail("%v", err)
	case <-ctx.Done():
	}
	// From here a second Ctrl-C (or SIGTERM, SIGHUP) ends the process at
	// once, as signals do by default, whatever the stop waits on.
	stop()
	<-saving
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if srv.Shutdown(shutdown) != nil {
		srv.Close() // contacts still waiting on a webhook end here
	}
	if lines != nil {
		lines.close(2 * time.Second)
	}
	if store != nil {
		if err := store.save(); err != nil {
			return c.fail("--state %s: %v", *stateFile, err)
		}
		sayWithin(out, fmt.Sprintf("state saved to %s\n", *stateFile), stuckWait)
	}
	sayWithin(out, "stopped\n", stuckWait)
	return exitOK
}

// stuckWait is how long oosc emulate waits, as it stops or saves, for a
// stdout or stderr that takes nothing (a terminal paused with Ctrl-S, a
// pipe nobody reads) before it goes on without the line.
const stuckWait = 2 * time.Second

// sayWithin writes s to w, waiting at most wait for w to take it, and
// reports whether it did: a stuck terminal must keep oosc emulate from
// neither saving nor stopping. A write that never ends is left to its
// goroutine.
func sayWithin(w io.Writer, s string, wait time.Duration) bool {
	done := make(chan struct{})
	go func() {
		defer close(done)
		io.WriteString(w, s)
	}()
	select {
	case <-done:
		return true
	case <-time.After(wait):
		return false
	}
}

// stateStore keeps the emulator's state in a file: written within a
// second of each change, whole or not at all.
type stateStore struct {
	p       *emulator.Proxy
	path    string
	written bool   // since start
	saved   uint64 // the emulator's version last written
}

// openState checks that the state file can be kept where it is named,
// restores it when it exists (loaded), and writes it, so that a file that
// cannot be written is known at start, not at stop.
func openState(p *emulator.Proxy, path string) (s *stateStore, loaded bool, err error) {
	path = linkTarget(path) // a save replaces the file the link names, not the link
	dir := filepath.Dir(path)
	switch fi, err := os.Stat(dir); {
	case errors.Is(err, os.ErrNotExist):
		return nil, false, fmt.Errorf("its directory %s does not exist", dir)
	case err != nil:
		return nil, false, err
	case !fi.IsDir():
		return nil, false, fmt.Errorf("%s is not a directory", dir)
	}
	removeTemps(path) // saves cut short by a crash
	f, err := os.Open(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, false, err
	default:
		fi, err := f.Stat()
		switch {
		case err != nil:
		case fi.IsDir():
			err = errors.New("it is a directory")
		case fi.Mode().Perm()&0o200 == 0:
			// A save would replace it all the same (a rename needs only
			// the directory): a file made read-only is one to keep.
			err = fmt.Errorf("it is read-only (%v): oosc emulate writes its state there; make it writable, or start from a copy", fi.Mode().Perm())
		}
		if err == nil {
			err = p.RestoreState(f)
		}
		f.Close()
		var se *emulator.StateError
		if errors.As(err, &se) {
			return nil, false, fmt.Errorf("%s; fix it, or move it away to start with an empty state", se.Problem)
		}
		if err != nil {
			return nil, false, err
		}
		loaded = true
	}
	s = &stateStore{p: p, path: path}
	return s, loaded, s.save()
}

// loadedState says what a restored state holds: its Services, their
// Sessions (how many active), the account's numbers, the events, and the
// virtual clock.
func loadedState(p *emulator.Proxy) string {
	services := p.Services()
	sessions, active := 0, 0
	for _, svc := range services {
		all, err := p.Sessions(svc.Sid)
		if err != nil {
			continue // deleted since
		}
		sessions += len(all)
		for _, s := range all {
			if s.Active() {
				active++
			}
		}
	}
	return fmt.Sprintf("%s, %s (%d active), %s, %s; the clock at %s",
		plural(len(services), "Service"), plural(sessions, "Session"), active,
		plural(len(p.AccountNumbers()), "account number"), plural(len(p.Events()), "event"), p.Now().Format(time.RFC3339))
}

// plural is "1 Service", "2 Services".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// run saves the state every saveEvery while it changes, until ctx ends.
// A failed save is said once, and tried again.
func (s *stateStore) run(ctx context.Context, stderr io.Writer) {
	t := time.NewTicker(saveEvery)
	defer t.Stop()
	failing := ""
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := s.save()
		switch {
		case err != nil && err.Error() != failing:
			failing = err.Error()
			sayWithin(stderr, fmt.Sprintf("oosc emulate: --state %s: %v (trying again)\n", s.path, err), stuckWait)
		case err == nil && failing != "":
			failing = ""
			sayWithin(stderr, fmt.Sprintf("oosc emulate: --state %s: saved again\n", s.path), stuckWait)
		}
	}
}

// save writes the state if it changed since it was last written.
func (s *stateStore) save() error {
	v := s.p.Version()
	if s.written && v == s.saved {
		return nil
	}
	if err := saveState(s.p, s.path); err != nil {
		return err
	}
	s.written, s.saved = true, v
	return nil
}

// linkTarget is the file a symbolic link at path names (relative to the
// link's directory), or path when it is no link: the state is kept in
// the file the developer pointed at.
func linkTarget(path string) string {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		return target
	}
	fi, err := os.Lstat(path)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return path
	}
	target, err := os.Readlink(path) // a link to a file not made yet
	if err != nil {
		return path
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(path), target)
	}
	return target
}

// A state file is written to a temporary file of its own beside it, named
// FILE.tmp and random digits, before it is moved into place: two
// emulators given one file (or a save and a start) never write into the
// same temporary file, so that what is moved into place is always whole.

// tempPattern is the pattern of os.CreateTemp for path's temporary files.
func tempPattern(path string) string { return filepath.Base(path) + ".tmp*" }

// removeTemps removes the temporary files of saves to path cut short by
// a crash: FILE.tmp (as oosc v0.3.0 named it) and FILE.tmp and digits.
func removeTemps(path string) {
	dir, prefix := filepath.Dir(path), filepath.Base(path)+".tmp"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if ok && e.Type().IsRegular() && strings.Trim(rest, "0123456789") == "" {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// saveState writes the state atomically: to a temporary file of its own
// beside path, synced, then renamed over path, and the directory synced,
// so that the file is whole (the previous state or the new one) whatever
// happens; a failed save removes the temporary file.
func saveState(p *emulator.Proxy, path string) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), tempPattern(path))
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	w := bufio.NewWriter(f)
	if err = p.SaveState(w); err != nil {
		return err
	}
	if err = w.Flush(); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // the rename, on disk; not every system syncs a directory
		d.Close()
	}
	return nil
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
