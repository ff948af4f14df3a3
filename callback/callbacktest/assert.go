package callbacktest

import (
	"strings"

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

// AssertValid reports an error on t unless Proxy accepts the answer: a 2xx
// status, application/xml with TwiML valid for the contact's channel, or
// application/json with an auto-create session valid for its sender and
// channel. It returns whether the answer is valid.
func AssertValid(t TestingT, a Answer) bool {
	helper(t)
	if a.Verdict.Valid {
		return true
	}
	t.Errorf("callbacktest: Proxy would refuse the answer to %s (Twilio %v):\n%s", describe(a.Contact), a.Verdict.TwilioErrors, problems(a))
	return false
}

// AssertAnswered is the strict assertion: it reports an error unless the
// answer is valid and is the decision's own, not the handler's fallback.
// The fallback is told from the handler's Outcome (a Server's answers);
// for other answers it is AssertValid.
func AssertAnswered(t TestingT, a Answer) bool {
	helper(t)
	if !AssertValid(t, a) {
		return false
	}
	if a.Outcome != nil && a.Outcome.Kind != callback.Answered {
		t.Errorf("callbacktest: the handler answered %s with its %s instead of the decision's answer: %v\n%s",
			describe(a.Contact), a.Outcome.Kind, a.Outcome.Err, outcomeProblems(a.Outcome))
		return false
	}
	return true
}

func describe(c Contact) string {
	kind := "a message"
	if c.Channel == callback.Voice {
		kind = "a call"
	}
	return kind + " from " + c.From + " to " + c.To
}

func problems(a Answer) string {
	var b strings.Builder
	for _, p := range a.Verdict.Problems {
		b.WriteString("\t" + p.String() + "\n")
	}
	if len(a.Body) > 0 {
		body := string(a.Body)
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
