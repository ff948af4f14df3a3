package callbacktest

import (
	"strings"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
)

// TestingT is what the assertions need of a test: *testing.T, *testing.B
// and testify's TestingT all have it. When it also has Helper, as
// *testing.T does, the assertions call it, so that a failure is reported
// at the line of the test that called them.
type TestingT interface {
	Errorf(format string, args ...any)
}

// tHelper is the part of *testing.T that marks a helper. Each assertion
// calls Helper itself: Helper marks the function that calls it, so a
// shared function calling it would mark only itself.
type tHelper interface{ Helper() }

// AssertValid reports an error on t unless Proxy accepts the response: a
// 2xx status, application/xml with TwiML valid for the interaction's
// channel, or application/json with an auto-create session valid for its
// sender and channel. It returns whether the response is valid.
func AssertValid(t TestingT, r Response) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if r.Verdict.Valid() {
		return true
	}
	t.Errorf("callbacktest: Proxy would refuse the answer to %s and log %v:\n%s", describe(r.Callback), r.Verdict.LoggedCodes(), problems(r))
	return false
}

// AssertAnswered is the strict assertion: it reports an error unless the
// response is valid and is the decision's own answer, not the handler's
// fallback. The fallback is told from the handler's Outcome (a Server's
// responses); for other responses it is AssertValid.
func AssertAnswered(t TestingT, r Response) bool {
	if h, ok := t.(tHelper); ok {
		h.Helper()
	}
	if !AssertValid(t, r) {
		return false
	}
	if r.Outcome != nil && r.Outcome.Kind != callback.Answered {
		t.Errorf("callbacktest: the handler answered %s with its fallback, not the decision's answer (outcome %s): %v\n%s",
			describe(r.Callback), r.Outcome.Kind, r.Outcome.Err, outcomeProblems(r.Outcome))
		return false
	}
	return true
}

func describe(cb Callback) string {
	kind := "a message"
	if cb.Channel == oosc.Voice {
		kind = "a call"
	}
	return kind + " from " + cb.From + " to " + cb.To
}

func problems(r Response) string {
	var b strings.Builder
	for _, p := range r.Verdict.Problems {
		b.WriteString("\t" + p.String() + "\n")
	}
	if len(r.Body) > 0 {
		body := string(r.Body)
		if len(body) > 300 {
			body = body[:300] + "..."
		}
		b.WriteString("\tbody: " + body + "\n")
	}
	return b.String()
}

func outcomeProblems(o *callback.Outcome) string {
	var b strings.Builder
	for _, p := range o.Problems {
		b.WriteString("\t" + p.String() + "\n")
	}
	return b.String()
}
