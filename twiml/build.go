package twiml

import (
	"bytes"
	"io"
	"regexp"

	"github.com/beevik/etree"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/twiml/internal/check"
)

// Attr is an attribute this package has no typed field for yet (the escape
// hatch for attributes Twilio adds later). Extra attributes are written
// after the typed ones, in the order given, and validated like the rest.
type Attr struct {
	Name  string // an XML name, such as statusCallbackEvent
	Value string // written escaped
}

// Method is the HTTP method Twilio uses for a callback URL.
type Method string

// The HTTP methods Twilio uses for callbacks.
const (
	MethodGet  Method = "GET"
	MethodPost Method = "POST"
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

// top returns the builder of <Response>, making the tree on first use.
func (d *doc) top() node {
	if d.tree == nil {
		d.tree = etree.NewDocument()
		d.tree.WriteSettings = etree.WriteSettings{CanonicalText: true, CanonicalAttrVal: true}
		d.tree.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
		d.root = d.tree.CreateElement("Response")
	}
	return node{d, d.root}
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

// validate checks the built tree for ch in strict mode, without writing it
// out: builders write well-formed XML by construction, so the schema
// checks are the ones that can fail.
func (d *doc) validate(ch oosc.Channel) oosc.Report {
	if d.err != nil {
		return oosc.Report{Problems: []oosc.Problem{{Severity: oosc.SeverityError, Rule: RuleMalformed,
			Code: oosc.CodeDocumentParseFailure, Message: d.err.Error()}}}
	}
	return check.Element(d.root, ch, check.Options{})
}

// node is what every element's builder holds: the document it belongs to
// and its element.
type node struct {
	d  *doc
	el *etree.Element
}

// add creates a child element named tag with the attributes of a (a
// pointer to an attributes struct, see attrs.go, or nil) and the text, if
// any.
func (n node) add(tag string, a any, text string) node {
	el := n.el.CreateElement(tag)
	n.d.setAttrs(el, tag, a)
	if text != "" {
		el.CreateText(text)
	}
	return node{n.d, el}
}

// nameValueAttrs are the attributes of <Parameter>, <Config> and <Header>.
type nameValueAttrs struct {
	Name  string `twiml:"name"`
	Value string `twiml:"value"`
}

// nameValue adds <tag name="name" value="value"/>.
func (n node) nameValue(tag, name, value string) node {
	return n.add(tag, &nameValueAttrs{name, value}, "")
}

// Parameter is a <Parameter>: a custom parameter passed with its parent.
type Parameter struct{ node }

// parameter adds a <Parameter>.
func (n node) parameter(name, value string) *Parameter {
	return &Parameter{n.nameValue("Parameter", name, value)}
}

func (d *doc) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

var reXMLName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9._-]*(:[A-Za-z_][A-Za-z0-9._-]*)?$`)
