package emulator

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// scanKeys, the fast path, answers as the token pass does: the same keys
// for a document both accept, and a refusal for every document the token
// pass refuses.
func TestScanKeysAgreesWithTheTokenPass(t *testing.T) {
	many := func(dup string) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range 40 {
			b.WriteString(`"k` + strconv.Itoa(i) + `":1,`)
		}
		b.WriteString(`"` + dup + `":2}`)
		return b.String()
	}
	for _, doc := range []string{
		`{"channel":"sms","from":"+1","to":"+2"}`,
		`{}`, `[]`, `"a"`, `1`, `null`, ` {"a" : {"b": [1, {"c": 2}]}} `,
		`{"Identifier":"+1","identifier":"+2"}`,
		`{"a":1,"a":2}`,
		`{"a":{"b":1,"B":2}}`,
		`{"a":[{"x":1},{"x":2}]}`,
		`{"\u0041":1,"a":2}`,
		`{"k\u212a":1,"kk":2}`,
		`{"a\"b":1,"A\"B":2}`,
		`{"s":"a:b","t":"\":"}`,
		`{"a":1}{}`, `{"a":1} x`, `{"a":`, `{"a" 1}`, "{\"a\":\"\xff\"}",
		`{"a":{"b":{"c":{"d":{}}}}}`, `[[[[[]]]]]`,
		many("k7"), many("K39"), many("other"),
	} {
		for _, depth := range []int{2, 4, 8} {
			fast, ok := scanKeys([]byte(doc), depth)
			slow, err := checkJSONTokens([]byte(doc), depth)
			assert.Equal(t, err == nil, ok, "%s at depth %d: %v", doc, depth, err)
			if ok && err == nil {
				assert.Equal(t, slow, fast, "%s", doc)
			}
		}
	}
}

func FuzzScanKeys(f *testing.F) {
	for _, seed := range []string{`{"a":1,"A":2}`, `{"a":[{"b":1}],"c":{"d":"e"}}`, `{"\u212a":1,"k":2}`, `[1,{"x":"y"}]`, `{"a":"b\"c:"}`} {
		f.Add(seed, uint8(4))
	}
	f.Fuzz(func(t *testing.T, doc string, depth uint8) {
		d := int(depth%10) + 1
		fast, ok := scanKeys([]byte(doc), d)
		slow, err := checkJSONTokens([]byte(doc), d)
		if ok && err != nil {
			t.Fatalf("%q: the fast path accepts what the token pass refuses: %v", doc, err)
		}
		if ok {
			assert.Equal(t, slow, fast)
		}
	})
}
