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
	"github.com/oosc-dev/oosc/internal/proxyform"
	"github.com/oosc-dev/oosc/judge"
)

// maxAnswerBytes bounds what is read of an answer: more than TwiML's 64 kB
// limit, so that an oversized answer is judged, not cut.
const maxAnswerBytes = 1 << 20

// CheckTarget panics unless target is an absolute http(s) URL, as
// httptest does on misuse.
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

// NewRequest returns the out-of-session callback Proxy would send for cb
// to target (an absolute URL such as http://example.com/out-of-session),
// signed with authToken (DefaultAuthToken when ""), as an incoming server
// request ready for a handler's ServeHTTP, like httptest.NewRequest. Its
// form is cb.Form(). It panics on misuse: a target that is not an
// absolute http(s) URL, or a callback of no known channel.
func NewRequest(target, authToken string, cb Callback) *http.Request {
	checkTarget(target)
	form := cb.Form()
	r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	sign(r.Header, token(authToken), target, form)
	return r
}

// NewClientRequest is [NewRequest] for sending with an http.Client.
func NewClientRequest(ctx context.Context, target, authToken string, cb Callback) *http.Request {
	return NewSignedRequest(ctx, target, authToken, cb.Form())
}

// NewSignedRequest returns a POST of any form to target for an
// http.Client, with the form's Content-Type and the X-Twilio-Signature
// Twilio would send for authToken (DefaultAuthToken when ""): for testing
// any Twilio webhook, or a callback with parameters of your own. It panics
// on a target that is not an absolute http(s) URL.
func NewSignedRequest(ctx context.Context, target, authToken string, form url.Values) *http.Request {
	checkTarget(target)
	r, err := proxyform.NewRequest(ctx, target, token(authToken), form)
	if err != nil {
		panic("callbacktest: " + err.Error())
	}
	return r
}

func sign(h http.Header, authToken, target string, form url.Values) {
	proxyform.Sign(h, authToken, target, form)
}

// Response is an answer to a callback as Proxy received it, with the
// judge's verdict on it.
type Response struct {
	Callback Callback
	Status   int // 0 when no answer came
	Header   http.Header
	Body     []byte
	Latency  time.Duration // the endpoint's time to answer, not the judging
	// Err is a transport failure (refused, reset, timed out, a redirect
	// not followed); the verdict then says 80913.
	Err     error
	Verdict judge.Verdict
	// Outcome is the handler's own account of the request, when it is
	// known (a Server's responses); nil otherwise.
	Outcome *callback.Outcome
}

// Judge reads resp's body and judges the answer to cb as Proxy would.
func Judge(resp *http.Response, cb Callback) Response {
	r := read(resp, cb)
	r.Verdict = verdict(r)
	return r
}

// read reads the answer, at most maxAnswerBytes of its body.
func read(resp *http.Response, cb Callback) Response {
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	return Response{Callback: cb, Status: resp.StatusCode, Header: resp.Header, Body: body, Err: err}
}

// JudgeRecorder judges an answer written to an httptest.ResponseRecorder.
func JudgeRecorder(rec *httptest.ResponseRecorder, cb Callback) Response {
	return Judge(rec.Result(), cb)
}

func verdict(r Response) judge.Verdict {
	status := r.Status
	if r.Err != nil {
		status = 0 // no answer: Proxy logs 80913 as for a failed status
	}
	return judge.Response(status, r.Header, r.Body, r.Callback.Inbound, nil)
}

// Post sends the callback cb to target, signed with authToken, with
// client (nil: a client that waits 15 s for the answer, as Proxy does,
// and follows no redirect, as Proxy's), and judges the answer. Its
// Latency is the endpoint's: until the answer's body is read, before it
// is judged. A transport failure or a timeout is a Response with Err set
// and a verdict of 80913, as Proxy would log it. It panics on misuse, as
// NewRequest does.
func Post(ctx context.Context, client *http.Client, target, authToken string, cb Callback) Response {
	return do(client, NewClientRequest(ctx, target, authToken, cb), cb)
}

// do sends req, the callback cb, and judges the answer.
func do(client *http.Client, req *http.Request, cb Callback) Response {
	if client == nil {
		client = &http.Client{Timeout: proxyform.Timeout, CheckRedirect: noRedirect}
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		r := Response{Callback: cb, Err: err, Latency: time.Since(start)}
		r.Verdict = verdict(r)
		r.Verdict.Problems[0].Message = "no answer: " + err.Error()
		return r
	}
	r := read(resp, cb)
	r.Latency = time.Since(start)
	r.Verdict = verdict(r)
	return r
}

// noRedirect makes a client return a redirect as the answer, so that it
// is judged as a status outside 2xx: Proxy is not known to follow one.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
