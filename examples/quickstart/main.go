// Command quickstart is a complete out-of-session callback server for a
// ride-hailing app: riders and drivers talk through Proxy numbers, and when
// a ride's Session has closed, a call or text to the Proxy number reconnects
// the sender with the other party of their last ride. Senders with no
// previous Session are connected through an in-memory directory (a rider's
// assigned driver), and everyone else hears or reads a short notice.
//
// Configuration, from the environment:
//
//	TWILIO_AUTH_TOKEN  the Auth Token(s) Twilio signs with, comma-separated
//	                   (primary first). Without it the server starts in demo
//	                   mode with a generated token and prints a signed curl.
//	OOSC_ADDR          the listen address (default 127.0.0.1:8080)
//	OOSC_PUBLIC_URL    the scheme and host Twilio calls, such as
//	                   https://hooks.example.com (default: from the request)
//
// Run it with go run ./examples/quickstart and point the Proxy Service's
// out_of_session_callback_url at POST /out-of-session.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/webhook"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// directory is the app's own data: which driver each rider is assigned to.
// The numbers are from the 555-01xx range reserved for fiction.
var directory = map[string]callback.Counterpart{
	"+14155550101": {Identifier: "+14155550181", UniqueName: "assigned-ride-101"},
	"+14155550102": {Identifier: "+14155550182", UniqueName: "assigned-ride-102"},
	"+14155550103": {Identifier: "+14155550183", UniqueName: "assigned-ride-103"},
}

const (
	endedVoice = "Thanks for riding with us. This ride has ended, so we cannot connect your call. Please open the app for help."
	endedSMS   = "This ride has ended, so we cannot forward your message. Open the app for help."
	path       = "/out-of-session"
)

func lookup(_ context.Context, req *callback.Request) (callback.Counterpart, error) {
	c, ok := directory[req.From]
	if !ok {
		return callback.Counterpart{}, callback.ErrNoCounterpart
	}
	return c, nil
}

// decide reconnects with the last ride's counterpart, else with the
// assigned driver, else gives the notice.
var decide = callback.Reconnect(&callback.ReconnectOptions{
	TTL: 2 * time.Hour,
	Otherwise: callback.Directory(lookup, &callback.DirectoryOptions{
		TTL:       2 * time.Hour,
		Otherwise: callback.Reply(endedVoice, endedSMS),
	}),
})

// run serves until ctx is done. ready, if set, receives the listening URL.
func run(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer, ready func(baseURL string)) error {
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var tokens []string
	for _, t := range strings.Split(getenv("TWILIO_AUTH_TOKEN"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			tokens = append(tokens, t)
		}
	}
	demo := len(tokens) == 0
	if demo {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		tokens = []string{hex.EncodeToString(b)}
	}
	addr := getenv("OOSC_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	publicURL := strings.TrimSuffix(getenv("OOSC_PUBLIC_URL"), "/")

	v, err := webhook.NewVerifier(tokens, &webhook.Options{PublicURL: publicURL, Logger: logger})
	if err != nil {
		return err
	}
	h, err := callback.NewHandler(decide, &callback.Options{Verifier: v, Logger: logger})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle(path, h)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	srv := newServer(mux, logger)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	callbackURL := base + path
	if publicURL != "" {
		callbackURL = publicURL + path
	}
	logger.Info("out-of-session callback server listening", "addr", ln.Addr().String(), "callback_url", callbackURL)
	if demo {
		logger.Warn("DEMO MODE: TWILIO_AUTH_TOKEN is not set; requests are checked against a generated demo token that Twilio does not know. Set TWILIO_AUTH_TOKEN for real traffic.")
		printDemo(stdout, callbackURL, tokens[0])
	} else {
		printSign(stdout, callbackURL)
	}
	if ready != nil {
		ready(base)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newServer bounds every phase of a connection, so that slow or idle
// clients cannot hold connections open: a request must arrive within 10 s,
// its answer may take past the 5 s decision deadline (Twilio waits 15 s),
// and an idle keep-alive connection is closed after 15 s. Put a limit on
// connections per client at the reverse proxy in front (README, Deploying).
func newServer(h http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      20 * time.Second,
		IdleTimeout:       15 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// sampleForm is a text from a rider with an assigned driver and no
// previous Session, as Proxy would send it.
func sampleForm() url.Values {
	return url.Values{
		"AccountSid": {"AC00000000000000000000000000000000"}, "MessageSid": {"SM00000000000000000000000000000000"},
		"From": {"+14155550101"}, "To": {"+14155550199"}, "Body": {"I left my bag in the car"}, "NumMedia": {"0"},
	}
}

func printDemo(w io.Writer, callbackURL, token string) {
	form := sampleForm()
	fmt.Fprintf(w, `
Demo mode: the generated auth token is %s
Send a signed out-of-session text from a rider (the answer is auto-create JSON):

  curl -i -X POST '%s' \
    -H 'X-Twilio-Signature: %s' \
    --data '%s'

Or sign your own request, from the repository's root:

  TWILIO_AUTH_TOKEN=%s go run ./cmd/oosc sign --url '%s' From=+14155550102 To=+14155550199 CallSid=CA1

`, token, callbackURL, webhook.Sign(token, callbackURL, form), form.Encode(), token, callbackURL)
}

func printSign(w io.Writer, callbackURL string) {
	fmt.Fprintf(w, `
Sign a test request, from the repository's root (the token is read from
TWILIO_AUTH_TOKEN, never printed):

  go run ./cmd/oosc sign --url '%s' From=+14155550101 To=+14155550199 MessageSid=SM1 Body=hello

`, callbackURL)
}
