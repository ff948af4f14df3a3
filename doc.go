// Package oosc holds the words every package of this module shares, so
// that each idea has one name: the channel of an interaction ([Channel]),
// the inbound interaction itself ([Inbound]), why it reached the
// out-of-session callback ([Cause]), the kind of an answer to it
// ([AnswerKind]), the status of a Proxy Session ([SessionStatus]), Twilio's
// error codes ([Code]), and the findings of a validation ([Problem],
// [Report], [ValidationError]).
//
// The module serves Twilio Proxy's out-of-session callback. Its packages:
//
//   - callback: the http.Handler that verifies Twilio's signature, parses
//     the callback, asks the application's decision and writes an answer
//     Proxy accepts, or a safe fallback.
//   - webhook: the X-Twilio-Signature of any Twilio webhook, signed and
//     verified, as a function or as middleware; callback and debugger use it.
//   - twiml and autocreate: the two kinds of answer, built and validated.
//   - judge: the one judgement of an answer, as Proxy makes it.
//   - callback/callbacktest: test helpers in the style of net/http/httptest.
//   - debugger: Twilio's Debugger events explained in the terms of the five
//     cases of 80905.
//   - emulator: Twilio Proxy itself, in process, for tests and the oosc
//     command's simulate and emulate.
//
// The shortest use of this package, in a decision function:
//
//	if req.Channel == oosc.Voice {
//		// answer the call
//	}
package oosc
