// Package twiml builds and validates TwiML for the two channels a Twilio
// Proxy out-of-session callback can answer: calls ([oosc.Voice]) and
// messages ([oosc.SMS]).
//
// Builders ([NewVoiceResponse], [NewMessagingResponse]) take typed
// attributes and always write the same bytes for the same answer: the XML
// declaration, then elements with their attributes in a fixed order (the
// typed attributes sorted by name, then any [Attr] escape-hatch attributes
// in the order given). Every method that adds an element returns that
// element's builder, as etree's CreateElement does: Say returns a [*Say],
// Dial a [*Dial] to add nouns to, Dial.Number a [*Number].
//
// [Validate] checks a document, built or raw, against a schema table
// derived from Twilio's documentation for the channel: well-formedness, the
// root, size, element names and nesting, attributes, value types,
// enumerations, patterns, ranges and text rules. It reports every problem
// ([oosc.Problem]) with an element path, a stable rule (the Rule constants
// of this package), the Twilio error it causes and a message that says what
// is allowed. Problems Twilio refuses a document for are always errors;
// problems Twilio only warns about (error 12200 and the 13xxx/14xxx value
// warnings) are errors in the default strict mode and warnings in lenient
// mode ([Validator.Lenient]). Validation is linear in the document, and a
// document over the size limit is refused without being parsed.
//
// The zero [VoiceResponse] and [MessagingResponse] are empty responses,
// ready to use.
//
// The shortest use:
//
//	r := twiml.NewVoiceResponse()
//	r.Say("This ride has ended.", nil)
//	r.Hangup()
//	b, err := r.Bytes() // <?xml version="1.0" encoding="UTF-8"?><Response><Say>This ride has ended.</Say><Hangup/></Response>
//
//	report := twiml.Validate(b, oosc.SMS) // invalid: <Say> is voice TwiML
package twiml
