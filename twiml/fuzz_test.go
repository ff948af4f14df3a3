package twiml_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

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
		for _, ch := range twiml.Channels() {
			r1 := v.Validate(doc, ch)
			r2 := v.Validate(doc, ch)
			if !reflect.DeepEqual(r1, r2) {
				t.Fatalf("two verdicts for one input:\n%v\n%v", r1.Problems, r2.Problems)
			}
			for _, p := range r1.Problems {
				if p.Code == "" || p.Message == "" || (p.Severity != twiml.Error && p.Severity != twiml.Warning) {
					t.Fatalf("incomplete problem %#v", p)
				}
			}
			if r1.Valid() != (r1.Err() == nil) {
				t.Fatalf("Valid and Err disagree")
			}
		}
	})
}
