package emulator

import (
	"testing"

	"github.com/oosc-dev/oosc"
)

// FuzzReplies: no answer makes replies panic; each delivery goes to a
// number and is shown from one, and there are no more of them than the
// answer has elements.
func FuzzReplies(f *testing.F) {
	f.Add([]byte(`<Response><Message to="+17075550102" from=" "><Body>a</Body><Media>u</Media></Message><Message>b</Message></Response>`), false)
	f.Add([]byte(`<Response><Say>a<break/>b</Say><Play>u</Play><Gather><Say>c</Say></Gather><Dial callerId=""><Number>+1</Number></Dial><Dial>+2</Dial><Sms>d</Sms></Response>`), true)
	f.Add([]byte(`<Response/>`), true)
	f.Add([]byte(`<Response><Gather><Gather><Say>x</Say></Gather></Gather>`), true)
	f.Fuzz(func(t *testing.T, doc []byte, voice bool) {
		in := oosc.Inbound{Channel: oosc.SMS, From: "+16505550103", To: "+14155550100"}
		if voice {
			in.Channel = oosc.Voice
		}
		out := replies(doc, in)
		if elements := countByte(doc, '<'); len(out) > elements {
			t.Fatalf("%d deliveries from %d elements", len(out), elements)
		}
		for _, d := range out {
			if d.To == "" || d.From == "" || !d.Channel.Valid() {
				t.Fatalf("a delivery without its numbers or channel: %+v", d)
			}
		}
	})
}

func countByte(b []byte, c byte) int {
	n := 0
	for _, x := range b {
		if x == c {
			n++
		}
	}
	return n
}
