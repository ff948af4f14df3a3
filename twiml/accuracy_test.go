package twiml_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/twiml"
)

func validateFile(t *testing.T, name string, ch oosc.Channel) oosc.Report {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(corpusDir, name))
	require.NoError(t, err)
	return twiml.Validate(doc, ch)
}

// What Twilio accepts but does not mean to be written so is a warning,
// not an error: an empty <Redirect/>, text beside <Media>.
func TestDocumentedFormsAreWarnings(t *testing.T) {
	r := validateFile(t, "valid/voice/redirect-empty-current-document.xml", oosc.Voice)
	assert.True(t, r.Valid())
	assert.True(t, r.Has(twiml.RuleEmptyRedirect))
	r = validateFile(t, "valid/sms/message-text-beside-media.xml", oosc.SMS)
	assert.True(t, r.Valid())
	assert.True(t, r.Has(twiml.RuleTextBesideMedia))
	r = twiml.Validate([]byte(`<Response><Message>hi<Body>there</Body></Message></Response>`), oosc.SMS)
	assert.True(t, r.Has(twiml.RuleMixedContent), "text beside <Body> is still an error")
}

// TwiML of another product is named as such.
func TestOtherProductTwiML(t *testing.T) {
	r := validateFile(t, "invalid/voice/unknown-element--fax-receive.xml", oosc.Voice)
	require.NotEmpty(t, r.Errors())
	assert.Contains(t, r.Errors()[0].Message, "<Receive> is fax TwiML, not valid in a voice or messaging answer")
}

// The elements of products Twilio retired are refused, naming the product
// and what replaces it: strict mode errors, lenient mode warnings.
func TestRetiredProductTwiML(t *testing.T) {
	for _, tt := range []struct{ file, says string }{
		{"invalid/voice/unknown-element--connect-autopilot-retired.xml", "<Autopilot> connected the call to Twilio Autopilot, which Twilio shut down on August 25, 2023"},
		{"invalid/voice/unknown-element--connect-assistant-retired.xml", "AI Assistants retired in July 2026: connect it to <ConversationRelay> instead"},
	} {
		r := validateFile(t, tt.file, oosc.Voice)
		require.Len(t, r.Errors(), 1, "%v", r.Problems)
		assert.Equal(t, twiml.RuleUnknownElement, r.Errors()[0].Rule)
		assert.Equal(t, "/Response/Connect[1]", r.Errors()[0].Path[:len("/Response/Connect[1]")])
		assert.Contains(t, r.Errors()[0].Message, tt.says)
		doc, err := os.ReadFile(filepath.Join(corpusDir, tt.file))
		require.NoError(t, err)
		assert.True(t, twiml.Validator{Lenient: true}.Validate(doc, oosc.Voice).Valid(), "a warning in lenient mode")
	}
}

// Every SID-typed value, attribute or text, is checked the same way, with
// the same message.
func TestSIDsCheckedAlike(t *testing.T) {
	shape := regexp.MustCompile(`^(text "[^"]*"|\w+="[^"]*") is (a placeholder, not a real SID: put in|not) a SID( starting with [A-Z]{2})? \(([A-Z]{2}|two capital letters) and 32 hex digits\)$`)
	for _, doc := range []string{
		`<Response><Dial><Application><ApplicationSid>APxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx</ApplicationSid></Application></Dial></Response>`,
		`<Response><Dial><Application><ApplicationSid>CA0123456789abcdef0123456789abcdef</ApplicationSid></Application></Dial></Response>`,
		`<Response><Dial><Sim>nope</Sim></Dial></Response>`,
		`<Response><Enqueue workflowSid="WWxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx">q</Enqueue></Response>`,
		`<Response><Enqueue workflowSid="AP0123456789abcdef0123456789abcdef">q</Enqueue></Response>`,
	} {
		r := twiml.Validate([]byte(doc), oosc.Voice)
		require.Len(t, r.Errors(), 1, doc)
		p := r.Errors()[0]
		assert.Equal(t, twiml.RuleInvalidValue, p.Rule, doc)
		assert.Regexp(t, shape, p.Message, doc)
		assert.Contains(t, p.Message, "32 hex digits", doc)
	}
}

// A byte order mark is a warning (XML allows it; Twilio's acceptance is
// unconfirmed), and the document after it is judged as if it were absent,
// an XML declaration included: the mark is not content before it.
func TestByteOrderMark(t *testing.T) {
	r := validateFile(t, "valid/voice/byte-order-mark.xml", oosc.Voice)
	assert.True(t, r.Valid(), "%v", r.Errors())
	assert.True(t, r.Has(twiml.RuleByteOrderMark))
	r = twiml.Validate([]byte("\xef\xbb\xbf<Response><Sayy>hi</Sayy></Response>"), oosc.Voice)
	assert.True(t, r.Has(twiml.RuleUnknownElement), "the document after the mark is checked: %v", r.Problems)
	r = twiml.Validate([]byte("\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"), oosc.Voice)
	assert.True(t, r.Valid(), "%v", r.Problems)
	assert.True(t, r.Has(twiml.RuleByteOrderMark), "%v", r.Problems)
	r = twiml.Validate([]byte("\xef\xbb\xbf \n<?xml version=\"1.0\"?><Response/>"), oosc.Voice)
	assert.True(t, r.Has(twiml.RuleBeforeDeclaration), "white space is content: %v", r.Problems)
}

