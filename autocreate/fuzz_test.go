package autocreate_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/autocreate"
)

// FuzzParse checks that parsing never panics and that whatever parses
// marshals back and parses again to the same value.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"valid", "invalid", "inbound-voice"} {
		files, _ := filepath.Glob(filepath.Join(corpusDir, dir, "*.json"))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		s, err := autocreate.Parse(doc)
		_, r := autocreate.ValidateBytes(doc, oosc.Inbound{From: "+14155550100"}, clock)
		if err != nil && r.Valid() {
			t.Fatalf("Parse failed but ValidateBytes passed: %v", err)
		}
		if err != nil {
			return
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("parsed but does not marshal: %v (%#v)", err, s)
		}
		s2, err := autocreate.Parse(b)
		if err != nil {
			t.Fatalf("marshalled form %s does not parse: %v", b, err)
		}
		if s.UniqueName != s2.UniqueName || s.Mode != s2.Mode || s.TTL != s2.TTL ||
			!s.DateExpiry.Equal(s2.DateExpiry) || s.ParticipantIdentifier != s2.ParticipantIdentifier ||
			s.ParticipantProxyIdentifier != s2.ParticipantProxyIdentifier {
			t.Fatalf("round trip changed the value:\n%#v\n%#v", s, s2)
		}
		b2, _ := json.Marshal(s2)
		if string(b) != string(b2) {
			t.Fatalf("marshal is not stable: %s vs %s", b, b2)
		}
	})
}
