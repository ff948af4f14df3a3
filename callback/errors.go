package callback

import (
	"errors"
	"fmt"
)

// Request errors: the handler and the middleware answer them with the
// status in the comment, a short fixed text, and no detail.
var (
	ErrMethodNotAllowed     = errors.New("callback: method not allowed")             // 405
	ErrUnsupportedMediaType = errors.New("callback: unsupported request media type") // 415
	ErrBodyTooLarge         = errors.New("callback: request body too large")         // 413
	ErrMalformedForm        = errors.New("callback: malformed form body")            // 400
	ErrMissingSignature     = errors.New("callback: missing X-Twilio-Signature")     // 400
	// ErrInvalidSignature: the signature matches no auth token and URL
	// variant (403). The error's text names the URLs tried and how many
	// tokens, never a token or the signature expected: the URL is the usual
	// cause of a mismatch.
	ErrInvalidSignature = errors.New("callback: invalid X-Twilio-Signature")
	// ErrBodyHash: the URL's bodySHA256 is malformed or is not the SHA-256
	// of the body. An error that matches it also matches ErrInvalidSignature
	// (403), and its text says which of the two it is.
	ErrBodyHash = errors.New("callback: bodySHA256 does not match the body")
	// ErrNoAuthToken: verification was asked for without an auth token.
	// NewVerifier refuses to make such a Verifier; the zero Verifier
	// answers 500.
	ErrNoAuthToken = errors.New("callback: no auth token configured")
)

// Decision errors: each makes the handler answer 200 with the fallback.
// [Outcome].Err holds one of them, possibly wrapped, or an
// [*oosc.ValidationError] for an answer Proxy would refuse.
var (
	ErrDecisionFailed  = errors.New("callback: decision returned an error") // wraps the decision's error
	ErrDecisionPanic   = errors.New("callback: decision panicked")
	ErrDecisionTimeout = errors.New("callback: decision missed its deadline")
	// ErrDecisionExited: the decision ended its goroutine with
	// runtime.Goexit, as t.FailNow and testify's require do in a test.
	ErrDecisionExited = errors.New("callback: decision called runtime.Goexit")
	ErrNoAnswer       = errors.New("callback: decision returned no answer")
	// ErrClientGone: the client went away before the answer; nothing is written.
	ErrClientGone = errors.New("callback: client went away before the answer")
)

// ErrNoCounterpart is what a LookupFunc returns when the directory has no
// one for the request; [Directory] then hands over to its Otherwise
// policy.
var ErrNoCounterpart = errors.New("callback: no counterpart for this request")

// bodyHashError says what is wrong with a bodySHA256; it matches
// ErrBodyHash and ErrInvalidSignature.
type bodyHashError struct{ detail string }

func (e *bodyHashError) Error() string { return "callback: invalid bodySHA256: " + e.detail }

func (e *bodyHashError) Is(target error) bool {
	return target == ErrBodyHash || target == ErrInvalidSignature
}

// signatureError says what was tried: the URL variants and how many
// tokens, never a token or the signature expected. It matches
// ErrInvalidSignature.
type signatureError struct {
	urls   []string
	tokens int
}

func (e *signatureError) Error() string {
	plural := "s"
	if e.tokens == 1 {
		plural = ""
	}
	tried := e.urls[0]
	if len(e.urls) > 1 {
		tried += " and " + e.urls[1]
	}
	return fmt.Sprintf("%v: no match for %s under %d auth token%s; check that the URL is the one Twilio calls and that the token is the account's", ErrInvalidSignature, tried, e.tokens, plural)
}

func (e *signatureError) Is(target error) bool { return target == ErrInvalidSignature }
