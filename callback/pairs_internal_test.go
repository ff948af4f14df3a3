package callback

import (
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// FuzzParsePairs: the ordered parse agrees with url.ParseQuery on every
// body (error or not, and the same values in the same order), and signs
// the same bytes as the url.Values path and as the plain reading of the
// algorithm (signedNaive), which shares none of the sorting code.
func FuzzParsePairs(f *testing.F) {
	for _, s := range []string{
		"CallSid=CA1&From=%2B14155550100&To=%2B14155550199",
		"Digits=5678&Digits=1234&Digits=1234&b=&=x&&c",
		"a=1;b=2", "a=%zz", "a+b=c+d&%41=%42", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		want, werr := url.ParseQuery(body)
		ps, err := parsePairs(body, nil)
		if (err == nil) != (werr == nil) {
			t.Fatalf("%q: parsePairs error %v, ParseQuery error %v", body, err, werr)
		}
		if err != nil {
			return
		}
		if got := formOf(ps); !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("%q: form %v, want %v", body, got, want)
		}
		got, _ := appendPairs(nil, ps, nil)
		if naive := signedNaive(want); string(got) != naive {
			t.Fatalf("%q: signed %q, want %q", body, got, naive)
		}
		if viaMap := appendParams(nil, want); string(viaMap) != string(got) {
			t.Fatalf("%q: the url.Values path signs %q, the ordered path %q", body, viaMap, got)
		}
	})
}

// signedNaive is the signed string as signature.md words it: names in byte
// order; each name's values sorted and de-duplicated; name+value for each.
func signedNaive(form url.Values) string {
	names := make([]string, 0, len(form))
	for name := range form {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		vs := append([]string(nil), form[name]...)
		sort.Strings(vs)
		for i, v := range vs {
			if i == 0 || v != vs[i-1] {
				b.WriteString(name + v)
			}
		}
	}
	return b.String()
}

// Names that share long prefixes, differ only past 6 or 8 bytes, end in
// NUL bytes or repeat are signed in the exact byte order.
func TestSortPairsPrefixes(t *testing.T) {
	form := url.Values{}
	for _, name := range []string{
		"Called", "CalledCity", "CalledCountry", "CalledState", "CalledZip", "Caller", "CallerCity",
		"ab", "ab\x00", "ab\x00\x00", "abcdefgh", "abcdefgh\x00", "abcdefg", "abcdef", "abcdefi", "\xff\xff",
		"", "a", "Z",
	} {
		form.Add(name, "2")
		form.Add(name, "1")
		form.Add(name, "2")
	}
	got, _ := appendPairs(nil, formPairs(nil, form), nil)
	if naive := signedNaive(form); string(got) != naive {
		t.Fatalf("signed %q, want %q", got, naive)
	}
}
