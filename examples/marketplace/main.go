// Command marketplace is an out-of-session callback for a buyer/seller
// marketplace on SQLite or PostgreSQL: when a buyer or a seller calls or texts a Proxy
// number outside any open Session, it reconnects them with the other party
// of their last Session, else looks up the other side of their most recent
// inquiry in the database and connects them by auto-create, else answers
// with a short notice.
//
// Configuration, from the environment (the quickstart's, plus the database):
//
//	TWILIO_AUTH_TOKEN  the Auth Token(s) Twilio signs with, comma-separated,
//	                   primary first; without it, demo mode with a generated token
//	OOSC_ADDR          the listen address (default 127.0.0.1:8080)
//	OOSC_PUBLIC_URL    the scheme and host Twilio calls (default: from the request)
//	DATABASE_URL       a PostgreSQL URL (postgres://user@host:5432/db); when
//	                   set, the marketplace runs on it, and several replicas
//	                   may share it
//	MARKETPLACE_DB     without DATABASE_URL, the SQLite file (default
//	                   marketplace.db)
//
// Either database gets the schema's migrations and the demo data on start.
//
// Run it with: go run . (from this directory).
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
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/webhook"
)

const path = "/out-of-session"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stdout, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "marketplace:", err)
		os.Exit(1)
	}
}

// decide reconnects a sender with the other party of their previous
// Session when Proxy reports one, and otherwise asks the database.
func decide(store *Store) callback.DecideFunc {
	return callback.Reconnect(&callback.ReconnectOptions{
		TTL:       24 * time.Hour,
		Otherwise: lookup(store),
	})
}

// lookup connects the sender with the other side of their latest inquiry.
// The query runs under the callback's deadline (ctx): if the database is
// slower than that, the query is cancelled and the handler answers with
// its fallback in time, instead of Proxy giving up at 15 s.
func lookup(store *Store) callback.DecideFunc {
	notice := callback.Reply(
		"This number is for marketplace conversations. Please open the app to contact a seller.",
		"This number is for marketplace conversations. Please open the app to contact a seller.")
	return func(ctx context.Context, req *callback.Request) (callback.Answer, error) {
		listing, other, err := store.Counterpart(ctx, req.From)
		if errors.Is(err, errNoMatch) {
			return notice(ctx, req)
		}
		if err != nil {
			return callback.Answer{}, err // the handler answers with the fallback and logs why
		}
		return callback.AutoCreate(autocreate.Session{
			// The same callback retried by Twilio has the same SID, so the
			// same name: Proxy refuses the second Session (80603) instead of
			// creating a duplicate. No phone number goes in the name.
			UniqueName:            "listing-" + strconv.FormatInt(listing, 10) + "-" + contactSid(req),
			Mode:                  autocreate.VoiceAndMessage,
			TTL:                   24 * time.Hour,
			ParticipantIdentifier: other,
		}), nil
	}
}

func contactSid(req *callback.Request) string {
	if req.CallSid != "" {
		return req.CallSid
	}
	return req.MessageSid
}

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
	if demo { // a token nobody else knows
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		tokens = []string{hex.EncodeToString(b)}
		logger.Warn("DEMO MODE: TWILIO_AUTH_TOKEN is not set; requests are checked against a generated token that Twilio does not know")
		fmt.Fprintf(stdout, "\nDemo mode: the generated auth token is %s\n", tokens[0])
	}
	addr := getenv("OOSC_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	dbPath := getenv("MARKETPLACE_DB")
	if dbPath == "" {
		dbPath = "marketplace.db"
	}
	store, err := OpenStore(ctx, getenv("DATABASE_URL"), dbPath)
	if err != nil {
		return err
	}
	defer store.Close()

	timeout := callback.DefaultDecisionTimeout
	if v := getenv("OOSC_DECISION_TIMEOUT"); v != "" { // for the slow-database demo and test
		if timeout, err = time.ParseDuration(v); err != nil {
			return fmt.Errorf("OOSC_DECISION_TIMEOUT: %w", err)
		}
	}
	v, err := webhook.NewVerifier(tokens, &webhook.Options{PublicURL: strings.TrimSuffix(getenv("OOSC_PUBLIC_URL"), "/"), Logger: logger})
	if err != nil {
		return err
	}
	h, err := callback.NewHandler(decide(store), &callback.Options{Verifier: v, DecisionTimeout: timeout, Logger: logger})
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("POST "+path, h)
	srv := &http.Server{
		Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 20 * time.Second, IdleTimeout: 15 * time.Second, MaxHeaderBytes: 16 << 10,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	logger.Info("marketplace callback listening", "callback_url", base+path, "db", dbPath)
	tokenEnv := "" // the real token is in the environment already; it is never printed
	if demo {
		tokenEnv = "TWILIO_AUTH_TOKEN=" + tokens[0] + " "
	}
	fmt.Fprintf(stdout, "\nCheck it, from the root of the oosc repository:\n\n  %sgo run ./cmd/oosc check --url %s%s\n\n", tokenEnv, base, path)
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
