// Package judge decides whether an out-of-session callback's answer is one
// Twilio Proxy accepts for the interaction it answers, and which Twilio
// errors it would cause otherwise. It is the one judgement that the callback
// handler, the oosc command and the test helpers share.
//
// [Response] judges an HTTP answer as Proxy receives it: the status (a
// non-2xx status is 80913, whatever the body), the Content-Type, then the
// body: TwiML valid for the interaction's channel (application/xml), or an
// auto-create session valid for its sender and channel (application/json).
// [Body] judges a body alone, with or without its Content-Type. The
// [Verdict] holds every problem ([oosc.Problem]) with its rule and the
// Twilio code it causes, and [Verdict.LoggedCodes] lists what Proxy would
// log for the answer.
//
// The judge follows what Proxy accepts, which is wider than what oosc
// sends: the media type is compared case-insensitively and its parameters,
// such as "; charset=utf-8", are tolerated (Twilio fixed Proxy to accept
// application/json with a charset on 2019-04-17, as its Proxy changelog
// says: https://www.twilio.com/docs/proxy/proxy-changelog), while the
// handler always sends exactly application/xml or application/json.
//
// The shortest use, in a test of a running endpoint:
//
//	v := judge.Response(resp.StatusCode, resp.Header, body, oosc.Inbound{Channel: oosc.Voice, From: "+14155550100"}, nil)
//	if !v.Valid() {
//		t.Errorf("Proxy would log %v: %v", v.LoggedCodes(), v.Problems)
//	}
package judge
