package twiml_test

import (
	"fmt"

	"github.com/oosc-dev/oosc/twiml"
)

// Build the voice answer to a call from someone whose ride has ended.
func ExampleNewVoiceResponse() {
	r := twiml.NewVoiceResponse()
	r.Say("Sorry, this ride has ended.", &twiml.SayAttrs{Voice: "Polly.Joanna", Language: "en-US"})
	r.Hangup()
	b, err := r.Bytes()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(b))
	fmt.Println("valid:", r.Validate().Valid())
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?><Response><Say language="en-US" voice="Polly.Joanna">Sorry, this ride has ended.</Say><Hangup/></Response>
	// valid: true
}

// Build the reply to a text message.
func ExampleNewMessagingResponse() {
	r := twiml.NewMessagingResponse()
	r.Message("This conversation has ended. Open the app to contact your driver.", nil)
	fmt.Println(r.String())
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?><Response><Message>This conversation has ended. Open the app to contact your driver.</Message></Response>
}

// Validate raw TwiML, as a handler would before sending it to Twilio.
func ExampleValidate() {
	doc := []byte(`<Response><Say voise="woman">Hello</Say><Message>Hi</Message></Response>`)
	r := twiml.Validate(doc, twiml.Voice)
	fmt.Println("valid:", r.Valid())
	for _, p := range r.Problems {
		fmt.Println(p.Code, p.Path, p.Attr)
	}
	// Output:
	// valid: false
	// unknown-attribute /Response/Say[1] voise
	// wrong-channel /Response/Message[1]
}

// Lenient mode reports what Twilio only warns about (12200, 13xxx) as
// warnings, so a document Twilio would still run is valid; strict mode,
// the default, refuses it.
func ExampleValidator_lenient() {
	doc := []byte(`<Response><Say voice="alice" loop="-1">Hi</Say></Response>`)
	strict := twiml.Validate(doc, twiml.Voice)
	lenient := twiml.Validator{Lenient: true}.Validate(doc, twiml.Voice)
	fmt.Println(strict.Valid(), lenient.Valid())
	for _, p := range lenient.Warnings() {
		fmt.Println(p.Code, p.Attr)
	}
	// Output:
	// false true
	// invalid-value loop
}
