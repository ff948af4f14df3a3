package redact

import (
	"regexp"
	"testing"
)

func TestDigits(t *testing.T) {
	for in, want := range map[string]string{
		"+14155550123":          "+*********23",
		"whatsapp:+14155550188": "whatsapp:+*********88",
		"＋１４１５５５５０１０１":          "＋*********０１",
		"12":                    "12",
		"":                      "",
		"client:alice":          "client:alice",
	} {
		if got := Digits(in); got != want {
			t.Errorf("Digits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"participantIdentifier +14155550101 is the sender", "participantIdentifier +*********01 is the sender"},
		{`identifier "whatsapp:+14155550188" needs message-only`, `identifier "whatsapp:+*********88" needs message-only`},
		{"messenger:1234567890123 is not allowed", "messenger:***********23 is not allowed"},
		{"full width ＋１４１５５５５０１０１ here", "full width ＋*********０１ here"},
		{"full width without plus １４１５５５５０１０１", "full width without plus *********０１"},
		{"call +1 (415) 555-0101 now", "call +* (***) ***-**01 now"},
		{"415.555.0101", "***.***.**01"},
		{"no match for http://127.0.0.1:18080/out-of-session", "no match for http://127.0.0.1:18080/out-of-session"},
		{"from 192.168.100.200", "from 192.168.100.200"},
		{"(415) 555-0101", "(***) ***-**01"},
		{"address (messenger:123456) (80404)", "address (messenger:****56) (80404)"},
		{"number (+14155550123) or", "number (+*********23) or"},
		{"+44 20 7946 0958.", "+** ** **** **58."},
		{"answer would cause 80905 (Unknown Scenario)", "answer would cause 80905 (Unknown Scenario)"},
		{"larger than 64000 bytes at line 12", "larger than 64000 bytes at line 12"},
		{"session KC0123456789abcdef0123456789abcdef closed", "session KC0123456789abcdef0123456789abcdef closed"},
		{"ttl 3600 and 1h0m0s", "ttl 3600 and 1h0m0s"},
		{"no digits at all", "no digits at all"},
		{"a plus + alone, +x", "a plus + alone, +x"},
		{"trailing separator 4155550101-", "trailing separator ********01-"},
		// Hardening round 2: separators the first pass missed, and
		// numbers that are not phone numbers.
		{"415/555/0100", "***/***/**00"},
		{"415_555_0100", "***_***_**00"},
		{"415,555,0100", "***,***,**00"},
		{"+1\t415\t555\t0100", "+*\t***\t***\t**00"},
		{"+1\u00a0415\u00a0555\u00a00100", "+*\u00a0***\u00a0***\u00a0**00"},
		{"415\u2014555\u20140100", "***\u2014***\u2014**00"},
		{"From=%2B1%20415%20555%200100&To=x", "From=%2B*%20***%20***%20**00&To=x"},
		{"From=%2B14155550100", "From=%2B*********00"},
		{"From=%2b1+415+555+0100", "From=%2b*+***+***+**00"},
		{"at most 64000 (11750)", "at most 64000 (11750)"},
		{"64000 11750", "64000 11750"},
		{"dateExpiry 2026-01-05T10:00:00Z is past", "dateExpiry 2026-01-05T10:00:00Z is past"},
		{"on 2026-11-30 10:00:00 and 30/11/2026", "on 2026-11-30 10:00:00 and 30/11/2026"},
		{"1,000,000 requests", "1,000,000 requests"},
		{"555-0101", "***-**01"},
		{"codes 80103, 80905", "codes 80103, 80905"},
		{"0%200000", "*%20**00"}, // the encoded space's digits make six in a row
		{"1%20000", "1%20000"},
	} {
		if got := Text(c.in); got != c.want {
			t.Errorf("Text(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add("participantIdentifier +14155550101 is the sender")
	f.Add("＋１４１５５５５０１０１ KC0123456789abcdef0123456789abcdef")
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if len([]rune(out)) != len([]rune(s)) && isValidUTF8(s) {
			t.Fatalf("Text changed the length: %q -> %q", s, out)
		}
		// No phone number survives: outside a SID, no six digits in a row.
		if m := longDigits.FindString(sids.ReplaceAllString(out, " ")); m != "" && isValidUTF8(s) {
			t.Fatalf("Text(%q) = %q leaves %q", s, out, m)
		}
	})
}

var (
	longDigits = regexp.MustCompile(`\p{Nd}{6,}`)
	sids       = regexp.MustCompile(`\b[A-Z]{2}[0-9a-f]{32}\b`) // as Text finds them: not inside a word
)

func isValidUTF8(s string) bool {
	for _, r := range s {
		if r == '\uFFFD' {
			return false
		}
	}
	return true
}
