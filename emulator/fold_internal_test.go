package emulator

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Two keys fold alike exactly when strings.EqualFold holds, whatever
// their script.
func TestFoldKeyIsEqualFold(t *testing.T) {
	keys := []string{"identifier", "Identifier", "IDENTIFIER", "k", "K", "\u212a", "s", "S", "\u017f", "straße", "STRASSE", "Straße",
		"ǅ", "ǆ", "Ǆ", "σ", "ς", "Σ", "İ", "i", "ı", "Ω", "ω", "\u2126", "key\u212a", "keyk", "", "a b", "A B"}
	for _, a := range keys {
		for _, b := range keys {
			assert.Equal(t, strings.EqualFold(a, b), foldKey(a) == foldKey(b), "%q %q", a, b)
		}
	}
}
