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

// Text masks every phone number in free text, such as an error message
// that quotes a participant identifier, a channel address
// (whatsapp:+14155550188) or a form body: each number keeps only its last
// two digits. A number is a run of digit groups, each pair of groups
// joined by one separator (space, tab, no-break space, - . / _ , + en or em
// dash, or their percent-encodings such as %20), an area code in
// parentheses allowed; it is masked when it starts with a plus sign
// (+, ＋ or %2B) and has six digits or more, when it is one group of six
// digits or more, or when its groups look like a phone number's (three or
// more groups of at most five digits, or 3-4 digits then 4). Left alone:
// Twilio SIDs (two capital letters and 32 hex digits), codes such as
// 80905, sizes and counts, dates (2026-11-30, 30/11/2026), thousands
// (1,000,000) and IPv4 addresses. Digits of every script count.
func Text(s string) string {
	if !hasDigit(s) {
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
		n := scan(s, i)
		if n.end == i {
			_, size := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		if n.phone(s) {
			n.mask(&b, s)
		} else {
			b.WriteString(s[i:n.end])
		}
		i = n.end
	}
	return b.String()
}

// group is a run of digits in s: s[start:end], with count digits.
type group struct {
	start, end, count int
	paren             bool // written in parentheses, an area code
}

// number is a candidate phone number found by scan.
type number struct {
	start  int // where it starts in s: its plus sign, "(" or first digit
	end    int // where it ends in s; its start when there is none
	plus   bool
	groups []group
	seps   []string // the separator before each group after the first
}

// scan reads the number that starts at i, if one does: an optional plus
// sign, then digit groups joined by single separators.
func scan(s string, i int) number {
	n := number{start: i, end: i}
	j := i
	if w := plusAt(s, j); w > 0 {
		n.plus = true
		j += w
	}
	sep := ""
	for {
		g, ok := groupAt(s, j)
		if !ok {
			break
		}
		n.groups = append(n.groups, g)
		if len(n.groups) > 1 {
			n.seps = append(n.seps, sep)
		}
		n.end = g.end
		if g.paren && g.end < len(s) && s[g.end] == ' ' {
			j = g.end + 1 // "(415) 555": the space after an area code
			if _, ok := groupAt(s, j); ok {
				sep = " "
				continue
			}
			break
		}
		w := sepAt(s, g.end)
		if w == 0 {
			break
		}
		sep = s[g.end : g.end+w]
		j = g.end + w
		if _, ok := groupAt(s, j); !ok {
			break
		}
		if len(n.groups) == 3 && !n.plus && n.date() {
			break // a date ends here; what follows is a time, not the same number
		}
	}
	if len(n.groups) == 0 {
		n.end = i
	}
	return n
}

// groupAt reads a digit group at i: digits, or one to four digits in
// parentheses.
func groupAt(s string, i int) (group, bool) {
	g := group{start: i}
	if w := parenAt(s, i, "(", "%28"); w > 0 {
		d := digitsAt(s, i+w)
		if d.count == 0 || d.count > 4 {
			return g, false
		}
		if c := parenAt(s, d.end, ")", "%29"); c > 0 {
			return group{start: d.start, end: d.end + c, count: d.count, paren: true}, true
		}
		return g, false
	}
	d := digitsAt(s, i)
	return d, d.count > 0
}

func digitsAt(s string, i int) group {
	g := group{start: i, end: i}
	for g.end < len(s) {
		r, size := utf8.DecodeRuneInString(s[g.end:])
		if !unicode.IsDigit(r) {
			break
		}
		g.end += size
		g.count++
	}
	return g
}

func parenAt(s string, i int, plain, encoded string) int {
	switch {
	case strings.HasPrefix(s[i:], plain):
		return len(plain)
	case len(s)-i >= len(encoded) && strings.EqualFold(s[i:i+len(encoded)], encoded):
		return len(encoded)
	}
	return 0
}

// plusAt returns the width of a plus sign at i: +, ＋ or %2B; 0 if none.
func plusAt(s string, i int) int {
	switch {
	case strings.HasPrefix(s[i:], "+"):
		return 1
	case strings.HasPrefix(s[i:], "＋"):
		return len("＋")
	case len(s)-i >= 3 && strings.EqualFold(s[i:i+3], "%2B"):
		return 3
	}
	return 0
}

// separators join the digit groups of a number, with their
// percent-encodings; '+' is a space in a form body.
var separators = []string{
	" ", "\t", "-", ".", "/", "_", ",", "+", "\u00a0", "\u2013", "\u2014", "\u2011",
	"%20", "%09", "%2D", "%2E", "%2F", "%5F", "%2C", "%C2%A0", "%E2%80%93", "%E2%80%94",
}

// sepAt returns the width of a separator at i; 0 if none.
func sepAt(s string, i int) int {
	for _, sep := range separators {
		if len(s)-i >= len(sep) && strings.EqualFold(s[i:i+len(sep)], sep) {
			return len(sep)
		}
	}
	return 0
}

func (n number) digits() int {
	total := 0
	for _, g := range n.groups {
		total += g.count
	}
	return total
}

// phone reports whether the number is to be masked.
func (n number) phone(s string) bool {
	if longestRun(s[n.start:n.end]) >= 6 {
		return true // never leave six digits in a row, an encoded separator's (%20) included
	}
	total := n.digits()
	switch {
	case total < 6:
		return false
	case n.plus:
		return true
	case len(n.groups) == 1:
		return true
	}
	if n.date() || n.thousands() || n.ipv4() {
		return false
	}
	if len(n.groups) >= 3 {
		for _, g := range n.groups {
			if g.count > 5 {
				return false
			}
		}
		return total >= 7 && total <= 15
	}
	first, last := n.groups[0].count, n.groups[1].count
	return first >= 3 && first <= 4 && last == 4
}

// date reports whether the first three groups are a date: 2026-11-30 or
// 30/11/2026 (a four-digit year and two groups of one or two digits).
func (n number) date() bool {
	if len(n.groups) < 3 {
		return false
	}
	a, b, c := n.groups[0].count, n.groups[1].count, n.groups[2].count
	return a == 4 && b <= 2 && c <= 2 || a <= 2 && b <= 2 && c == 4
}

// thousands reports whether the number is written with thousands
// separators: 1,000,000 or 1.000.000.
func (n number) thousands() bool {
	if n.groups[0].count > 3 {
		return false
	}
	for i, g := range n.groups[1:] {
		if g.count != 3 || (n.seps[i] != "," && n.seps[i] != ".") || n.seps[i] != n.seps[0] {
			return false
		}
	}
	return true
}

// ipv4 reports whether the number is a dotted IPv4 address.
func (n number) ipv4() bool {
	if len(n.groups) != 4 {
		return false
	}
	for i, g := range n.groups {
		if g.count > 3 || (i > 0 && n.seps[i-1] != ".") {
			return false
		}
	}
	return true
}

// mask writes the number with every digit but the last two replaced by
// '*'; separators, parentheses and the plus sign stay.
func (n number) mask(b *strings.Builder, s string) {
	keep := n.digits() - 2
	pos := n.start
	seen := 0
	for _, g := range n.groups {
		b.WriteString(s[pos:g.start]) // the plus sign, a separator or "("
		j := g.start
		for j < g.end {
			r, size := utf8.DecodeRuneInString(s[j:])
			if unicode.IsDigit(r) {
				seen++
				if seen <= keep {
					b.WriteByte('*')
					j += size
					continue
				}
			}
			b.WriteString(s[j : j+size])
			j += size
		}
		pos = g.end
	}
}

// longestRun returns the length of the longest run of digits in s.
func longestRun(s string) int {
	longest, run := 0, 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return longest
}

// hasDigit reports whether s has any digit at all, the fast path.
func hasDigit(s string) bool {
	for _, r := range s {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
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
