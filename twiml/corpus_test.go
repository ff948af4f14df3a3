package twiml_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/twiml"
)

// corpusDir holds TwiML documents shared with the CLI tests:
// valid/{voice,sms,both}/*.xml and invalid/{voice,sms}/RULE--name.xml.
const corpusDir = "../testdata/twiml"

func corpus(t testing.TB, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, pattern))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no corpus files match %s", pattern)
	return files
}

func TestCorpusValid(t *testing.T) {
	for _, dir := range []string{"voice", "sms", "both"} {
		for _, f := range corpus(t, "valid/"+dir+"/*.xml") {
			doc, err := os.ReadFile(f)
			require.NoError(t, err)
			for _, ch := range oosc.Channels() {
				mustPass := dir == "both" || dir == string(ch)
				t.Run(dir+"/"+filepath.Base(f)+"@"+string(ch), func(t *testing.T) {
					r := twiml.Validate(doc, ch)
					if mustPass {
						assert.True(t, r.Valid(), "problems: %v", r.Errors())
						assert.Empty(t, r.Errors())
						return
					}
					// A document of the other channel's verbs is rejected, naming the verb.
					require.False(t, r.Valid())
					assert.True(t, r.Has(twiml.RuleWrongChannel), "problems: %v", r.Problems)
					for _, p := range r.Errors() {
						assert.NotEmpty(t, p.Path)
					}
				})
			}
		}
	}
}

func TestCorpusInvalid(t *testing.T) {
	for _, ch := range oosc.Channels() {
		for _, f := range corpus(t, "invalid/"+string(ch)+"/*.xml") {
			code, _, ok := strings.Cut(filepath.Base(f), "--")
			require.True(t, ok, "%s: name must be CODE--description.xml", f)
			t.Run(string(ch)+"/"+filepath.Base(f), func(t *testing.T) {
				doc, err := os.ReadFile(f)
				require.NoError(t, err)
				r := twiml.Validate(doc, ch)
				require.False(t, r.Valid(), "document was accepted")
				var found *oosc.Problem
				for _, p := range r.Errors() {
					if string(p.Rule) == code {
						found = &p
						break
					}
				}
				require.NotNil(t, found, "want an error with code %s, got %v", code, r.Problems)
				assert.NotEmpty(t, found.Message)
				// Element problems name the element's path.
				switch oosc.Rule(code) {
				case twiml.RuleTooLarge, twiml.RuleInvalidUTF8, twiml.RuleBeforeDeclaration,
					twiml.RuleEmpty, twiml.RuleDoctype, twiml.RuleMalformed, twiml.RuleAfterRoot, oosc.RuleTooManyProblems:
				default:
					assert.True(t, strings.HasPrefix(found.Path, "/"), "path %q", found.Path)
				}
				// The error form carries the same problems.
				err = r.Err()
				require.Error(t, err)
				assert.ErrorIs(t, err, oosc.ErrInvalid)
			})
		}
	}
}

// Lenient mode keeps refusals and channel mismatches as errors but turns
// what Twilio only warns about into warnings.
func TestLenient(t *testing.T) {
	lenient := twiml.Validator{Lenient: true}
	tests := []struct {
		file  string
		ch    oosc.Channel
		valid bool
	}{
		{"invalid/voice/unknown-attribute--say-voise.xml", oosc.Voice, true},
		{"invalid/voice/out-of-range--dial-timeout.xml", oosc.Voice, true},
		{"invalid/voice/invalid-value--reject-reason.xml", oosc.Voice, true},
		{"invalid/voice/malformed-xml--end-tag-case.xml", oosc.Voice, false},
		{"invalid/voice/root-not-response--lowercase.xml", oosc.Voice, false},
		{"invalid/sms/wrong-channel--say.xml", oosc.SMS, false},
		{"invalid/sms/too-large--huge-body.xml", oosc.SMS, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc, err := os.ReadFile(filepath.Join(corpusDir, tt.file))
			require.NoError(t, err)
			r := lenient.Validate(doc, tt.ch)
			assert.Equal(t, tt.valid, r.Valid(), "problems: %v", r.Problems)
			assert.NotEmpty(t, r.Problems, "the problem is still reported")
		})
	}
}
