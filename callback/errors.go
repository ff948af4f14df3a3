package callback

import "errors"

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
