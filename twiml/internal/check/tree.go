package check

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// node is an element of a document being validated: the checker's own
// light tree, built straight from the bytes (or from a builder's etree
// tree), so that validation allocates per element, not per byte. Nodes
// live in an arena; an element's children are a list through next.
type node struct {
	name  string
	attrs []xattr
	text  string // the direct text, its pieces joined (textBuf)
	kids  *node  // the first child element
	next  *node  // the next sibling element
	up    *node  // the parent element
	line  int32  // the line where the start tag ends, as encoding/xml counts

	// Set by the checker: its place among the parent's children of its
	// name, from 1, and the spec the element is checked against (nil when
	// it has none).
	nth  int32
	spec *elemSpec
}

// path returns the element's path, such as /Response/Gather[1]/Say[2].
// It is built when a problem needs it, which is at most maxProblems times
// per document.
func (n *node) path() string {
	if n == nil {
		return ""
	}
	if n.up == nil {
		return "/" + n.name
	}
	return n.up.path() + "/" + n.name + "[" + strconv.Itoa(int(n.nth)) + "]"
}

type xattr struct{ name, value string }

// attr returns the value of the attribute name and whether it is present.
func (n *node) attr(name string) (string, bool) {
	for _, a := range n.attrs {
		if a.name == name {
			return a.value, true
		}
	}
	return "", false
}

func (n *node) has(name string) bool {
	_, ok := n.attr(name)
	return ok
}

// textBuf joins the pieces of an open element's direct text, cut by
// comments or children: the first piece is kept as it is (most elements
// have one), further ones are appended to a buffer, so that text cut into
// many pieces costs time and memory linear in its length.
type textBuf struct{ b strings.Builder }

// add adds a piece of el's direct text.
func (t *textBuf) add(el *node, s string) {
	switch {
	case s == "":
	case el.text == "":
		el.text = s
	default:
		if t.b.Len() == 0 {
			t.b.WriteString(el.text)
		}
		t.b.WriteString(s)
	}
}

// done gives el its whole direct text, when its end tag is read.
func (t *textBuf) done(el *node) {
	if t.b.Len() > 0 {
		el.text = t.b.String()
		t.b = strings.Builder{}
	}
}

// addKid appends k to n's children; last is n's last child so far (nil
// for the first), which the caller keeps, and k is the new last.
func (n *node) addKid(k, last *node) {
	k.up = n
	if last == nil {
		n.kids = k
	} else {
		last.next = k
	}
}

// directText returns the text directly inside n, without that of its
// children, trimmed of XML white space.
func (n *node) directText() string { return trimSpace(n.text) }

// fullText returns all the text inside n, with that of its descendants,
// trimmed of XML white space: an element's own text comes before its
// children's, so the result is for its length and its emptiness, not for
// reading.
func (n *node) fullText() string {
	if n.kids == nil {
		return n.directText()
	}
	var b strings.Builder
	var walk func(*node)
	walk = func(e *node) {
		b.WriteString(e.text)
		for k := e.kids; k != nil; k = k.next {
			walk(k)
		}
	}
	walk(n)
	return trimSpace(b.String())
}

// xmlSpace is XML's white space (the S production, see isXMLSpace) as a
// cutset.
const xmlSpace = " \t\r\n"

// trimSpace returns s without leading and trailing XML white space.
func trimSpace(s string) string { return strings.Trim(s, xmlSpace) }

// fromEtree converts a builder's tree into m. The builders write no line
// numbers: the problems of a built document have line 0.
func fromEtree(el *etree.Element, m *arena) *node {
	nodes, attrs := countEtree(el)
	m.reserve(nodes, attrs)
	return m.convert(el)
}

func countEtree(el *etree.Element) (nodes, attrs int) {
	nodes, attrs = 1, len(el.Attr)
	for _, tok := range el.Child {
		if t, ok := tok.(*etree.Element); ok {
			n, a := countEtree(t)
			nodes, attrs = nodes+n, attrs+a
		}
	}
	return nodes, attrs
}

// convert copies el into the arena.
func (m *arena) convert(el *etree.Element) *node {
	n := m.node(el.FullTag())
	if len(el.Attr) > 0 {
		first := len(m.attrs)
		for _, a := range el.Attr {
			m.attrs = append(m.attrs, xattr{a.FullKey(), a.Value})
		}
		n.attrs = m.attrs[first:len(m.attrs):len(m.attrs)]
	}
	var last *node
	var text textBuf
	for _, tok := range el.Child {
		switch t := tok.(type) {
		case *etree.Element:
			k := m.convert(t)
			n.addKid(k, last)
			last = k
		case *etree.CharData:
			text.add(n, t.Data)
		}
	}
	text.done(n)
	return n
}
