package callback

import (
	"errors"
	"fmt"
	"strings"

	"github.com/oosc-dev/oosc/judge"
	"github.com/oosc-dev/oosc/twiml"
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
	// variant (403). The error's text says which URLs and how many tokens
	// were tried, never a token or the signature expected.
	ErrInvalidSignature = errors.New("callback: invalid X-Twilio-Signature")
	// ErrBodyHash: the URL's bodySHA256 is malformed or is not the SHA-256
	// of the body. An error that matches it also matches ErrInvalidSignature
	// (403), and its text says which of the two it is.
	ErrBodyHash = errors.New("callback: bodySHA256 does not match the body")
	// ErrNoAuthToken: verification was asked for without an auth token (500
	// from the middleware; NewHandler refuses to build without one).
	ErrNoAuthToken = errors.New("callback: no auth token configured")
)

// Decision errors: each makes the handler answer 200 with the fallback.
// [Outcome].Err holds one of them, possibly wrapped.
var (
	ErrDecisionFailed  = errors.New("callback: decision returned an error") // wraps the decision's error
	ErrDecisionPanic   = errors.New("callback: decision panicked")
	ErrDecisionTimeout = errors.New("callback: decision missed its deadline")
	ErrNoAnswer        = errors.New("callback: decision returned no answer")
	ErrUnknownChannel  = errors.New("callback: request is neither a call nor a message")
	// ErrInvalidAnswer is matched by every [*AnswerError].
	ErrInvalidAnswer = errors.New("callback: answer is invalid")
	// ErrClientGone: the client went away before the answer; nothing is written.
	ErrClientGone = errors.New("callback: client went away before the answer")
)

// ErrNoContact is what a LookupFunc returns when the directory has no one
// for the request; [Directory] then hands over to its Otherwise policy.
var ErrNoContact = errors.New("callback: no contact for this request")

// AnswerError is an answer that could not be written or that Proxy would
// refuse. It matches [ErrInvalidAnswer].
type AnswerError struct {
	Kind    AnswerKind    // what the answer is
	Channel twiml.Channel // the channel it was judged for
	// Err is why the answer could not be written (a build or marshal error,
	// a nil document, a panic); nil when it was written and judged invalid.
	Err error
	// Verdict is the judge's verdict on the written answer; its Problems say
	// what is wrong. Zero when Err is set.
	Verdict judge.Verdict
}

// Error names the kind and channel and lists up to three problems.
func (e *AnswerError) Error() string {
	var b strings.Builder
	kind := string(e.Kind)
	if kind == "" {
		kind = "TwiML"
	}
	fmt.Fprintf(&b, "callback: invalid %s answer for %s", kind, channelName(e.Channel))
	problems := e.Problems()
	for i, p := range problems {
		if i == 3 {
			fmt.Fprintf(&b, "; and %d more", len(problems)-3)
			break
		}
		b.WriteString("; " + p.String())
	}
	return b.String()
}

// Is makes errors.Is(err, ErrInvalidAnswer) true.
func (e *AnswerError) Is(target error) bool { return target == ErrInvalidAnswer }

// Unwrap returns the build, marshal or panic error.
func (e *AnswerError) Unwrap() error { return e.Err }

// Problems returns the errors found: Err as a problem of the answer as a
// whole, then the verdict's errors.
func (e *AnswerError) Problems() []judge.Problem {
	var out []judge.Problem
	if e.Err != nil {
		out = append(out, judge.Problem{Severity: twiml.Error, Code: "not-written", Message: e.Err.Error(), TwilioError: judge.ErrUnknownScenario})
	}
	return append(out, e.Verdict.Errors()...)
}

func channelName(ch twiml.Channel) string {
	if ch == "" {
		return "an unknown channel"
	}
	return string(ch)
}

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
	urls   [2]string
	tokens int
}

func (e *signatureError) Error() string {
	tried := e.urls[0]
	if e.urls[1] != "" && e.urls[1] != e.urls[0] {
		tried += " and " + e.urls[1]
	}
	plural := "s"
	if e.tokens == 1 {
		plural = ""
	}
	return fmt.Sprintf("%v: no match for %s under %d auth token%s", ErrInvalidSignature, tried, e.tokens, plural)
}

func (e *signatureError) Is(target error) bool { return target == ErrInvalidSignature }
