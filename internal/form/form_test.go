package form

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	tests := []struct {
		body string
		want []Field
	}{
		{"", []Field{}},
		{"a=1", []Field{{"a", "1"}}},
		{"To=%2B1&From=a&From=b&&Body=hi+there&From=", []Field{{"To", "+1"}, {"From", "a"}, {"From", "b"}, {"Body", "hi there"}, {"From", ""}}},
		{"b&=c&%41=%42%43d", []Field{{"b", ""}, {"", "c"}, {"A", "BCd"}}},
		{"a=%e2%82%ac%2b+%25", []Field{{"a", "€+ %"}}},
		{"&&&", []Field{}},
	}
	for _, tt := range tests {
		got, err := Parse(nil, []byte(tt.body))
		require.NoError(t, err, tt.body)
		assert.Equal(t, tt.want, got, tt.body)
	}
}

func TestParseAppends(t *testing.T) {
	got, err := Parse([]Field{{"x", "y"}}, []byte("a=1"))
	require.NoError(t, err)
	assert.Equal(t, []Field{{"x", "y"}, {"a", "1"}}, got)
}

func TestParseRefusesWhatParseQueryRefuses(t *testing.T) {
	for _, body := range []string{"a=1;b=2", "a=%zz", "a%=1", "a=%4", "a=%", strings.Repeat("&", MaxFields)} {
		_, err := Parse(nil, []byte(body))
		assert.ErrorIs(t, err, ErrMalformed, "%.40q", body)
		_, qerr := url.ParseQuery(body)
		assert.Error(t, qerr, "%.40q", body)
	}
	_, err := Parse(nil, []byte(strings.Repeat("&", MaxFields-1)))
	assert.NoError(t, err, "MaxFields fields, all empty")
}

// The names and values share the one string Parse makes.
func TestParseAllocatesOnce(t *testing.T) {
	body := []byte("From=%2B14155550100&To=%2B14155550199&Body=Hi+there&MessageSid=SM1")
	dst := make([]Field, 0, 8)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := Parse(dst[:0], body); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, 1.0, allocs)
}

// FuzzParse: Parse accepts exactly what url.ParseQuery accepts, with the
// same values in the same order.
func FuzzParse(f *testing.F) {
	f.Add("From=%2B14155550100&To=%2B14155550199&Body=Hi+there&MessageSid=SM1")
	f.Add("a=1&a=0&a=1&b&=c&%41=%42")
	f.Add("a=1;b=2&c=%zz")
	f.Fuzz(func(t *testing.T, body string) {
		fields, err := Parse(nil, []byte(body))
		want, qerr := url.ParseQuery(body)
		if (err != nil) != (qerr != nil) {
			t.Fatalf("Parse error %v, url.ParseQuery error %v", err, qerr)
		}
		if err != nil {
			return
		}
		got := url.Values{}
		for _, f := range fields {
			got[f.Name] = append(got[f.Name], f.Value)
		}
		assert.Equal(t, want, got)
	})
}

// BenchmarkParse: a text's body and a call's, as Proxy sends them.
func BenchmarkParse(b *testing.B) {
	sms := url.Values{"AccountSid": {"AC0123456789abcdef0123456789abcdef"}, "ApiVersion": {"2010-04-01"},
		"MessageSid": {"SM0123456789abcdef0123456789abcdef"}, "SmsSid": {"SM0123456789abcdef0123456789abcdef"},
		"SmsMessageSid": {"SM0123456789abcdef0123456789abcdef"}, "SmsStatus": {"received"},
		"From": {"+14155550100"}, "To": {"+14155550199"}, "Body": {"Hi, I left my bag in the car"},
		"NumMedia": {"0"}, "NumSegments": {"1"}, "FromCountry": {"US"}, "ToCountry": {"US"}}
	call := url.Values{}
	for i := range 55 {
		switch i % 3 {
		case 0:
			call.Set(fmt.Sprintf("participant%dIdentifier", i), fmt.Sprintf("+1415555%04d", i))
		case 1:
			call.Set(fmt.Sprintf("session%dSid", i), fmt.Sprintf("KC0123456789abcdef0123456789ab%04d", i))
		default:
			call.Set(fmt.Sprintf("session%dDateUpdated", i), "2026-11-27T07:00:00Z")
		}
	}
	for _, c := range []struct {
		name string
		form url.Values
	}{{"sms", sms}, {"call", call}} {
		body := []byte(c.form.Encode())
		dst := make([]Field, 0, 64)
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(dst[:0], body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
