package autocreate

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/internal/spell"
)

// MaxDocumentBytes bounds what Parse reads; a real answer is a few hundred bytes.
const MaxDocumentBytes = 64000

// Parse parses an auto-create document strictly. It rejects anything that is
// not exactly one JSON object; unknown, misspelt or mis-cased keys; duplicate
// keys; values of the wrong JSON type; a ttl that is negative or not a whole
// number; a dateExpiry that is not RFC 3339; and a missing or empty
// participantIdentifier; and bytes that are not UTF-8 or begin with a byte
// order mark, which RFC 8259 forbids a JSON sender. The error is an
// [*oosc.ValidationError] listing every problem, each naming its field and
// what is allowed; it matches [oosc.ErrInvalid].
func Parse(doc []byte) (Session, error) {
	s, r := parse(doc)
	if r.valid() {
		return s, nil
	}
	return s, &oosc.ValidationError{Subject: "auto-create session", Problems: r.done().Errors()}
}

var reWholeNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

func parse(doc []byte) (Session, report) {
	var s Session
	var r report
	switch {
	case len(doc) > MaxDocumentBytes:
		r.errorf(RuleSyntax, "", "document is %d bytes; an auto-create answer is a small JSON object (at most %d bytes here)", len(doc), MaxDocumentBytes)
		return s, r
	case bytes.HasPrefix(doc, []byte("\xef\xbb\xbf")):
		r.errorf(RuleByteOrderMark, "", "the answer starts with a byte order mark, which a JSON sender must not add (RFC 8259 §8.1) and Proxy may refuse; leave it out")
		return s, r
	case !utf8.Valid(doc):
		r.errorf(RuleInvalidUTF8, "", "the answer is not valid UTF-8, which JSON must be (RFC 8259 §8.1); a parser may reject it or change the bytes")
		return s, r
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		r.errorf(RuleSyntax, "", "not JSON: %s", jsonMessage(err))
		return s, r
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		r.errorf(RuleNotObject, "", "the answer must be one JSON object, found %s", describeToken(tok))
		return s, r
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			r.errorf(RuleSyntax, "", "not JSON: %s", jsonMessage(err))
			return s, r
		}
		key, _ := tok.(string) // object keys are always strings
		val, err := dec.Token()
		if err != nil {
			r.errorf(RuleSyntax, key, "not JSON: %s", jsonMessage(err))
			return s, r
		}
		if d, ok := val.(json.Delim); ok {
			if err := skip(dec, d); err != nil {
				r.errorf(RuleSyntax, key, "not JSON: %s", jsonMessage(err))
				return s, r
			}
		}
		if !contains(fieldNames[:], key) {
			if r.full() {
				r.add(oosc.SeverityError, 0, RuleUnknownField, key, "") // counted, not described
				continue
			}
			unknownField(&r, key)
			continue
		}
		if seen[key] {
			r.errorf(RuleDuplicateField, key, "%s appears more than once; give each field once", key)
			continue
		}
		seen[key] = true
		setField(&s, &r, key, val)
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		r.errorf(RuleSyntax, "", "not JSON: %s", jsonMessage(err))
		return s, r
	}
	if _, err := dec.Token(); err != io.EOF {
		r.errorf(RuleSyntax, "", "data after the JSON object; the answer must be exactly one object")
	}
	if !seen[FieldParticipantIdentifier] {
		r.errorf(RuleMissingField, FieldParticipantIdentifier, "participantIdentifier is required: the address of the participant to connect the sender with")
	}
	return s, r
}

func setField(s *Session, r *report, key string, val json.Token) {
	if key == FieldTTL {
		n, ok := val.(json.Number)
		if !ok {
			r.errorf(RuleWrongType, key, "ttl must be a JSON number of whole seconds, such as 3600; found %s", describeToken(val))
			return
		}
		if !reWholeNumber.MatchString(n.String()) {
			r.errorf(RuleInvalidTTL, key, "ttl %s is not a whole number of seconds; write digits only, such as 3600", n)
			return
		}
		secs, err := n.Int64()
		switch {
		case err != nil || secs > math.MaxInt64/int64(time.Second):
			r.errorf(RuleInvalidTTL, key, "ttl %s is too large", n)
		case secs < 0:
			r.errorf(RuleInvalidTTL, key, "ttl %d is negative; use 0 or more seconds", secs)
		default:
			s.TTL = time.Duration(secs) * time.Second
		}
		return
	}
	v, ok := val.(string)
	if !ok {
		r.errorf(RuleWrongType, key, "%s must be a JSON string; found %s", key, describeToken(val))
		return
	}
	switch key {
	case FieldUniqueName:
		s.UniqueName = v
	case FieldMode:
		s.Mode = Mode(v)
	case FieldDateExpiry:
		t, err := parseDate(v)
		if err != nil {
			r.errorf(RuleInvalidDate, key, "dateExpiry %q %s", clip(v), err.Error())
			return
		}
		s.DateExpiry = t
	case FieldParticipantIdentifier:
		if v == "" {
			r.errorf(RuleEmptyField, key, "participantIdentifier is empty; give the address of the participant to connect the sender with")
		}
		s.ParticipantIdentifier = v
	case FieldParticipantProxyIdentifier:
		s.ParticipantProxyIdentifier = v
	}
}

var errDateForm = errors.New("is not an RFC 3339 date-time such as 2026-05-01T12:00:00Z")

// parseDate parses an RFC 3339 date-time whose UTC year is 1 to 9999, so
// that it can be written back.
func parseDate(v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, errDateForm
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return time.Time{}, errors.New("is outside the years 1 to 9999")
	}
	return t, nil
}

func unknownField(r *report, key string) {
	for _, f := range fieldNames {
		if strings.EqualFold(f, key) {
			r.errorf(RuleFieldCase, key, "%s must be written %s; keys are case-sensitive", key, f)
			return
		}
	}
	hint := ""
	if s := spell.Closest(key, fieldNames[:], 3); s != "" {
		hint = " (did you mean " + s + "?)"
	}
	r.errorf(RuleUnknownField, key, "unknown field %q%s; the fields are %s", clip(key), hint, strings.Join(fieldNames[:], ", "))
}

// skip consumes the rest of an object or array whose opening delimiter was read.
func skip(dec *json.Decoder, open json.Delim) error {
	depth := 1
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
}

func describeToken(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		if v == '{' {
			return "an object"
		}
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "a value"
}

func jsonMessage(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return se.Error() + " at offset " + itoa(se.Offset)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of input"
	}
	return err.Error()
}