// TwiML accuracy, round 3: the lessons of a second corpus of public
// documents, each with the Twilio code Twilio logs for it.
func TestAccuracyRound3(t *testing.T) {
	tests := []struct {
		name string
		ch   oosc.Channel
		doc  string
		rule oosc.Rule // "" when valid
		code oosc.Code
		warn oosc.Rule // a warning expected on a valid document
	}{
		{"<Connect><Stream> to ws://", oosc.Voice, `<Response><Connect><Stream url="ws://media.example.com/s"/></Connect></Response>`, twiml.RuleInvalidValue, oosc.CodeStreamURLScheme, ""},
		{"<Start><Stream> to https://", oosc.Voice, `<Response><Start><Stream url="https://media.example.com/s"/></Start></Response>`, twiml.RuleInvalidValue, oosc.CodeStreamURLScheme, ""},
		{"<Stream> to a relative URL", oosc.Voice, `<Response><Connect><Stream url="/s"/></Connect></Response>`, twiml.RuleInvalidValue, oosc.CodeStreamURLScheme, ""},
		{"<Stream> to wss://", oosc.Voice, `<Response><Connect><Stream url="wss://media.example.com/s"/></Connect></Response>`, "", 0, ""},
		{"<Sip> without a scheme", oosc.Voice, `<Response><Dial><Sip>sip</Sip></Dial></Response>`, twiml.RuleInvalidValue, oosc.CodeInvalidSIPURI, ""},
		{"<Sip> with sips:", oosc.Voice, `<Response><Dial><Sip>sips:alice@sip.example.com</Sip></Dial></Response>`, "", 0, ""},
		{"client caller ID to a number", oosc.Voice, `<Response><Dial callerId="client:tommy"><Number>+14155550123</Number></Dial></Response>`, twiml.RuleInvalidValue, oosc.CodeInvalidCallerID, ""},
		{"client caller ID to a number as text", oosc.Voice, `<Response><Dial callerId="client:tommy">+14155550123</Dial></Response>`, twiml.RuleInvalidValue, oosc.CodeInvalidCallerID, ""},
		{"a name as caller ID to a number", oosc.Voice, `<Response><Dial callerId="Acme"><Number>+14155550123</Number></Dial></Response>`, twiml.RuleInvalidValue, oosc.CodeInvalidCallerID, ""},
		{"client caller ID to a client", oosc.Voice, `<Response><Dial callerId="client:tommy"><Client>james</Client></Dial></Response>`, "", 0, ""},
		{"a national caller ID", oosc.Voice, `<Response><Dial callerId="4155550100"><Number>+14155550123</Number></Dial></Response>`, "", 0, twiml.RuleNotE164},
		{"<Sms> in a message reply", oosc.SMS, `<Response><Sms>Thanks</Sms></Response>`, "", 0, twiml.RuleDeprecated},
		{"<Sms> with <Message>", oosc.SMS, `<Response><Message>Hi</Message><Sms>Thanks</Sms></Response>`, "", 0, twiml.RuleDeprecated},
		{"playBeep=1", oosc.Voice, `<Response><Record playBeep="1"/></Response>`, "", 0, twiml.RuleBooleanDigit},
		{"actionOnEmptyResult=0", oosc.Voice, `<Response><Gather actionOnEmptyResult="0" action="/next"><Say>Press 1</Say></Gather></Response>`, "", 0, twiml.RuleBooleanDigit},
		{"playBeep=yes", oosc.Voice, `<Response><Record playBeep="yes"/></Response>`, twiml.RuleInvalidValue, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := twiml.Validate([]byte(tt.doc), tt.ch)
			if tt.rule == "" {
				require.True(t, r.Valid(), "%v", r.Problems)
				if tt.warn != "" {
					assert.True(t, r.Has(tt.warn), "%v", r.Problems)
				}
				return
			}
			require.False(t, r.Valid())
			assert.True(t, r.Has(tt.rule), "%v", r.Problems)
			if tt.code != 0 {
				assert.Contains(t, r.Codes(), tt.code, "%v", r.Problems)
			}
		})
	}

	// A UTF-16 declaration says what to change, in the user's terms.
	r := twiml.Validate([]byte(`<?xml version="1.0" encoding="utf-16"?><Response/>`), oosc.Voice)
	require.False(t, r.Valid())
	msg := r.Problems[0].Message
	assert.Contains(t, msg, "TwiML must be UTF-8")
	assert.NotContains(t, msg, "CharsetReader")
}
