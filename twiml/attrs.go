package twiml

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/beevik/etree"
)

// The typed attributes of an element are the fields of its attributes
// struct (SayAttrs, DialAttrs, ...), each named by its twiml tag:
//
//	StatusCallback string `twiml:"statusCallback"`
//
// One writer, setAttrs, turns any such struct into the element's
// attributes: a string (or Method) unless empty, a *string, *int or *bool
// unless nil, a []string joined by single spaces unless empty, and the
// fields of an embedded struct (CallbackAttrs) as its own. They are
// written sorted by name, then the Extra ones in their order. The name
// each field is written as is stated once, beside the field.

// fieldKind is how a field's value is written.
type fieldKind uint8

const (
	kindString    fieldKind = iota // string or Method: written unless ""
	kindStringPtr                  // *string: written unless nil, "" included
	kindIntPtr                     // *int
	kindBoolPtr                    // *bool: true or false
	kindList                       // []string: joined by single spaces, unless empty
)

// attrField is one tagged field of an attributes struct.
type attrField struct {
	name  string // the attribute's name
	index []int  // the field, for reflect.Value.FieldByIndex
	kind  fieldKind
}

// attrPlan is how to write the attributes of one struct type.
type attrPlan struct {
	fields []attrField // sorted by name
	extra  []int       // the Extra []Attr field, or nil
}

var (
	plans     sync.Map // reflect.Type -> *attrPlan
	extraType = reflect.TypeFor[[]Attr]()
)

// planOf returns the plan of the attributes struct t, made on first use.
func planOf(t reflect.Type) *attrPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*attrPlan)
	}
	p := &attrPlan{}
	p.collect(t, nil)
	sort.Slice(p.fields, func(i, j int) bool { return p.fields[i].name < p.fields[j].name })
	got, _ := plans.LoadOrStore(t, p)
	return got.(*attrPlan)
}

// collect adds the tagged fields of t, whose place is at (nil for the
// struct itself), and those of its embedded structs. A field that is not
// Extra, not embedded and has no tag is a mistake in this package, which
// every builder's test finds at once.
func (p *attrPlan) collect(t reflect.Type, at []int) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		index := append(append([]int(nil), at...), i)
		name := f.Tag.Get("twiml")
		switch {
		case f.Type == extraType && f.Name == "Extra":
			p.extra = index
			continue
		case f.Anonymous && f.Type.Kind() == reflect.Struct && name == "":
			p.collect(f.Type, index)
			continue
		case name == "":
			panic(fmt.Sprintf("twiml: %s.%s has no twiml tag", t.Name(), f.Name))
		}
		var kind fieldKind
		switch {
		case f.Type.Kind() == reflect.String:
			kind = kindString
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.String:
			kind = kindStringPtr
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Int:
			kind = kindIntPtr
		case f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Bool:
			kind = kindBoolPtr
		case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.String:
			kind = kindList
		default:
			panic(fmt.Sprintf("twiml: %s.%s: no attribute is written from a %s", t.Name(), f.Name, f.Type))
		}
		p.fields = append(p.fields, attrField{name, index, kind})
	}
}

// value returns the attribute the field v holds, and whether it is set.
func (f *attrField) value(v reflect.Value) (string, bool) {
	switch f.kind {
	case kindString:
		s := v.String()
		return s, s != ""
	case kindList:
		switch v.Len() {
		case 0:
			return "", false
		case 1:
			return v.Index(0).String(), true
		}
		var b strings.Builder
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(v.Index(i).String())
		}
		return b.String(), true
	}
	if v.IsNil() {
		return "", false
	}
	switch v = v.Elem(); f.kind {
	case kindIntPtr:
		return strconv.Itoa(int(v.Int())), true
	case kindBoolPtr:
		return strconv.FormatBool(v.Bool()), true
	}
	return v.String(), true
}

// setAttrs gives el, named tag, the attributes of a: a pointer to an
// attributes struct, nil or a nil pointer for none. An Extra attribute
// whose name is not an XML name, or that an earlier one has, is a build
// error (and is not written).
func (d *doc) setAttrs(el *etree.Element, tag string, a any) {
	if a == nil {
		return
	}
	v := reflect.ValueOf(a)
	if v.IsNil() {
		return
	}
	v = v.Elem()
	p := planOf(v.Type())
	var buf [32]Attr // room for the attributes of any element but the largest, on the stack
	typed := buf[:0]
	for i := range p.fields {
		f := &p.fields[i]
		if s, ok := f.value(v.FieldByIndex(f.index)); ok {
			typed = append(typed, Attr{f.name, s})
		}
	}
	var extra reflect.Value
	if p.extra != nil {
		extra = v.FieldByIndex(p.extra)
	}
	if n := len(typed) + extraLen(extra); n > 0 {
		el.Attr = make([]etree.Attr, 0, n)
	}
	for _, t := range typed {
		el.CreateAttr(t.Name, t.Value)
	}
	for i := 0; i < extraLen(extra); i++ {
		name, value := extra.Index(i).Field(0).String(), extra.Index(i).Field(1).String()
		switch {
		case !reXMLName.MatchString(name):
			d.fail(fmt.Errorf("%w: <%s>: attribute name %q is not an XML name", ErrBuild, tag, name))
			continue
		case el.SelectAttr(name) != nil:
			d.fail(fmt.Errorf("%w: <%s>: attribute %s is set twice", ErrBuild, tag, name))
			continue
		}
		el.CreateAttr(name, value)
	}
}

func extraLen(extra reflect.Value) int {
	if !extra.IsValid() {
		return 0
	}
	return extra.Len()
}
