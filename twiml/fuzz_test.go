package twiml_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/twiml"
)

// FuzzValidate checks that validation never panics, gives the same verdict
// for the same input, and that a valid document has no errors. Seeds: every
// document of the corpus, valid and invalid, plus testdata/fuzz.
func FuzzValidate(f *testing.F) {
	for _, pattern := range []string{"valid/*/*.xml", "invalid/*/*.xml"} {
		files, _ := filepath.Glob(filepath.Join(corpusDir, pattern))
		for i, file := range files {
			if b, err := os.ReadFile(file); err == nil && len(b) < 4096 {
				f.Add(b, i%2 == 1) // the second argument picks lenient mode
			}
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte, lenient bool) {
		v := twiml.Validator{Lenient: lenient}
		for _, ch := range oosc.Channels() {
			r1 := v.Validate(doc, ch)
			r2 := v.Validate(doc, ch)
			if !reflect.DeepEqual(r1, r2) {
				t.Fatalf("two verdicts for one input:\n%v\n%v", r1.Problems, r2.Problems)
			}
			for _, p := range r1.Problems {
				if p.Rule == "" || p.Message == "" || (p.Severity != oosc.SeverityError && p.Severity != oosc.SeverityWarning) {
					t.Fatalf("incomplete problem %#v", p)
				}
			}
			if r1.Valid() != (r1.Err() == nil) {
				t.Fatalf("Valid and Err disagree")
			}
		}
	})
}

// FuzzBuilders drives the builders with arbitrary text and attribute
// values. The bytes written are always well-formed (or the build returns an
// error), and validating the built tree, as the callback handler does for
// this module's builders, gives the same verdict as validating the bytes.
func FuzzBuilders(f *testing.F) {
	f.Add("Hello", "Polly.Joanna", "x-custom", "+14155550123")
	f.Add("a\x00b\xff<&>\"'", "", "1bad", "wss://x")
	f.Add("", "man", "data-x", "")
	f.Fuzz(func(t *testing.T, text, value, extraName, number string) {
		v := twiml.NewVoiceResponse()
		v.Say(text, &twiml.SayAttrs{Voice: value, Extra: []twiml.Attr{{Name: extraName, Value: value}}}).Break(&twiml.BreakAttrs{Time: value})
		v.Say("", nil).Prosody(text, &twiml.ProsodyAttrs{Rate: value}).Text(text)
		v.Dial(number, &twiml.DialAttrs{CallerID: value}).Number(number, nil)
		v.Gather(&twiml.GatherAttrs{Action: value, FinishOnKey: &text}).Say(text, nil)
		v.Start(nil).Stream(&twiml.StreamAttrs{URL: value, Name: text}).Parameter(text, value)
		v.Pay(&twiml.PayAttrs{ChargeAmount: value}).Prompt(&twiml.PromptAttrs{For: value}).Say(text, nil)
		v.Redirect(value, nil)
		relay := v.Connect(nil).ConversationRelay(&twiml.ConversationRelayAttrs{URL: value, WelcomeGreeting: text})
		relay.Language(&twiml.LanguageAttrs{Code: value})
		relay.Parameter(text, value)
		d := v.Dial("", nil)
		sip := d.SIP("", nil)
		sip.URI(text, &twiml.URIAttrs{Username: value})
		sip.Header(text, value)
		client := d.Client("", nil)
		client.Identity(text)
		client.Parameter(value, text)
		d.Application(value, nil).ApplicationSid(text)
		v.Enqueue(text, &twiml.EnqueueAttrs{WorkflowSid: value}).Task(text, nil)
		v.Start(nil).Transcription(&twiml.TranscriptionAttrs{Name: text, LanguageCode: value}).Config(text, value)
		v.Hangup().Parameter(text, value)
		m := twiml.NewMessagingResponse()
		m.Message(text, &twiml.MessageAttrs{To: number, Extra: []twiml.Attr{{Name: extraName, Value: text}}}).Media(value)

		for _, c := range []struct {
			doc interface {
				Bytes() ([]byte, error)
				Validate() oosc.Report
			}
			ch oosc.Channel
		}{{v, oosc.Voice}, {m, oosc.SMS}} {
			b, err := c.doc.Bytes()
			if err != nil {
				continue // a bad Extra name: refused at build time
			}
			bytesReport := twiml.Validate(b, c.ch)
			for _, p := range bytesReport.Errors() {
				switch p.Rule {
				case twiml.RuleMalformed, twiml.RuleInvalidUTF8, twiml.RuleDuplicateAttribute, twiml.RuleAfterRoot,
					twiml.RuleBeforeDeclaration, twiml.RuleDoctype, twiml.RuleRoot, twiml.RuleEmpty:
					t.Fatalf("a builder wrote a document that is not well-formed: %v\n%q", p, b)
				}
			}
			if len(b) <= twiml.MaxDocumentBytes && c.doc.Validate().Valid() != bytesReport.Valid() {
				t.Fatalf("the tree says valid=%v, the bytes say %v: %v\n%q", !bytesReport.Valid(), bytesReport.Valid(), bytesReport.Errors(), b)
			}
		}
	})
}
