// Package redact masks phone numbers in text written to logs.
package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Digits replaces every digit of s but the last two with '*': +14155550123
// becomes +*********23. Digits of every script count (full-width ０-９ too).
func Digits(s string) string {
	total := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			total++
		}
	}
	if total <= 2 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	seen := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			seen++
			if seen <= total-2 {
				b.WriteByte('*')
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// minDigits is the fewest digits a run must have to be taken for a phone
// number when it does not start with a plus sign: fewer than the shortest
// national numbers, more than Twilio's five-digit error codes and than
// the sizes and counts validation messages quote.
const minDigits = 6

// Text masks every phone number in free text, such as an error message
// that quotes a participant identifier or a channel address
// (whatsapp:+14155550188): each run of digits, possibly broken by spaces,
// dots, dashes or parentheses, that starts with a plus sign or has at
// least six digits keeps only its last two digits. Twilio SIDs (two
// capital letters and 32 hex digits) are left alone, as are five-digit
// codes such as 80905 and dotted IPv4 addresses. Digits of every script
// count.
func Text(s string) string {
	if !hasDigitRun(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for i < len(s) {
		if n := sidLength(s, i); n > 0 {
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		plus := r == '+' || r == '＋'
		if !plus && !unicode.IsDigit(r) && !(r == '(' && digitAt(s, i+size)) {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		end, digits := numberRun(s, i+size*boolInt(plus))
		if digits == 0 || (!plus && (digits < minDigits || isIPv4(s[i:end]))) {
			b.WriteString(s[i:end])
			i = end
			continue
		}
		b.WriteString(Digits(s[i:end]))
		i = end
	}
	return b.String()
}

// isIPv4 reports whether s is a dotted IPv4 address (four groups of one to
// three digits), which is a host, not a phone number.
func isIPv4(s string) bool {
	groups := strings.Split(s, ".")
	if len(groups) != 4 {
		return false
	}
	for _, g := range groups {
		if len(g) < 1 || len(g) > 3 {
			return false
		}
		for _, c := range []byte(g) {
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return true
}

func boolInt(v bool) int {
	if v {
		return 1
	}
	return 0
}

// hasDigitRun reports whether s has any digit at all, the fast path.
func hasDigitRun(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

func digitAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i < len(s) && unicode.IsDigit(r)
}

// numberRun returns the end of the run of digits and separators that
// starts at i, and how many digits it has, as a phone number is written:
// digits, broken by single spaces, dots or dashes, and an area code in
// parentheses. A separator counts only when a digit follows it.
func numberRun(s string, i int) (end, digits int) {
	end = i
	open, gap := false, 0 // inside (...); separators since the last digit
	for j := i; j < len(s); {
		r, size := utf8.DecodeRuneInString(s[j:])
		switch {
		case unicode.IsDigit(r):
			digits++
			j += size
			end, gap = j, 0
			continue
		case r == '(' && !open:
			open = true
		case r == ')' && open && gap == 0:
			open = false
		case (r == ' ' || r == '-' || r == '.') && gap < 2:
		default:
			return end, digits
		}
		gap++
		j += size
		if gap > 2 {
			return end, digits
		}
	}
	return end, digits
}

// sidLength returns 34 when a Twilio SID (two capital letters, 32 hex
// digits, not inside a longer word) starts at i, else 0.
func sidLength(s string, i int) int {
	const n = 34
	if i+n > len(s) || (i > 0 && isWordByte(s[i-1])) || (i+n < len(s) && isWordByte(s[i+n])) {
		return 0
	}
	if s[i] < 'A' || s[i] > 'Z' || s[i+1] < 'A' || s[i+1] > 'Z' {
		return 0
	}
	for _, c := range []byte(s[i+2 : i+n]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return 0
		}
	}
	return n
}

func isWordByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}
