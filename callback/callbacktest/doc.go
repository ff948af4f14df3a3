// Package callbacktest tests out-of-session callbacks as Twilio Proxy would
// call them, the way net/http/httptest tests handlers.
//
// Request builders make the callbacks Proxy sends: [Call] and [Message]
// describe an inbound [Contact], optionally [Contact.After] a previous
// Session ([Previous]); [Contact.Form] gives its parameters, with Twilio's
// standard voice or SMS fields and deterministic SIDs; [NewRequest] signs
// them into an *http.Request for a handler, [Post] sends them to any URL.
//
// Assertions judge an answer exactly as Proxy would, through package judge:
// [AssertValid] fails a test when Proxy would refuse the answer, and
// [AssertAnswered] also when the answer is the handler's fallback. A
// [Server] serves a callback.Handler over real HTTP and records each
// request's Outcome, so that a decision that silently fell back fails.
//
// The [Proxy] emulator plays Proxy's side of a whole flow: a Service with a
// number pool, Sessions and Participants with their lifecycle (close,
// delete, expiry by ttl and dateExpiry on a virtual clock), inbound contacts
// routed as Proxy routes them, the out-of-session callback made over real
// HTTP and its answer judged, auto-create Sessions created and used by the
// contacts that follow. Each contact returns a [Result] with the Twilio
// codes Proxy would log. [RunScenario] runs a scenario file through it, as
// oosc simulate does.
//
// The shortest use, in a test of a decision function:
//
//	srv := callbacktest.NewServer(t, decide, nil)
//	a := srv.Send(callbacktest.Message("+14155550100", "+14155550199", "hi"))
//	callbacktest.AssertAnswered(t, a)
package callbacktest
