package callbacktest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/callback/callbacktest"
	"github.com/oosc-dev/oosc/emulator"
	"github.com/oosc-dev/oosc/twiml"
	"github.com/oosc-dev/oosc/webhook"
)

const (
	pn1    = "+14155550100"
	rider  = "+19515550101"
	driver = "+17075550102"
)

// answerWith is an endpoint that answers every request with ct, body and status.
func answerWith(ct, body string, status int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	})
}

// recorder is a TestingT that keeps the failures, to test the assertions.
type recorder struct{ errs []string }

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// The documented values of the exported constants are theirs.
func TestConstantsAsDocumented(t *testing.T) {
	assert.Equal(t, "callbacktest-auth-token", callbacktest.DefaultAuthToken)
	assert.Equal(t, "2006-01-02T15:04:05Z", callbacktest.ISODate)
}

func TestContactForm(t *testing.T) {
	c := callbacktest.Call(rider, pn1)
	f := c.Form()
	assert.Equal(t, "CA00000000000000000000000000000000", f.Get("CallSid"))
	assert.Equal(t, emulator.DefaultAccountSid, f.Get("AccountSid"), "the account of an emulator made without options, as documented")
	assert.Equal(t, "ringing", f.Get("CallStatus"))
	assert.Equal(t, rider, f.Get("Caller"))
	assert.Empty(t, f.Get("sessionSid"))

	m := callbacktest.Message(rider, pn1, "hello").WithMedia("https://example.com/a.jpg").After(callbacktest.Previous{Seq: 3, UniqueName: "ride-3", Other: driver})
	m.Seq = 7
	f = m.Form()
	assert.Equal(t, "SM00000000000000000000000000000007", f.Get("MessageSid"))
	assert.Equal(t, f.Get("MessageSid"), f.Get("SmsSid"))
	assert.Equal(t, "1", f.Get("NumMedia"))
	assert.Equal(t, "https://example.com/a.jpg", f.Get("MediaUrl0"))
	assert.Equal(t, "KC00000000000000000000000000000003", f.Get("sessionSid"))
	assert.Equal(t, "closed", f.Get("sessionStatus"))
	assert.Equal(t, "api", f.Get("sessionClosedReason"))
	assert.Equal(t, driver, f.Get("outboundParticipantIdentifier"))
	assert.Equal(t, rider, f.Get("inboundParticipantIdentifier"))
	assert.Equal(t, f, m.Form(), "deterministic")

	req := callback.ParseRequest(f, nil)
	assert.Equal(t, oosc.CauseSessionClosed, req.Cause())
	assert.Equal(t, driver, req.OutboundParticipant.Identifier)

	assert.Panics(t, func() { callbacktest.Callback{Inbound: oosc.Inbound{From: rider}}.Form() }, "no channel is misuse")
	assert.Panics(t, func() { callbacktest.NewRequest("/relative", "", c) }, "a relative target is misuse")
}

// NewRequest makes a signed request a handler accepts, like httptest.NewRequest.
func TestNewRequestIsSigned(t *testing.T) {
	v, err := webhook.NewVerifier([]string{"tok"}, nil)
	require.NoError(t, err)
	h, err := callback.NewHandler(callback.Reply("Ended.", "Ended."), &callback.Options{Verifier: v})
	require.NoError(t, err)
	c := callbacktest.Call(rider, pn1)
	req := callbacktest.NewRequest("https://hooks.example.com/oos", "tok", c)
	require.NoError(t, req.ParseForm())
	assert.Equal(t, rider, req.PostForm.Get("From"))
	req = callbacktest.NewRequest("https://hooks.example.com/oos", "tok", c)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := callbacktest.JudgeRecorder(rec, c)
	assert.True(t, callbacktest.AssertAnswered(t, a))
	assert.Contains(t, string(a.Body), "<Say>Ended.</Say>")

	req = callbacktest.NewRequest("https://hooks.example.com/oos", "other-token", c)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusForbidden, rec.Code)
	var r recorder
	assert.False(t, callbacktest.AssertValid(&r, callbacktest.JudgeRecorder(rec, c)))
	require.Len(t, r.errs, 1)
	assert.Contains(t, r.errs[0], "80913")
}

// The strict assertion fails when the handler answered with its fallback,
// although the answer itself is valid and the status is 200.
func TestAssertAnsweredCatchesFallbacks(t *testing.T) {
	broken := func(_ context.Context, req *callback.Request) (callback.Answer, error) {
		if req.Body == "error" {
			return callback.Answer{}, errors.New("database down")
		}
		r := twiml.NewVoiceResponse() // voice TwiML for a message: invalid
		r.Say("hi", nil)
		return callback.TwiML(r), nil
	}
	srv := callbacktest.NewServer(t, broken, nil)
	for seq, body := range []string{"error", "wrong channel"} {
		c := callbacktest.Message(rider, pn1, body)
		c.Seq = seq
		a := srv.Send(c)
		assert.Equal(t, http.StatusOK, a.Status)
		var loose, strict recorder
		assert.True(t, callbacktest.AssertValid(&loose, a), "the fallback is a valid answer")
		assert.False(t, callbacktest.AssertAnswered(&strict, a), "but it is not the decision's")
		require.Len(t, strict.errs, 1)
		assert.Contains(t, strict.errs[0], "with its fallback, not the decision's answer (outcome fell-back)")
		require.NotNil(t, a.Outcome)
		assert.Equal(t, callback.FellBack, a.Outcome.Kind)
	}

	good := callbacktest.NewServer(t, callback.Directory(func(context.Context, *callback.Request) (callback.Counterpart, error) {
		return callback.Counterpart{Identifier: driver}, nil
	}, nil), nil)
	a := good.Send(callbacktest.Message(rider, pn1, "hi"))
	assert.True(t, callbacktest.AssertAnswered(t, a))
	assert.Equal(t, autocreate.ContentType, a.Header.Get("Content-Type"))
	assert.Len(t, good.Outcomes(), 1)
}

// Post judges any endpoint, in any language, as Proxy would.
func TestPostJudgesAnyEndpoint(t *testing.T) {
	srv := httptest.NewServer(answerWith("text/xml", "<Response/>", 200))
	defer srv.Close()
	a := callbacktest.Post(context.Background(), nil, srv.URL, "", callbacktest.Call(rider, pn1))
	assert.False(t, a.Verdict.Valid())
	assert.Equal(t, []oosc.Code{80905}, a.Verdict.LoggedCodes())

	srv.Close()
	a = callbacktest.Post(context.Background(), nil, srv.URL, "", callbacktest.Call(rider, pn1))
	assert.Error(t, a.Err)
	assert.Equal(t, []oosc.Code{80913}, a.Verdict.LoggedCodes())
	assert.Contains(t, a.Verdict.Problems[0].Message, "no answer")
}

// Post follows no redirect, as Proxy does not: a 307 is judged as a status
// outside 2xx, and the signed request reaches nobody else.
func TestPostFollowsNoRedirect(t *testing.T) {
	reached := false
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = true
		answerWith("application/xml", "<Response/>", http.StatusOK).ServeHTTP(w, r)
	}))
	defer other.Close()
	srv := httptest.NewServer(http.RedirectHandler(other.URL, http.StatusTemporaryRedirect))
	defer srv.Close()
	a := callbacktest.Post(context.Background(), nil, srv.URL, "tok", callbacktest.Call(rider, pn1))
	assert.Equal(t, http.StatusTemporaryRedirect, a.Status)
	assert.Equal(t, []oosc.Code{80913}, a.Verdict.LoggedCodes())
	assert.False(t, reached, "the signed request followed the redirect")
}
