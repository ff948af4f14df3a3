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
