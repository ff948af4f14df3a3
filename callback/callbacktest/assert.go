package callbacktest

import (
	"strings"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/callback"
)

// TestingT is what the assertions need of a test: *testing.T, *testing.B
// and testify's TestingT all have it.
type TestingT interface {
	Errorf(format string, args ...any)
}

func helper(t TestingT) {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
}

// AssertValid reports an error on t unless Proxy accepts the response: a
// 2xx status, application/xml with TwiML valid for the interaction's
// channel, or application/json with an auto-create session valid for its
// sender and channel. It returns whether the response is valid.
func AssertValid(t TestingT, r Response) bool {
	helper(t)
	if r.Verdict.Valid() {
		return true
	}
	t.Errorf("callbacktest: Proxy would refuse the answer to %s (Twilio %d):\n%s", describe(r.Callback), r.Verdict.Codes(), problems(r))
	return false
}

// AssertAnswered is the strict assertion: it reports an error unless the
// response is valid and is the decision's own answer, not the handler's
// fallback. The fallback is told from the handler's Outcome (a Server's
// responses); for other responses it is AssertValid.
func AssertAnswered(t TestingT, r Response) bool {
	helper(t)
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
