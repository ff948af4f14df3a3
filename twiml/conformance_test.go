package twiml_test

import (
	"fmt"
	"slices"
	"strings"
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

// unicodeSpaces are characters Unicode (and Go's unicode.IsSpace, which
// bytes.TrimSpace follows) calls white space but XML does not: its S
// production is space, tab, CR and LF only.
var unicodeSpaces = []struct{ name, s string }{
	{"no-break space U+00A0", "\u00a0"},
	{"line separator U+2028", "\u2028"},
	{"paragraph separator U+2029", "\u2029"},
	{"next line U+0085", "\u0085"},
	{"ideographic space U+3000", "\u3000"},
	{"ogham space mark U+1680", "\u1680"},
	{"em space U+2003", "\u2003"},
	{"narrow no-break space U+202F", "\u202f"},
	{"vertical tab", "\v"},
	{"form feed", "\f"},
}

// Hardening round 3, break 8: only XML's white space (space, tab, CR,
// LF) may come before or after the root element; any other space is text
// there, and the document is 12100, as a conforming parser refuses it.
// Inside an element such a space is text like any other.
func TestXMLWhiteSpace(t *testing.T) {
	const decl = `<?xml version="1.0" encoding="UTF-8"?>`
	places := []struct{ name, before, after string }{
		{"before the root", "", ""},
		{"after the declaration", decl, ""},
		{"after a comment", "<!-- c -->", ""},
		{"after the root", "", "after"},
		{"after the root and a comment", "", "<!-- c -->after"},
	}
	for _, sp := range unicodeSpaces {
		for _, pl := range places {
			doc := pl.before + sp.s + "<Response/>"
			if pl.after != "" {
				doc = pl.before + "<Response/>" + strings.Replace(pl.after, "after", sp.s, 1)
			}
			t.Run("refused/"+sp.name+"/"+pl.name, func(t *testing.T) {
				for _, ch := range oosc.Channels() {
					rep := twiml.Validate([]byte(doc), ch)
					assert.False(t, rep.Valid(), "%q", doc)
					assert.Equal(t, []oosc.Code{oosc.CodeDocumentParseFailure}, rep.Codes(), "%q: %v", doc, rep.Problems)
				}
			})
		}
	}
	for _, sp := range []string{" ", "\t", "\r", "\n", " \t\r\n"} {
		for _, doc := range []string{sp + "<Response/>", decl + sp + "<Response/>" + sp, "<!-- c -->" + sp + "<Response/>" + sp + "<!-- c -->" + sp} {
			t.Run(fmt.Sprintf("accepted/%q", doc), func(t *testing.T) {
				for _, ch := range oosc.Channels() {
					rep := twiml.Validate([]byte(doc), ch)
					assert.True(t, rep.Valid(), "%q: %v", doc, rep.Problems)
				}
			})
		}
	}
}

// Inside an element, only XML's white space is trimmed from text: a <Say>
// of a no-break space has text, one of XML white space has none (13520),
// and a URL or a number with a Unicode space around it is not one.
func TestTextTrimsXMLWhiteSpaceOnly(t *testing.T) {
	assert.True(t, twiml.Validate([]byte("<Response><Say>\u00a0</Say></Response>"), oosc.Voice).Valid())
	rep := twiml.Validate([]byte("<Response><Say> \t\r\n</Say></Response>"), oosc.Voice)
	assert.Equal(t, []oosc.Code{oosc.CodeSayInvalidText}, rep.Codes(), "%v", rep.Problems)
	for _, doc := range []string{
		"<Response><Play>\u00a0https://example.com/a.mp3</Play></Response>",
		"<Response><Play>https://example.com/a.mp3\u2028</Play></Response>",
		"<Response><Play>https://example.com/a\u3000b.mp3</Play></Response>",
		"<Response><Redirect method=\"POST\">\u1680https://example.com/next</Redirect></Response>",
		"<Response><Dial><Number>\u00a0+14155550100</Number></Dial></Response>",
	} {
		rep := twiml.Validate([]byte(doc), oosc.Voice)
		assert.True(t, rep.Has(twiml.RuleInvalidValue), "%q: %v", doc, rep.Problems)
	}
}
