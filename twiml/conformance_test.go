package twiml_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/twiml"
)

// Hardening round 2, break 4: what a conforming XML 1.0 parser refuses is
// refused (12100), and what it accepts is accepted.
func TestXMLConformance(t *testing.T) {
	refused := []struct{ name, doc string }{
		{"reference to a high surrogate", `<Response><Say>&#xD800;</Say></Response>`},
		{"surrogate pair as two references", `<Response><Say>&#55357;&#56832;</Say></Response>`},
		{"reference to a low surrogate", `<Response><Say>&#xDFFF;</Say></Response>`},
		{"reference to NUL", `<Response><Say>&#0;</Say></Response>`},
		{"surrogate reference in an attribute", `<Response><Say voice="&#xD83D;">hi</Say></Response>`},
		{"encoding before version", `<?xml encoding="UTF-8" version="1.0"?><Response/>`},
		{"standalone before encoding", `<?xml version="1.0" standalone="yes" encoding="UTF-8"?><Response/>`},
		{"unknown pseudo-attribute", `<?xml version="1.0" charset="UTF-8"?><Response/>`},
		{"duplicate pseudo-attribute", `<?xml version="1.0" version="1.0"?><Response/>`},
		{"no space between pseudo-attributes", `<?xml version="1.0"encoding="UTF-8"?><Response/>`},
		{"standalone maybe", `<?xml version="1.0" standalone="maybe"?><Response/>`},
		{"no version", `<?xml encoding="UTF-8"?><Response/>`},
		{"second declaration in capitals", `<?xml version="1.0"?><?XML version="1.0"?><Response/>`},
		{"declaration in capitals", `<?XML version="1.0"?><Response/>`},
		{"declaration after the root", `<Response/><?xml version="1.0"?>`},
		{"white space before the declaration", " <?xml version=\"1.0\"?><Response/>"},
		{"byte order mark then white space then declaration", "\xef\xbb\xbf <?xml version=\"1.0\"?><Response/>"},
	}
	for _, tt := range refused {
		t.Run("refused/"+tt.name, func(t *testing.T) {
			rep := twiml.Validate([]byte(tt.doc), oosc.Voice)
			assert.False(t, rep.Valid(), "%s", tt.doc)
			assert.True(t, slices.Contains(rep.Codes(), oosc.CodeDocumentParseFailure), "%v", rep.Problems)
		})
	}
	accepted := []struct {
		name, doc string
		warns     oosc.Rule
	}{
		{"byte order mark then declaration", "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>", twiml.RuleByteOrderMark},
		{"every pseudo-attribute in order", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Response/>`, ""},
		{"single quotes and spaces around =", `<?xml version = '1.0' encoding='utf-8' ?><Response/>`, ""},
		{"standalone no", `<?xml version="1.0" standalone="no"?><Response/>`, ""},
		{"astral character as one reference", `<Response><Say>&#x1F600;</Say></Response>`, ""},
		{"the largest character", `<Response><Say>&#x10FFFF;</Say></Response>`, ""},
	}
	for _, tt := range accepted {
		t.Run("accepted/"+tt.name, func(t *testing.T) {
			rep := twiml.Validate([]byte(tt.doc), oosc.Voice)
			assert.True(t, rep.Valid(), "%s: %v", tt.doc, rep.Problems)
			if tt.warns != "" {
				assert.True(t, rep.Has(tt.warns), "%v", rep.Problems)
			}
		})
	}
}
