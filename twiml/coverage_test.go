package twiml_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/twiml"
)

// notBuilders are the methods of the builders that write nothing.
var notBuilders = map[string]bool{
	"Bytes": true, "WriteTo": true, "String": true, "Validate": true, "ValidateFor": true, "Channel": true, "Err": true,
}

// fill sets every field of a struct: strings, pointers, lists, nested structs.
func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fill(p.Elem())
		v.Set(p)
	case reflect.Int:
		v.SetInt(1)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.String {
			v.Set(reflect.ValueOf([]string{"x"}))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	}
}

// exercise calls every builder method of b with every typed attribute set,
// and does the same on every builder a method returns.
func exercise(b reflect.Value, seen map[reflect.Type]bool) {
	if seen[b.Type()] {
		return
	}
	seen[b.Type()] = true
	for i := 0; i < b.NumMethod(); i++ {
		m := b.Type().Method(i)
		if notBuilders[m.Name] {
			continue
		}
		args := make([]reflect.Value, m.Type.NumIn()-1)
		for j := range args {
			args[j] = reflect.New(m.Type.In(j + 1)).Elem()
			fill(args[j])
		}
		for _, out := range b.Method(i).Call(args) {
			if out.Kind() == reflect.Pointer && !out.IsNil() && out.Type().Elem().PkgPath() == reflect.TypeOf(twiml.Attr{}).PkgPath() {
				exercise(out, seen)
			}
		}
	}
}

// written returns each element name the document holds with its attributes.
func written(t *testing.T, doc []byte) map[string]map[string]bool {
	got := map[string]map[string]bool{}
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			name := se.Name.Local
			if se.Name.Space != "" {
				name = se.Name.Space + ":" + name
			}
			if got[name] == nil {
				got[name] = map[string]bool{}
			}
			for _, a := range se.Attr {
				key := a.Name.Local
				if a.Name.Space != "" {
					key = a.Name.Space + ":" + key
				}
				got[name][key] = true
			}
		}
	}
	return got
}

// schemaNames returns each element name of a channel with its attributes.
func schemaNames(t *testing.T, ch string) map[string]map[string]bool {
	raw, err := os.ReadFile(filepath.Join("internal", "check", "twiml-schema.json"))
	require.NoError(t, err)
	var s struct {
		Channels map[string]struct {
			Elements map[string]struct {
				Name       string                     `json:"name"`
				Attributes map[string]json.RawMessage `json:"attributes"`
			} `json:"elements"`
		} `json:"channels"`
	}
	require.NoError(t, json.Unmarshal(raw, &s))
	out := map[string]map[string]bool{}
	for key, e := range s.Channels[ch].Elements {
		name := e.Name
		if name == "" {
			name = strings.SplitN(key, "@", 2)[0]
		}
		if out[name] == nil {
			out[name] = map[string]bool{}
		}
		for a := range e.Attributes {
			out[name][a] = true
		}
	}
	return out
}

// The builders and the schema are one vocabulary: a builder writes no
// element or attribute the schema lacks, and every one the schema has is
// buildable, but for those testdata/builders-excluded.txt lists with a
// reason (a legacy attribute, a library's misspelling).
func TestBuildersMatchTheSchema(t *testing.T) {
	excluded := justified(t, "testdata/builders-excluded.txt", ": ")
	for _, c := range []struct {
		ch   string
		root reflect.Value
	}{
		{"voice", reflect.ValueOf(twiml.NewVoiceResponse())},
		{"messaging", reflect.ValueOf(twiml.NewMessagingResponse())},
	} {
		exercise(c.root, map[reflect.Type]bool{})
		doc, err := c.root.Interface().(interface{ Bytes() ([]byte, error) }).Bytes()
		require.NoError(t, err)
		built, schema := written(t, doc), schemaNames(t, c.ch)
		for el, attrs := range built {
			require.Contains(t, schema, el, "%s: a builder writes <%s>, which the schema does not have", c.ch, el)
			for a := range attrs {
				assert.True(t, schema[el][a], "%s: a builder writes <%s %s>, which the schema does not have", c.ch, el, a)
				assert.NotContains(t, excluded, c.ch+" "+el+"@"+a, "a builder writes an excluded attribute")
			}
		}
		for el, attrs := range schema {
			if built[el] == nil {
				assert.Contains(t, excluded, c.ch+" "+el, "the schema has <%s> and no builder writes it", el)
				delete(excluded, c.ch+" "+el)
				continue
			}
			for a := range attrs {
				if !built[el][a] {
					assert.Contains(t, excluded, c.ch+" "+el+"@"+a, "the schema has <%s %s> and no builder writes it", el, a)
				}
				delete(excluded, c.ch+" "+el+"@"+a)
			}
		}
	}
	for item := range excluded {
		t.Errorf("builders-excluded.txt lists %s, which the schema does not have", item)
	}
}
