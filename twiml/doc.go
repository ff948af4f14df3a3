// Package twiml builds and validates TwiML for the two channels a Twilio Proxy
// out-of-session callback can answer: voice calls and messages.
//
// Builders ([NewVoiceResponse], [NewMessagingResponse]) take typed attributes
// and always write the same bytes for the same answer: the XML declaration,
// then elements with their attributes in a fixed order (the typed attributes
// sorted by name, then any [Attr] escape-hatch attributes in the order given).
//
// [Validate] checks a document, built or raw, against a schema table derived
// from Twilio's documentation for the channel: well-formedness, the root,
// size, element names and nesting, attributes, value types, enumerations,
// patterns, ranges and text rules. It reports every problem with an element
// path, a stable [Code] and a message that says what is allowed. Problems
// Twilio refuses a document for are always errors; problems Twilio only
// warns about (error 12200 and the 13xxx/14xxx value warnings) are errors in
// the default strict mode and warnings in lenient mode ([Validator.Lenient]).
//
// The zero [VoiceResponse] and [MessagingResponse] are empty responses,
// ready to use. The schema table is generated from twiml-schema.json in this
// directory (go generate ./twiml).
//
// The shortest use:
//
//	r := twiml.NewVoiceResponse()
//	r.Say("This ride has ended.", nil)
//	r.Hangup()
//	b, err := r.Bytes() // <?xml version="1.0" encoding="UTF-8"?><Response><Say>This ride has ended.</Say><Hangup/></Response>
//
//	report := twiml.Validate(b, twiml.Messaging) // invalid: <Say> is voice TwiML
package twiml

//go:generate go run ./internal/schemagen -in twiml-schema.json -out schema_table.go
