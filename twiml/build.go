package twiml

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// Attr is an attribute this package has no typed field for yet (the escape
// hatch for attributes Twilio adds later). Extra attributes are written after
// the typed ones, in the order given, and validated like the rest.
type Attr struct {
	Name  string // an XML name, such as statusCallbackEvent
	Value string // written escaped
}

// Method is the HTTP method Twilio uses for a callback URL.
type Method string

// The HTTP methods Twilio uses for callbacks.
const (
	GET  Method = "GET"
	POST Method = "POST"
)

// Int returns a pointer to v, for the optional integer attributes (*int
// fields), where 0 can be a meaningful value (loop="0" repeats forever).
func Int(v int) *int { return &v }

// Bool returns a pointer to v, for the optional boolean attributes.
func Bool(v bool) *bool { return &v }

// String returns a pointer to v, for optional attributes where the empty
// string is meaningful (Gather finishOnKey="").
func String(v string) *string { return &v }

// doc is the part a voice and a messaging response share. Its zero value
// is an empty <Response/>: the tree is made on the first element added, and
// the methods that only read never write to a zero doc, so a zero response
// shared between goroutines is safe to write out.
type doc struct {
	tree *etree.Document
	root *etree.Element
	err  error // first build error
}

// emptyDocument is what a response with no element writes.
const emptyDocument = `<?xml version="1.0" encoding="UTF-8"?><Response/>`

func newTree() (*etree.Document, *etree.Element) {
	t := etree.NewDocument()
	t.WriteSettings = etree.WriteSettings{CanonicalText: true, CanonicalAttrVal: true}
	t.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	return t, t.CreateElement("Response")
}

// top returns <Response>, making the tree on first use.
func (d *doc) top() *etree.Element {
	if d.tree == nil {
		d.tree, d.root = newTree()
	}
	return d.root
}

// Err returns the first build error: an [Attr] whose name is not an XML
// name or repeats another attribute of its element. It matches [ErrBuild].
func (d *doc) Err() error { return d.err }

// WriteTo writes the document to w: the XML declaration, then <Response>.
// It writes nothing and returns the build error if there is one.
func (d *doc) WriteTo(w io.Writer) (int64, error) {
	b, err := d.Bytes()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

// Bytes returns the document, or the build error if there is one.
func (d *doc) Bytes() ([]byte, error) {
	if d.err != nil {
		return nil, d.err
	}
	if d.tree == nil {
		return []byte(emptyDocument), nil
	}
	var b bytes.Buffer
	b.Grow(256)
	for _, t := range d.tree.Child { // straight into the buffer, without etree's bufio layer
		t.WriteTo(&b, &d.tree.WriteSettings)
	}
	return b.Bytes(), nil
}

// String returns the document as a string, or "" if it cannot be built.
func (d *doc) String() string {
	b, err := d.Bytes()
	if err != nil {
		return ""
	}
	return string(b)
}

// validate validates the written document for ch in strict mode.
func (d *doc) validate(ch Channel) Report {
	b, err := d.Bytes()
	if err != nil {
		return Report{Channel: ch, Problems: []Problem{{Severity: Error, Code: CodeMalformed, Message: err.Error()}}}
	}
	return Validate(b, ch)
}

// attrs collects the typed attributes of one element.
type attrs []Attr

func (a *attrs) str(name, v string) {
	if v != "" {
		*a = append(*a, Attr{name, v})
	}
}

func (a *attrs) strp(name string, v *string) {
	if v != nil {
		*a = append(*a, Attr{name, *v})
	}
}

func (a *attrs) method(name string, v Method) { a.str(name, string(v)) }

func (a *attrs) int(name string, v *int) {
	if v != nil {
		*a = append(*a, Attr{name, strconv.Itoa(*v)})
	}
}

func (a *attrs) bool(name string, v *bool) {
	if v != nil {
		*a = append(*a, Attr{name, strconv.FormatBool(*v)})
	}
}

func (a *attrs) list(name string, v []string) {
	if len(v) > 0 {
		*a = append(*a, Attr{name, strings.Join(v, " ")})
	}
}

// amd adds the answering machine detection attributes of <Number> and <Sip>.
func (a *attrs) amd(detection string, timeout, speech, speechEnd, silence *int, callback string, method Method) {
	a.str("machineDetection", detection)
	a.int("machineDetectionTimeout", timeout)
	a.int("machineDetectionSpeechThreshold", speech)
	a.int("machineDetectionSpeechEndThreshold", speechEnd)
	a.int("machineDetectionSilenceTimeout", silence)
	a.str("amdStatusCallback", callback)
	a.method("amdStatusCallbackMethod", method)
}

var reXMLName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._-]*(:[A-Za-z_][A-Za-z0-9._-]*)?$`)

// element creates a child of parent with the typed attributes sorted by
// name, then the extra ones in their order.
func (d *doc) element(parent *etree.Element, tag string, typed attrs, extra []Attr) *etree.Element {
	el := parent.CreateElement(tag)
	sort.Slice(typed, func(i, j int) bool { return typed[i].Name < typed[j].Name })
	el.Attr = make([]etree.Attr, 0, len(typed)+len(extra))
	for _, a := range typed {
		el.CreateAttr(a.Name, a.Value)
	}
	for _, a := range extra {
		switch {
		case !reXMLName.MatchString(a.Name):
			d.fail(fmt.Errorf("%w: <%s>: attribute name %q is not an XML name", ErrBuild, tag, a.Name))
			continue
		case el.SelectAttr(a.Name) != nil:
			d.fail(fmt.Errorf("%w: <%s>: attribute %s is set twice", ErrBuild, tag, a.Name))
			continue
		}
		el.CreateAttr(a.Name, a.Value)
	}
	return el
}

func (d *doc) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// text adds text to el unless it is empty.
func text(el *etree.Element, s string) {
	if s != "" {
		el.CreateText(s)
	}
}

// ValidateFor validates the built document for channel ch in strict mode
// without writing it out: builders write well-formed XML by construction,
// so the schema checks are the ones that can fail. It does not check the
// size; [Validate] on the bytes does.
func (d *doc) ValidateFor(ch Channel) Report {
	if d.err != nil {
		return Report{Channel: ch, Problems: []Problem{{Severity: Error, Code: CodeMalformed, Message: d.err.Error()}}}
	}
	if d.tree == nil {
		t, _ := newTree()
		return Validator{}.validateTree(t, ch)
	}
	return Validator{}.validateTree(d.tree, ch)
}
