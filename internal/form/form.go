// Package form parses a form body (application/x-www-form-urlencoded) into
// its fields in body order: what the signature covers (package webhook)
// and what the typed request reads (package callback), parsed by one
// function. It accepts exactly what url.ParseQuery accepts.
package form

import (
	"bytes"
	"errors"
	"slices"
	"strings"
)

// MaxFields is the most fields a body may have: url.ParseQuery's default
// limit.
const MaxFields = 10000

// ErrMalformed is the error of a body url.ParseQuery would refuse.
var ErrMalformed = errors.New("form: malformed body")

// Field is one name=value of a form body, unescaped.
type Field struct{ Name, Value string }

// Parse appends the fields of body to dst, in body order, and fails
// whenever url.ParseQuery would: a semicolon in a field, a malformed
// escape, more than MaxFields fields. The names and values of all fields
// share one string, made with one allocation: body is copied once, with
// its escapes undone. dst grows at most once.
func Parse(dst []Field, body []byte) ([]Field, error) {
	n := bytes.Count(body, amp) + 1
	if n > MaxFields {
		return dst, ErrMalformed
	}
	// First pass: check each field and write it, unescaped, into text.
	var text strings.Builder
	text.Grow(len(body))
	for rest := body; len(rest) > 0; {
		var kv []byte
		kv, rest, _ = bytes.Cut(rest, amp)
		if len(kv) == 0 {
			continue
		}
		if bytes.IndexByte(kv, ';') >= 0 {
			return dst, ErrMalformed
		}
		name, value, _ := bytes.Cut(kv, eq)
		if !unescape(&text, name) || !unescape(&text, value) {
			return dst, ErrMalformed
		}
	}
	// Second pass: cut text into the fields. An escape is three bytes
	// written as one, so a field's length in text is its length in body
	// less two per '%'.
	s, at := text.String(), 0
	dst = slices.Grow(dst, n)
	for rest := body; len(rest) > 0; {
		var kv []byte
		kv, rest, _ = bytes.Cut(rest, amp)
		if len(kv) == 0 {
			continue
		}
		name, value, _ := bytes.Cut(kv, eq)
		n := len(name) - 2*bytes.Count(name, pct)
		v := len(value) - 2*bytes.Count(value, pct)
		dst = append(dst, Field{s[at : at+n], s[at+n : at+n+v]})
		at += n + v
	}
	return dst, nil
}

var amp, eq, pct = []byte("&"), []byte("="), []byte("%")

// unescape writes s to b with '+' as a space and each %XX as its byte, as
// url.QueryUnescape does; false for a '%' not followed by two hex digits.
func unescape(b *strings.Builder, s []byte) bool {
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '+':
			b.Write(s[start:i])
			b.WriteByte(' ')
			start = i + 1
		case '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			b.Write(s[start:i])
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			start = i + 1
		}
	}
	b.Write(s[start:])
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
