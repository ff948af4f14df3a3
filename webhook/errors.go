package webhook

import (
	"errors"
	"fmt"
	"net/http"
)

// Request errors. [Verifier.Reject], the Middleware and callback.Handler
// answer each with the status in its comment ([Status]) and a short fixed
// text, no detail.
var (
	ErrMethodNotAllowed     = errors.New("webhook: method not allowed")             // 405
	ErrUnsupportedMediaType = errors.New("webhook: unsupported request media type") // 415
	ErrBodyTooLarge         = errors.New("webhook: request body too large")         // 413
	ErrMalformedForm        = errors.New("webhook: malformed form body")            // 400
	ErrMissingSignature     = errors.New("webhook: missing X-Twilio-Signature")     // 400
	// ErrInvalidSignature: the signature matches no auth token and URL
	// variant (403). The error's text names the URLs tried and how many
	// tokens, never a token or the signature expected: the URL is the usual
	// cause of a mismatch.
	ErrInvalidSignature = errors.New("webhook: invalid X-Twilio-Signature")
	// ErrBodyHash: the URL's bodySHA256 is malformed or is not the SHA-256
	// of the body. An error that matches it also matches ErrInvalidSignature
	// (403), and its text says which of the two it is.
	ErrBodyHash = errors.New("webhook: bodySHA256 does not match the body")
	// ErrNoAuthToken: verification was asked for without an auth token
	// (500). NewVerifier refuses to make such a Verifier; the zero
	// Verifier refuses every request with it.
	ErrNoAuthToken = errors.New("webhook: no auth token configured")
)

// Status returns the HTTP status a request refused with err is answered
// with: 405, 415, 413, 400 or 403 for the request errors above, 500 for
// ErrNoAuthToken and any other error.
func Status(err error) int {
	switch {
	case errors.Is(err, ErrMethodNotAllowed):
		return http.StatusMethodNotAllowed
	case errors.Is(err, ErrUnsupportedMediaType):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, ErrBodyTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, ErrMalformedForm), errors.Is(err, ErrMissingSignature):
		return http.StatusBadRequest
	case errors.Is(err, ErrInvalidSignature):
		return http.StatusForbidden
	}
	return http.StatusInternalServerError
}

// bodyHashError says what is wrong with a bodySHA256; it matches
// ErrBodyHash and ErrInvalidSignature.
type bodyHashError struct{ detail string }

func (e *bodyHashError) Error() string { return "webhook: invalid bodySHA256: " + e.detail }

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
