package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// value is a JSON value read strictly: objects keep their keys in order,
// and a key given twice (or twice in different case) is an error, as
// trailing data is.
type value struct {
	kind   byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' boolean, 'z' null
	keys   []string
	fields map[string]*value
	items  []*value
	str    string
	num    json.Number
	b      bool
}

// maxDepth bounds the nesting of a scenario file.
const maxDepth = 16

// errDuplicateKey is a key given twice in one object, or given beside
// another that differs from it only in case (other).
type errDuplicateKey struct{ path, key, other string }

func (e errDuplicateKey) Error() string {
	if e.other != e.key {
		return fmt.Sprintf("%s: keys %q and %q differ only in case", where(e.path), e.other, e.key)
	}
	return fmt.Sprintf("%s: key %q is given twice", where(e.path), e.key)
}

// keySet holds the keys of one object, to find one given twice, in the
// same case or not: encoding/json matches keys in any case, so two such
// keys would make the value read depend on their order.
type keySet map[string]string // folded key -> the key as given

func (ks keySet) add(path, key string) error {
	f := foldKey(key)
	if other, dup := ks[f]; dup {
		return errDuplicateKey{path, key, other}
	}
	ks[f] = key
	return nil
}

// foldKey maps a key to one representative of the keys equal to it under
// Unicode simple case folding (strings.EqualFold's): each rune to the
// lower-case ASCII letter of its folding orbit when it has one (K, k and
// the Kelvin sign to k), else to the orbit's least rune. An ASCII key in
// lower case is its own representative, and costs nothing.
func foldKey(s string) string {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < utf8.RuneSelf
	}
	if ascii {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

func foldRune(r rune) rune {
	least := r
	for f := r; ; {
		if 'a' <= f && f <= 'z' {
			return f
		}
		least = min(least, f)
		if f = unicode.SimpleFold(f); f == r {
			return least
		}
	}
}

// decodeStrict reads exactly one JSON value from data.
func decodeStrict(data []byte) (*value, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readValue(dec, "", 0)
	var nj *notJSON
	if errors.As(err, &nj) {
		return nil, nj.in(data)
	}
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object; a scenario is exactly one object")
	}
	return v, nil
}

func readValue(dec *json.Decoder, path string, depth int) (*value, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("%s: nested deeper than %d levels", where(path), maxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, syntaxError(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			v := &value{kind: 'o', fields: map[string]*value{}}
			seen := keySet{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, syntaxError(err)
				}
				k := kt.(string)
				if err := seen.add(path, k); err != nil {
					return nil, err
				}
				f, err := readValue(dec, join(path, k), depth+1)
				if err != nil {
					return nil, err
				}
				v.keys = append(v.keys, k)
				v.fields[k] = f
			}
			if _, err := dec.Token(); err != nil {
				return nil, syntaxError(err)
			}
			return v, nil
		case '[':
			v := &value{kind: 'a'}
			for i := 0; dec.More(); i++ {
				item, err := readValue(dec, path+"["+strconv.Itoa(i)+"]", depth+1)
				if err != nil {
					return nil, err
				}
				v.items = append(v.items, item)
			}
			if _, err := dec.Token(); err != nil {
				return nil, syntaxError(err)
			}
			return v, nil
		}
	case string:
		return &value{kind: 's', str: t}, nil
	case json.Number:
		return &value{kind: 'n', num: t}, nil
	case bool:
		return &value{kind: 'b', b: t}, nil
	case nil:
		return &value{kind: 'z'}, nil
	}
	return nil, fmt.Errorf("%s: unexpected %v", where(path), tok)
}

// checkJSON checks that data is exactly one JSON value, UTF-8, nested at
// most depth levels of objects and arrays, in which no object has a key
// twice, in the same case or not. It builds nothing, so that a large
// document costs one pass over its tokens.
func checkJSON(data []byte, depth int) error {
	_, err := checkJSONObject(data, depth)
	return err
}

// checkJSONObject is checkJSON that also returns the keys of the value
// when it is an object, in order; nil (not empty) when it is not one.
//
// A document that passes is scanned once for its keys, after
// json.Valid; one that does not is read again token by token, for an
// error that says where. The token pass alone was 28% of the
// allocations of a routed contact through the control API, and about
// 10% of its time.
func checkJSONObject(data []byte, depth int) (keys []string, err error) {
	if keys, ok := scanKeys(data, depth); ok {
		return keys, nil
	}
	return checkJSONTokens(data, depth)
}

