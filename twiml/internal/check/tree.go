package check

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// node is an element of a document being validated: the checker's own
// light tree, built straight from the bytes (or from a builder's etree
// tree), so that validation allocates per element, not per byte.
type node struct {
	name    string
	attrs   []xattr
	text    string   // the text, while the element has no children
	more    []string // text that came after text (split by comments), joined by flush
	content []item   // text and child elements in document order, once it has
	line    int      // the line where the start tag ends, as encoding/xml counts
	nkids   int

	// Set by the checker: the parent, the place among the parent's
	// children of this name (from 1), and the path built from them when a
	// problem first needs it.
	up    *node
	nth   int
	where string
}

// path returns the element's path, such as /Response/Gather[1]/Say[2].
func (n *node) path() string {
	if n == nil {
		return ""
	}
	if n.where == "" {
		if n.up == nil {
			n.where = "/" + n.name
		} else {
			n.where = n.up.path() + "/" + n.name + "[" + strconv.Itoa(n.nth) + "]"
		}
	}
	return n.where
}

type xattr struct{ name, value string }

// item is one piece of an element's content: text, or a child element.
type item struct {
	text string
	kid  *node
}

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

// addText adds text to the element. Pieces are kept apart and joined once
// (flush), so that text cut into many pieces by comments costs time linear
// in its length, not quadratic.
func (n *node) addText(s string) {
	switch {
	case n.nkids > 0:
		n.content = append(n.content, item{text: s}) // directText joins adjacent pieces
	case n.text == "":
		n.text = s
	default:
		n.more = append(n.more, s)
	}
}

// flush joins the pieces of the element's text.
func (n *node) flush() {
	if len(n.more) > 0 {
		n.text += strings.Join(n.more, "")
		n.more = nil
	}
}

func (n *node) addKid(k *node) {
	if n.nkids == 0 {
		n.flush()
		if n.text != "" {
			n.content = append(n.content, item{text: n.text})
			n.text = ""
		}
	}
	n.content = append(n.content, item{kid: k})
	n.nkids++
}

// directText returns the text directly inside n, without that of its
// children, trimmed.
func (n *node) directText() string {
	switch {
	case n.nkids == 0:
		n.flush()
		return strings.TrimSpace(n.text)
	case n.nkids == len(n.content):
		return ""
	}
	var b strings.Builder
	for _, it := range n.content {
		if it.kid == nil {
			b.WriteString(it.text)
		}
	}
	return strings.TrimSpace(b.String())
}

// fullText returns all the text inside n, with that of its descendants,
// trimmed.
func (n *node) fullText() string {
	if n.nkids == 0 {
		return n.directText()
	}
	var b strings.Builder
	var walk func(*node)
	walk = func(e *node) {
		e.flush()
		b.WriteString(e.text)
		for _, it := range e.content {
			if it.kid != nil {
				walk(it.kid)
			} else {
				b.WriteString(it.text)
			}
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}

// fromEtree converts a builder's tree into m. The builders write no line
// numbers: the problems of a built document have line 0.
func fromEtree(el *etree.Element, m *arena) *node {
	nodes, attrs := countEtree(el)
	if cap(m.nodes) < nodes {
		m.nodes = make([]node, 0, nodes)
	}
	if cap(m.attrs) < attrs {
		m.attrs = make([]xattr, 0, attrs)
	}
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

// convert copies el into the arena, which has room for it.
func (m *arena) convert(el *etree.Element) *node {
	m.nodes = append(m.nodes, node{name: el.FullTag()})
	n := &m.nodes[len(m.nodes)-1]
	if len(el.Attr) > 0 {
		first := len(m.attrs)
		for _, a := range el.Attr {
			m.attrs = append(m.attrs, xattr{a.FullKey(), a.Value})
		}
		n.attrs = m.attrs[first:len(m.attrs):len(m.attrs)]
	}
	for _, tok := range el.Child {
		switch t := tok.(type) {
		case *etree.Element:
			n.addKid(m.convert(t))
		case *etree.CharData:
			n.addText(t.Data)
		}
	}
	return n
}
