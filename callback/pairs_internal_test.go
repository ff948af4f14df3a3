package callback

import (
	"net/url"
	"reflect"
	"testing"
)

// FuzzParsePairs: the ordered parse agrees with url.ParseQuery on every
// body (error or not, and the same values in the same order), and signs
// the same bytes as the url.Values path.
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
		if got, want := string(appendPairs(nil, ps)), string(appendParams(nil, want)); got != want {
			t.Fatalf("%q: signed %q, want %q", body, got, want)
		}
	})
}
