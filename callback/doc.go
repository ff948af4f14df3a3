// Package callback serves Twilio Proxy's out-of-session callback: the
// request Proxy sends when a call or message reaches a Proxy number and the
// sender is in no open Session for it.
//
// A [Handler], made by [NewHandler], verifies the X-Twilio-Signature,
// parses the form into a typed [Request] (channel, sender, the previous
// Session and its Participants when Proxy sends them), asks the
// application's [DecideFunc] under a deadline, and writes its [Answer]:
// TwiML as application/xml ([TwiML], [RawTwiML]) or an auto-create session
// as application/json ([AutoCreate]). Every answer is judged first, exactly
// as Proxy would (package judge); an error, a panic, a missed deadline or
// an invalid answer gets the channel's fallback instead, so Proxy never
// receives an answer it refuses. [Outcome] and the logger say what
// happened; [RedactPhoneNumbers] masks what an Outcome holds.
//
// [Reconnect], [Directory] and [Reply] are ready-made decisions that
// compose through their Otherwise options. The signature is checked by a
// webhook.Verifier (package webhook, for any Twilio webhook), which also
// answers and reports the requests the handler refuses.
//
// The shortest use:
//
//	v, err := webhook.NewVerifier([]string{os.Getenv("TWILIO_AUTH_TOKEN")}, nil)
//	if err != nil {
//		log.Fatal(err)
//	}
//	h, err := callback.NewHandler(callback.Reconnect(nil), &callback.Options{Verifier: v})
//	if err != nil {
//		log.Fatal(err)
//	}
//	http.Handle("POST /out-of-session", h)
package callback