// scanKeys is checkJSONObject for a document that holds: it reports
// false for anything checkJSONTokens would refuse (and, harmlessly, for
// nothing else that checkJSONTokens accepts: FuzzScanKeys holds them to
// one answer). Keys are compared with bytes.EqualFold, which is the
// relation foldKey represents; an object of many keys switches to a set
// of folded keys, so that the cost stays linear.
func scanKeys(data []byte, depth int) (keys []string, ok bool) {
	if !utf8.Valid(data) || !json.Valid(data) {
		return nil, false
	}
	type frame struct {
		object bool
		raw    [][]byte // the keys as written, while few
		folded keySet   // the folded keys, once many
	}
	var stack []frame
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '{', '[':
			if len(stack) == depth {
				return nil, false
			}
			stack = append(stack, frame{object: c == '{'})
			if c == '{' && len(stack) == 1 {
				keys = []string{}
			}
		case '}', ']':
			stack = stack[:len(stack)-1]
		case '"':
			end, escaped := i+1, false
			for data[end] != '"' { // json.Valid: the string ends
				if data[end] == '\\' {
					end++
					escaped = true
				}
				end++
			}
			next := end + 1
			for next < len(data) && (data[next] == ' ' || data[next] == '\t' || data[next] == '\n' || data[next] == '\r') {
				next++
			}
			top := len(stack) - 1
			if top >= 0 && stack[top].object && next < len(data) && data[next] == ':' {
				raw := data[i+1 : end]
				if escaped {
					var k string
					if json.Unmarshal(data[i:end+1], &k) != nil {
						return nil, false
					}
					raw = []byte(k)
				}
				f := &stack[top]
				if f.folded == nil && len(f.raw) < 16 {
					for _, seen := range f.raw {
						if bytes.EqualFold(seen, raw) {
							return nil, false
						}
					}
					f.raw = append(f.raw, raw)
				} else {
					if f.folded == nil {
						f.folded = keySet{}
						for _, seen := range f.raw {
							f.folded[foldKey(string(seen))] = ""
						}
					}
					k := foldKey(string(raw))
					if _, dup := f.folded[k]; dup {
						return nil, false
					}
					f.folded[k] = ""
				}
				if top == 0 {
					keys = append(keys, string(raw))
				}
			}
			i = end
		}
	}
	return keys, true
}

// checkJSONTokens is checkJSONObject token by token, saying where a
// document breaks a rule.
func checkJSONTokens(data []byte, depth int) (keys []string, err error) {
	if !utf8.Valid(data) {
		return nil, errors.New("not UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	// One frame per open container: its keys (nil for an array), and the
	// key or index being read in it, for the path of an error.
	type frame struct {
		keys  keySet
		key   string
		index int
	}
	var stack []frame
	pathOf := func(frames []frame) string {
		var b strings.Builder
		for _, f := range frames {
			if f.keys == nil {
				fmt.Fprintf(&b, "[%d]", f.index)
				continue
			}
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		}
		return b.String()
	}
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, syntaxError(err)
		}
		if top := len(stack) - 1; top >= 0 {
			f := &stack[top]
			if k, ok := tok.(string); ok && expectKey {
				if err := f.keys.add(pathOf(stack[:top]), k); err != nil {
					return nil, err
				}
				if top == 0 {
					keys = append(keys, k)
				}
				f.key, expectKey = k, false
				continue
			}
			if d, ok := tok.(json.Delim); f.keys == nil && (!ok || d != ']') {
				f.index++
			}
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) == depth {
				return nil, fmt.Errorf("%s: nested deeper than %d levels", where(pathOf(stack)), depth)
			}
			f := frame{index: -1}
			if tok == json.Delim('{') {
				f.keys = keySet{}
				if len(stack) == 0 {
					keys = []string{}
				}
			}
			stack = append(stack, f)
			expectKey = f.keys != nil
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		// A value has ended: in an object, a key comes next.
		if len(stack) == 0 {
			break
		}
		expectKey = stack[len(stack)-1].keys != nil
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("data after the JSON value, at byte %d", dec.InputOffset())
	}
	return keys, nil
}

func syntaxError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &notJSON{msg: se.Error()}
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return &notJSON{msg: "unexpected end of input", atEnd: true}
	}
	return fmt.Errorf("not JSON: %v", err)
}

// notJSON is a syntax error, until decodeStrict, which has the input,
// places it by line and column.
type notJSON struct {
	msg   string
	atEnd bool
}

func (e *notJSON) Error() string { return "not JSON: " + e.msg }

// in places the error in data by line and column (in bytes, from 1), as
// an editor shows them. The Decoder's offsets are not always the broken
// byte's (inside a value they can count from the value's start), while
// Unmarshal's are: it finds the same first error.
func (e *notJSON) in(data []byte) error {
	at := len(data)
	if !e.atEnd {
		var se *json.SyntaxError
		if !errors.As(json.Unmarshal(data, new(json.RawMessage)), &se) || se.Offset < 1 || se.Offset > int64(len(data)) {
			return e
		}
		at = int(se.Offset) - 1 // Offset counts the broken byte
	}
	line := 1 + bytes.Count(data[:at], []byte("\n"))
	col := at - bytes.LastIndexByte(data[:at], '\n')
	return fmt.Errorf("not JSON at line %d, column %d: %s", line, col, e.msg)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func where(path string) string {
	if path == "" {
		return "the file"
	}
	return path
}
