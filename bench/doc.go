// Package bench holds the evidence for oosc's speed: the same payloads, the
// same answers and the same httptest setup for three handlers measured side
// by side in one run:
//
//   - the floor: parse the form, write a constant answer (the least any
//     handler does);
//   - the twilio-go stack: twilio-go's RequestValidator, its twiml builders
//     (or encoding/json for auto-create), and a write with the right
//     Content-Type;
//   - oosc: callback.Handler with a decision building the same answer.
//
// BenchmarkPairedVerify sets the signature check alone (webhook.Verify, a
// Verifier, its middleware) beside its floor: the names sorted, the signed
// string built, one keyed HMAC-SHA1, the comparison.
//
// It is a module of its own, so that the library's module keeps its two
// dependencies. Run, from this directory:
//
//	go test -run '^$' -bench . -benchmem -count 10 | tee bench.txt
//	benchstat bench.txt
//
// and the loopback load generator with go run ./cmd/load (see its doc).
package bench
