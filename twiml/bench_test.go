package twiml_test

import (
	"testing"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/twiml"
)

func buildVoice() *twiml.VoiceResponse {
	r := twiml.NewVoiceResponse()
	r.Say("Sorry, this ride has ended. Open the app to reach your driver.", &twiml.SayAttrs{Voice: "Polly.Joanna", Language: "en-US"})
	r.Hangup()
	return r
}

func buildMessaging() *twiml.MessagingResponse {
	r := twiml.NewMessagingResponse()
	r.Message("This conversation has ended. Open the app to contact your driver.", nil)
	return r
}

func BenchmarkBuildVoice(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := buildVoice().Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBuildMessaging(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := buildMessaging().Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateVoice(b *testing.B) {
	doc, _ := buildVoice().Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if !twiml.Validate(doc, oosc.Voice).Valid() {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkValidateMessaging(b *testing.B) {
	doc, _ := buildMessaging().Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if !twiml.Validate(doc, oosc.SMS).Valid() {
			b.Fatal("invalid")
		}
	}
}

// BenchmarkValidateBuiltVoice validates a built answer without writing it
// out: the handler's fast path for this module's builders.
func BenchmarkValidateBuiltVoice(b *testing.B) {
	doc := buildVoice()
	b.ReportAllocs()
	for b.Loop() {
		if !doc.Validate().Valid() {
			b.Fatal("invalid")
		}
	}
}

// BenchmarkBuildEveryNoun builds a document that sets every typed
// attribute of most voice elements: the cost of the attribute writer.
func BenchmarkBuildEveryNoun(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := everyVoiceNoun().Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}
