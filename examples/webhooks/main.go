// Command webhooks is one app serving three Twilio webhooks behind the same
// signature check: Proxy's out-of-session callback (callback.Handler), an
// incoming-message webhook and a call status callback, both protected by
// webhook.Verifier's Middleware. One Verifier holds the Auth Tokens, so
// rotating a token is one change: list the new token first and keep the old
// one until Twilio signs with the new one. It also answers and logs every
// request refused on the three routes.
//
// Configuration, from the environment (as the quickstart's):
//
//	TWILIO_AUTH_TOKEN  the Auth Tokens, comma-separated, new first: "new,old"
//	OOSC_ADDR          the listen address (default 127.0.0.1:8080)
//	OOSC_PUBLIC_URL    the scheme and host Twilio calls (default: from the request)
//
// Run it with: TWILIO_AUTH_TOKEN=new,old go run ./examples/webhooks
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/twiml"
	"github.com/oosc-dev/oosc/webhook"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "webhooks:", err)
		os.Exit(1)
	}
}

// newMux wires the three webhooks to one Verifier.
func newMux(v *webhook.Verifier, logger *slog.Logger) (*http.ServeMux, error) {
	// Proxy's out-of-session callback: the handler verifies with the same tokens.
	oos, err := callback.NewHandler(callback.Reply(
		"This conversation has ended. Please use the app to get in touch again.",
		"This conversation has ended. Please use the app to get in touch again.",
	), &callback.Options{Verifier: v, Logger: logger})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("POST /out-of-session", oos)
	// The other webhooks: the middleware answers 400/403 before them, and
	// hands them a request whose body can be read again.
	mux.Handle("POST /sms", v.Middleware(http.HandlerFunc(incomingMessage)))
	mux.Handle("POST /status", v.Middleware(statusCallback(logger)))
	return mux, nil
}

// incomingMessage answers a text to the app's own (non-Proxy) number.
func incomingMessage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	reply := twiml.NewMessagingResponse()
	reply.Message("Thanks, we got your message: "+r.PostForm.Get("Body"), nil)
	body, err := reply.Bytes()
	if err != nil {
		http.Error(w, "cannot answer", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", twiml.ContentType) // net/http would sniff text/xml otherwise
	w.Write(body)
}

// statusCallback records a call's status; Twilio wants only a 2xx.
func statusCallback(logger *slog.Logger) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		logger.Info("call status", "call_sid", r.PostForm.Get("CallSid"), "status", r.PostForm.Get("CallStatus"))
		w.WriteHeader(http.StatusNoContent)
	}
}

// run serves until ctx is done. ready, if set, receives the listening URL.
func run(ctx context.Context, getenv func(string) string, stderr io.Writer, ready func(baseURL string)) error {
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var tokens []string
	for _, t := range strings.Split(getenv("TWILIO_AUTH_TOKEN"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			tokens = append(tokens, t)
		}
	}
	if len(tokens) == 0 {
		return errors.New("set TWILIO_AUTH_TOKEN to your Auth Token(s), new first: new,old")
	}
	v, err := webhook.NewVerifier(tokens, &webhook.Options{PublicURL: strings.TrimSuffix(getenv("OOSC_PUBLIC_URL"), "/"), Logger: logger})
	if err != nil {
		return err
	}
	mux, err := newMux(v, logger)
	if err != nil {
		return err
	}
	addr := getenv("OOSC_ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	srv := &http.Server{
		Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 20 * time.Second, IdleTimeout: 15 * time.Second, MaxHeaderBytes: 16 << 10,
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	logger.Info("webhooks listening", "out_of_session", base+"/out-of-session", "sms", base+"/sms", "status", base+"/status", "tokens", len(tokens))
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
