// Package conformance holds the test that checks the Proxy emulator
// (github.com/oosc-dev/oosc/emulator) against Twilio's own description of
// Proxy's REST API: the OpenAPI document twilio_proxy_v1.json, which
// Twilio publishes in the npm package @twilio-alpha/mcp (the same document
// as twilio/twilio-oai's spec/json/twilio_proxy_v1.json).
//
// The test fetches that document at test time with npm pack, checks its
// SHA-256, and validates with github.com/getkin/kin-openapi: every one of
// Proxy's operations is called on emulator.NewServer, every request the
// emulator accepts is one the document allows, and every success answer
// has the operation's documented status and response schema. The
// document is Twilio's: it is never committed here. A second test runs an
// application's Proxy calls through Twilio's Node.js helper library
// (twilio-node, installed with npm), pointed at the emulator by its Proxy
// domain's baseUrl. It is a module of its own so that kin-openapi never
// becomes a dependency of oosc.
//
// Run it with go test ./... in this directory; it needs npm, Node.js and
// the npm registry. Without them it is skipped, except on CI (the CI
// variable set), where it fails.
package conformance
