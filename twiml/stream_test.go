package twiml_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/oosc-dev/oosc/twiml"
)

// The media verbs build documents that validate, with the attributes in
// their fixed order.
func TestMediaVerbs(t *testing.T) {
	r := twiml.NewVoiceResponse()
	r.Start(nil).Stream(&twiml.StreamAttrs{URL: "wss://stream.example.com/audio", Name: "fork", Track: "both_tracks"}).
		Parameter("ride", "8812")
	r.Start(nil).Siprec(&twiml.SiprecAttrs{ConnectorName: "recorder-1", Name: "rec"}).Parameter("case", "42")
	r.Pay(&twiml.PayAttrs{PaymentMethod: "ach-debit", BankAccountType: "consumer-checking", ChargeAmount: "10.00", Timeout: twiml.Int(5)}).
		Prompt(&twiml.PromptAttrs{For: "bank-routing-number", ErrorType: []string{"invalid-bank-routing-number"}}).
		Say("That routing number is not valid.", nil)
	stop := r.Stop()
	stop.Stream("fork")
	stop.Siprec("rec")
	r.Echo()
	r.Connect(&twiml.ConnectAttrs{Action: "/after"}).Stream(&twiml.StreamAttrs{URL: "wss://agent.example.com/ws"})
	assert.True(t, r.Validate().Valid(), "%v", r.Validate().Errors())
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response>`+
		`<Start><Stream name="fork" track="both_tracks" url="wss://stream.example.com/audio"><Parameter name="ride" value="8812"/></Stream></Start>`+
		`<Start><Siprec connectorName="recorder-1" name="rec"><Parameter name="case" value="42"/></Siprec></Start>`+
		`<Pay bankAccountType="consumer-checking" chargeAmount="10.00" paymentMethod="ach-debit" timeout="5">`+
		`<Prompt errorType="invalid-bank-routing-number" for="bank-routing-number"><Say>That routing number is not valid.</Say></Prompt></Pay>`+
		`<Stop><Stream name="fork"/><Siprec name="rec"/></Stop>`+
		`<Echo/>`+
		`<Connect action="/after"><Stream url="wss://agent.example.com/ws"/></Connect>`+
		`</Response>`, r.String())

	refer := twiml.NewVoiceResponse()
	refer.Refer(&twiml.ReferAttrs{Action: "/refer-done"}).SIP("sip:agent@example.com")
	assert.True(t, refer.Validate().Valid())
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?><Response><Refer action="/refer-done"><Sip>sip:agent@example.com</Sip></Refer></Response>`, refer.String())

	room := twiml.NewVoiceResponse()
	room.Connect(nil).Room("support-room", &twiml.RoomAttrs{ParticipantIdentity: "rider-17"})
	assert.True(t, room.Validate().Valid())
}
