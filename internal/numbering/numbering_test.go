package numbering

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNumbering(t *testing.T) {
	for _, tt := range []struct {
		number, code, country, region string
	}{
		{"+14155550100", "1", "US", "CA"},
		{"+12125550100", "1", "US", "NY"},
		{"+12025550100", "1", "US", "DC"},
		{"+14165550100", "1", "CA", "ON"},
		{"+15145550100", "1", "CA", "QC"},
		{"+19025550100", "1", "CA", ""}, // Nova Scotia and Prince Edward Island
		{"+18765550100", "1", "JM", ""},
		{"+17875550100", "1", "PR", ""},
		{"+18005550100", "1", "", ""}, // toll-free: no country
		{"+15555550100", "1", "", ""}, // not geographic
		{"+447700900123", "44", "JE", ""},
		{"+442079460000", "44", "GB", ""},
		{"+33612345678", "33", "FR", ""},
		{"+353861234567", "353", "IE", ""},
		{"+79161234567", "7", "RU", ""},
		{"+77011234567", "7", "KZ", ""},
		{"+5999461234", "599", "CW", ""},
		{"+5993181234", "599", "BQ", ""},
		{"+590690001234", "590", "", ""}, // shared, no prefix tells
		{"+80012345678", "800", "", ""},  // international freephone
		{"+1", "1", "", ""},
		{"+", "", "", ""},
		{"", "", "", ""},
		{"14155550100", "", "", ""},
		{"+1415555010a", "", "", ""},
		{"messenger:123", "", "", ""},
	} {
		t.Run(tt.number, func(t *testing.T) {
			assert.Equal(t, tt.code, CallingCode(tt.number))
			assert.Equal(t, tt.country, Country(tt.number))
			assert.Equal(t, tt.region, Region(tt.number))
		})
	}
}

// Every table entry is well-formed: codes of digits, countries and
// regions of two capital letters, no area code listed twice.
func TestTables(t *testing.T) {
	upper2 := func(s string) bool { return len(s) == 2 && strings.ToUpper(s) == s && s[0] >= 'A' && s[1] >= 'A' }
	for cc, iso := range countries {
		assert.NotEmpty(t, digits("+"+cc), cc)
		assert.True(t, upper2(iso), "%s=%s", cc, iso)
		assert.Equal(t, cc, CallingCode("+"+cc+"0000000"), "the calling code %s is read back", cc)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(areaCodes), "\n") {
		_, codes, _ := strings.Cut(line, ":")
		seen += len(strings.Fields(codes))
	}
	assert.Equal(t, seen, len(nanp), "an area code is listed twice")
	for code, a := range nanp {
		assert.Len(t, code, 3)
		assert.NotEmpty(t, digits("+"+code), code)
		assert.True(t, upper2(a.country), code)
		assert.True(t, a.region == "" || upper2(a.region), code)
	}
	for cc, ps := range shared {
		for _, p := range ps {
			assert.NotEmpty(t, digits("+"+cc+p.prefix), "%s/%s", cc, p.prefix)
			assert.True(t, upper2(p.country), "%s/%s", cc, p.prefix)
		}
	}
}

// Any input gives an answer, never a panic; a country or region is two
// capital letters or "".
func FuzzNumbering(f *testing.F) {
	for _, s := range []string{"+14155550100", "+447700900123", "+7", "+", "", "+5999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cc := CallingCode(s)
		if cc != "" && !strings.HasPrefix(s, "+"+cc) {
			t.Fatalf("CallingCode(%q) = %q, not a prefix", s, cc)
		}
		for _, v := range []string{Country(s), Region(s)} {
			if v != "" && (len(v) != 2 || strings.ToUpper(v) != v) {
				t.Fatalf("%q gave %q", s, v)
			}
		}
	})
}
