package autocreate_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
)

var benchSession = autocreate.Session{
	UniqueName: "ride-8812-reconnect", Mode: autocreate.VoiceAndMessage, TTL: time.Hour,
	ParticipantIdentifier: "+14155550123", ParticipantProxyIdentifier: "+14155550199",
}

func BenchmarkMarshal(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(benchSession); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkValidateBytes(b *testing.B) {
	doc, _ := json.Marshal(benchSession)
	in := oosc.Inbound{From: "+14155550100", Channel: oosc.SMS}
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		if _, r := autocreate.ValidateBytes(doc, in, clock); !r.Valid() {
			b.Fatal(r.Problems)
		}
	}
}
