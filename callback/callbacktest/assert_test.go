package callbacktest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/twiml"
)

// failingAssertions is run by TestAssertionsReportTheCallersLine in a
// process of its own, where its failures are expected: each assertion
// fails once, on a line the parent test knows.
func TestFailingAssertions(t *testing.T) {
	if os.Getenv("CALLBACKTEST_FAILING_ASSERTIONS") != "1" {
		t.Skip("run by TestAssertionsReportTheCallersLine")
	}
	fails := func(context.Context, *callback.Request) (callback.Answer, error) {
		return callback.Answer{}, errors.New("down")
	}
	srv := callbacktest.NewServer(t, fails, nil)
	fellBack := srv.Send(callbacktest.Call(rider, pn1))
	rec := httptest.NewRecorder()
	answerWith("text/xml", "<Response/>", http.StatusOK).ServeHTTP(rec, nil)
	invalid := callbacktest.JudgeRecorder(rec, callbacktest.Call(rider, pn1))
	callbacktest.AssertValid(t, invalid)     // ASSERT-VALID
	callbacktest.AssertAnswered(t, invalid)  // ASSERT-ANSWERED-INVALID
	callbacktest.AssertAnswered(t, fellBack) // ASSERT-ANSWERED-FALLBACK
}

// A failing assertion is reported at the line of the test that called it,
// not inside this package, as testify's are: the assertions call the
// test's Helper. The failures run in a process of their own, with the
// real testing.T.
func TestAssertionsReportTheCallersLine(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestFailingAssertions$", "-test.v")
	cmd.Env = append(os.Environ(), "CALLBACKTEST_FAILING_ASSERTIONS=1")
	out, err := cmd.CombinedOutput()
	require.Error(t, err, "the assertions must fail:\n%s", out)

	src, err := os.ReadFile("assert_test.go")
	require.NoError(t, err)
	want := map[string]int{} // the marked lines
	for i, line := range strings.Split(string(src), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "callbacktest.Assert") {
			continue
		}
		if _, mark, ok := strings.Cut(line, "// ASSERT-"); ok {
			want[mark] = i + 1
		}
	}
	require.Len(t, want, 3)
	for name, line := range want {
		assert.Contains(t, string(out), fmt.Sprintf("assert_test.go:%d: callbacktest:", line), "%s: the failure names the caller's line\n%s", name, out)
	}
	assert.NotRegexp(t, `\sassert\.go:\d+:`, string(out), "no failure points into the package")
}

// Concurrent sends through one Server each get their own Outcome, even
// for callbacks with the same SIDs: the decision answers some and fails
// others, and every Response carries the Outcome of its own request.
func TestServerSendConcurrent(t *testing.T) {
	decide := func(_ context.Context, req *callback.Request) (callback.Answer, error) {
		if len(req.Body)%2 == 1 {
			return callback.Answer{}, errors.New("odd")
		}
		r := twiml.NewMessagingResponse()
		r.Message("echo "+req.Body, nil)
		return callback.TwiML(r), nil
	}
	srv := callbacktest.NewServer(t, decide, nil)
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Sprintf("%0*d", 1+i%7, i) // lengths 1 to 7, odd and even
			r := srv.Send(callbacktest.Message(rider, pn1, body))
			if !assert.NotNil(t, r.Outcome, body) {
				return
			}
			assert.Equal(t, body, r.Outcome.Request.Body, "the Outcome of another request")
			if len(body)%2 == 1 {
				assert.Equal(t, callback.FellBack, r.Outcome.Kind, body)
			} else {
				assert.Equal(t, callback.Answered, r.Outcome.Kind, body)
				assert.Contains(t, string(r.Body), "echo "+body)
			}
		}()
	}
	wg.Wait()
	assert.Len(t, srv.Outcomes(), n)
}
