package callbacktest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"

	"github.com/oosc-dev/oosc/callback"
	"github.com/oosc-dev/oosc/judge"
)

// maxAnswerBytes bounds what is read of an answer: more than TwiML's 64 kB
// limit, so that an oversized answer is judged, not cut.
const maxAnswerBytes = 1 << 20

func checkTarget(target string) {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		panic(fmt.Sprintf("callbacktest: target %q is not an absolute http(s) URL", target))
	}
}

func token(authToken string) string {
	if authToken == "" {
		return DefaultAuthToken
	}
	return authToken
}

// NewRequest returns the out-of-session callback Proxy would send for c to
// target (an absolute URL such as http://example.com/out-of-session),
// signed with authToken (DefaultAuthToken when ""), as an incoming server
// request ready for a handler's ServeHTTP, like httptest.NewRequest. It also
// returns the form. It panics on misuse: a target that is not an absolute
// http(s) URL, or a contact of no known channel.
func NewRequest(target, authToken string, c Contact) (*http.Request, url.Values) {
	checkTarget(target)
	form := c.Form()
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	sign(r.Header, token(authToken), target, form)
	return r, form
}

// NewClientRequest is [NewRequest] for sending with an http.Client.
func NewClientRequest(ctx context.Context, target, authToken string, c Contact) (*http.Request, url.Values) {
	form := c.Form()
	return SignedRequest(ctx, target, authToken, form), form
}

// SignedRequest returns a POST of any form to target for an http.Client,
// with the form's Content-Type and the X-Twilio-Signature Twilio would send
// for authToken (DefaultAuthToken when ""): for testing any Twilio webhook,
// or a callback with parameters of your own. It panics on a target that is
// not an absolute http(s) URL.
func SignedRequest(ctx context.Context, target, authToken string, form url.Values) *http.Request {
	checkTarget(target)
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		panic("callbacktest: " + err.Error())
	}
	sign(r.Header, token(authToken), target, form)
	return r
}

func sign(h http.Header, authToken, target string, form url.Values) {
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set(callback.SignatureHeader, callback.Signature(authToken, target, form))
}

// Answer is an answer as Proxy received it, and the judge's verdict on it.
type Answer struct {
	Contact Contact
	Status  int // 0 when no answer came
	Header  http.Header
	Body    []byte
	Latency time.Duration
	// Err is a transport failure (refused, reset, timed out); the verdict
	// then says 80913.
	Err     error
	Verdict judge.Verdict
	// Outcome is the handler's own account of the request, when it is known
	// (a Server's answers); nil otherwise.
	Outcome *callback.Outcome
}

// Judge reads resp's body and judges the answer for c as Proxy would.
func Judge(resp *http.Response, c Contact) Answer {
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	a := Answer{Contact: c, Status: resp.StatusCode, Header: resp.Header, Body: body, Err: err}
	a.Verdict = verdict(a)
	return a
}

// JudgeRecorder judges an answer written to an httptest.ResponseRecorder.
func JudgeRecorder(rec *httptest.ResponseRecorder, c Contact) Answer {
	return Judge(rec.Result(), c)
}

func verdict(a Answer) judge.Verdict {
	status := a.Status
	if a.Err != nil {
		status = 0 // no answer: Proxy logs 80913 as for a failed status
	}
	return judge.Response(status, a.Header, a.Body, judge.Contact{Channel: a.Contact.Channel, From: a.Contact.From}, nil)
}

// DefaultTimeout is how long Proxy waits for the callback's answer.
const DefaultTimeout = 15 * time.Second

// Post sends the callback for c to target, signed with authToken, with
// client (nil: a client that waits DefaultTimeout), and judges the answer.
// A transport failure or a timeout is an Answer with Err set and a verdict
// of 80913, as Proxy would log it. It panics on misuse, as NewRequest does.
func Post(ctx context.Context, client *http.Client, target, authToken string, c Contact) Answer {
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeout}
	}
	req, _ := NewClientRequest(ctx, target, authToken, c)
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		a := Answer{Contact: c, Err: err, Latency: time.Since(start)}
		a.Verdict = verdict(a)
		a.Verdict.Problems[0].Message = "no answer: " + err.Error() + " (80913)"
		return a
	}
	a := Judge(resp, c)
	a.Latency = time.Since(start)
	return a
}
