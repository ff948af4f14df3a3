package twiml_test

import (
	"fmt"

	"github.com/oosc-dev/oosc"
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
	r := twiml.Validate(doc, oosc.Voice)
	fmt.Println("valid:", r.Valid())
	for _, p := range r.Problems {
		fmt.Println(p.Rule, p.Path, p.Attr)
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
	strict := twiml.Validate(doc, oosc.Voice)
	lenient := twiml.Validator{Lenient: true}.Validate(doc, oosc.Voice)
	fmt.Println(strict.Valid(), lenient.Valid())
	for _, p := range lenient.Warnings() {
		fmt.Println(p.Rule, p.Attr)
	}
	// Output:
	// false true
	// invalid-value loop
}

// Hand a caller whose ride has ended to an AI agent over ConversationRelay,
// passing the old ride to the agent's WebSocket.
func ExampleConnect_ConversationRelay() {
	r := twiml.NewVoiceResponse()
	relay := r.Connect(&twiml.ConnectAttrs{Action: "https://example.com/agent-done"}).
		ConversationRelay(&twiml.ConversationRelayAttrs{
			URL:             "wss://agent.example.com/relay",
			WelcomeGreeting: "Hi! Your ride has ended. How can I help?",
		})
	relay.Language(&twiml.LanguageAttrs{Code: "es-ES", Voice: "es-ES-Neural2-B"})
	relay.Parameter("ride", "8812")
	fmt.Println(r.String())
	fmt.Println("valid:", r.Validate().Valid())
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?><Response><Connect action="https://example.com/agent-done"><ConversationRelay url="wss://agent.example.com/relay" welcomeGreeting="Hi! Your ride has ended. How can I help?"><Language code="es-ES" voice="es-ES-Neural2-B"/><Parameter name="ride" value="8812"/></ConversationRelay></Connect></Response>
	// valid: true
}

// Dial a driver's SIP endpoints, the backup second, with the ride in a SIP
// header.
func ExampleSIP_URI() {
	r := twiml.NewVoiceResponse()
	sip := r.Dial("", nil).SIP("", nil)
	sip.URI("sip:driver@pbx-a.example.com", &twiml.URIAttrs{Priority: twiml.Int(1)})
	sip.URI("sip:driver@pbx-b.example.com", &twiml.URIAttrs{Priority: twiml.Int(2)})
	sip.Header("X-Ride", "8812")
	fmt.Println(r.String())
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?><Response><Dial><Sip><Uri priority="1">sip:driver@pbx-a.example.com</Uri><Uri priority="2">sip:driver@pbx-b.example.com</Uri><Headers><Header name="X-Ride" value="8812"/></Headers></Sip></Dial></Response>
}
