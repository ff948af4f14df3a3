// Package callbacktest tests out-of-session callbacks as Twilio Proxy would
// call them, the way net/http/httptest tests handlers.
//
// Request builders make the callbacks Proxy sends: [Call] and [Message]
// describe one ([Callback]), optionally [Callback.After] a previous
// Session ([Previous]); [Callback.Form] gives its parameters, with
// Twilio's standard voice or SMS fields and deterministic SIDs;
// [NewRequest] signs them into an *http.Request for a handler, [Post]
// sends them to any URL.
//
// Assertions judge a [Response] exactly as Proxy would, through package
// judge: [AssertValid] fails a test when Proxy would refuse the answer,
// and [AssertAnswered] also when the answer is the handler's fallback. A
// [Server] serves a callback.Handler over real HTTP and records each
// request's Outcome, so that a decision that silently fell back fails.
//
// The emulator package plays Proxy's side of whole flows, Sessions and
// all.
//
// The shortest use, in a test of a decision function:
//
//	srv := callbacktest.NewServer(t, decide, nil)
//	r := srv.Send(callbacktest.Message("+14155550100", "+14155550199", "hi"))
//	callbacktest.AssertAnswered(t, r)
package callbacktest
