package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// value is a JSON value read strictly: objects keep their keys in order,
// and a key given twice is an error, as trailing data is.
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

// errDuplicateKey is a key given twice in one object.
type errDuplicateKey struct{ path, key string }

func (e errDuplicateKey) Error() string { return fmt.Sprintf("key %q is given twice", e.key) }

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
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, syntaxError(err)
				}
				k := kt.(string)
				if _, dup := v.fields[k]; dup {
					return nil, errDuplicateKey{path, k}
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
