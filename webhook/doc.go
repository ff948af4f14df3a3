// Package webhook verifies the X-Twilio-Signature of Twilio's webhook
// requests: any of them, the out-of-session callback (package callback),
// the Debugger webhook (package debugger), status callbacks and the rest.
//
// [Sign], [Verify] and [VerifyBody] are the algorithm alone: the signature
// of a URL and its form parameters (names in byte order, each name+value
// appended, HMAC-SHA1 keyed with the auth token, base64), checked against
// several tokens and the URL with and without its default port. A
// [Verifier], made by [NewVerifier], checks requests: it finds the URL
// Twilio called (behind a proxy too), reads the body under a limit, keeps
// its keyed HMACs for reuse, and answers and reports what it refuses, as
// middleware ([Verifier.Middleware]) or step by step ([Verifier.ReadBody],
// [Verifier.Verify], [Verifier.Reject]).
//
//	v, err := webhook.NewVerifier([]string{os.Getenv("TWILIO_AUTH_TOKEN")}, &webhook.Options{
//		PublicURL: "https://hooks.example.com",
//	})
//	if err != nil {
//		log.Fatal(err)
//	}
//	http.Handle("POST /status", v.Middleware(statusHandler))
//
// No error, log record or printed form of a Verifier shows a token or the
// signature expected; comparisons are constant time.
package webhook
