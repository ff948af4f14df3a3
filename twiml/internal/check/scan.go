package check

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// This file is the fast path of parsing: a scanner for documents in the
// plain form nearly every answer has (an optional XML declaration, one
// root element, attributes in quotes, text with the predefined and
// numeric character references, comments). It builds the same tree as
// the encoding/xml path with one allocation for the text of the whole
// document and a few per element, and it reports nothing itself: on
// anything else (a syntax error, a DOCTYPE, CDATA, a processing
// instruction, a duplicate attribute, a non-ASCII name, content after the
// root, ...) it gives up and the encoding/xml path decides, with its
// messages. FuzzFastParse holds the two paths to the same verdicts.

// arena holds the nodes and attributes of documents, reused from one
// validation to the next: once checked, a tree is dropped (the report
// keeps only strings), and reuse spares the allocator and the collector
// tens of kilobytes per large document.
type arena struct {
	nodes []node
	attrs []xattr
}

var arenas = sync.Pool{New: func() any { return new(arena) }}

// The most nodes and attributes an arena is made with, and kept with: a
// 64 KB answer has about 1,000 of each.
const (
	maxArenaNodes = 4096
	maxArenaAttrs = 8192
)

func getArena() *arena { return arenas.Get().(*arena) }

// put clears the arena, so that it keeps no document alive, and returns it
// to the pool unless it grew past what answers need.
func (m *arena) put() {
	if m == nil {
		return
	}
	clear(m.nodes[:cap(m.nodes)])
	clear(m.attrs[:cap(m.attrs)])
	m.nodes, m.attrs = m.nodes[:0], m.attrs[:0]
	if cap(m.nodes) > maxArenaNodes || cap(m.attrs) > maxArenaAttrs {
		return
	}
	arenas.Put(m)
}

// fastParse returns the tree of doc, built in m, or false when doc is not
// in the form the fast path handles.
func fastParse(doc []byte, m *arena) (*node, bool) {
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return nil, false // not an XML character
		}
		if c == 0xEF && i+2 < len(doc) && doc[i+1] == 0xBF && doc[i+2] >= 0xBE {
			return nil, false // U+FFFE or U+FFFF
		}
	}
	// Every attribute has an '=' and every element a '<': one allocation
	// each holds them all.
	p := &scanner{s: string(doc), line: 1, attrs: m.attrs[:0], nodes: m.nodes[:0]}
	// Room for every attribute (each has an '=') and every element (each a
	// '<'), bounded so that a hostile document of '<' cannot make the
	// arena many times its own size; past the bound, nodes come in chunks.
	if n := min(strings.Count(p.s, "="), maxArenaAttrs); cap(p.attrs) < n {
		p.attrs = make([]xattr, 0, n)
	}
	if n := min(strings.Count(p.s, "<"), maxArenaNodes); cap(p.nodes) < n {
		p.nodes = make([]node, 0, n)
	}
	m.attrs, m.nodes = p.attrs, p.nodes // the first chunks, kept for reuse
	if strings.HasPrefix(p.s, "<?") && !p.declaration() {
		return nil, false
	}
	if !p.misc() || p.i >= len(p.s) || p.s[p.i] != '<' {
		return nil, false
	}
	root, ok := p.elements()
	if !ok || !p.misc() || p.i != len(p.s) {
		return nil, false
	}
	return root, true
}

type scanner struct {
	s     string
	i     int
	line  int // 1 + the newlines before i
	attrs []xattr
	nodes []node
}

// reFastDecl is the declaration the fast path takes: version 1.0, UTF-8.
var reFastDecl = regexp.MustCompile(`^version=("1\.0"|'1\.0')( encoding=("(?i:utf-8)"|'(?i:utf-8)'))?( standalone=("(yes|no)"|'(yes|no)'))?[ \t\r\n]*$`)

func (p *scanner) declaration() bool {
	if !strings.HasPrefix(p.s, "<?xml") || len(p.s) < 6 || !isXMLSpace(p.s[5]) {
		return false
	}
	end := strings.Index(p.s, "?>")
	if end < 0 {
		return false
	}
	inst := strings.TrimLeft(p.s[5:end], " \t\r\n")
	if !reFastDecl.MatchString(inst) { // a declaration checkDeclaration accepts
		return false
	}
	p.advance(end + 2)
	return true
}

// advance moves to j, counting the newlines passed.
func (p *scanner) advance(j int) {
	p.line += strings.Count(p.s[p.i:j], "\n")
	p.i = j
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func (p *scanner) space() {
	j := p.i
	for j < len(p.s) && isXMLSpace(p.s[j]) {
		j++
	}
	p.advance(j)
}

// misc skips whitespace and comments, as found around the root.
func (p *scanner) misc() bool {
	for {
		p.space()
		if !strings.HasPrefix(p.s[p.i:], "<!--") {
			return true
		}
		if !p.comment() {
			return false
		}
	}
}

// comment skips <!-- ... -->; "--" may only end it.
func (p *scanner) comment() bool {
	k := strings.Index(p.s[p.i+4:], "--")
	if k < 0 {
		return false
	}
	end := p.i + 4 + k
	if end+2 >= len(p.s) || p.s[end+2] != '>' {
		return false
	}
	p.advance(end + 3)
	return true
}

// name reads an XML name of ASCII characters with at most one colon.
func (p *scanner) name() (string, bool) {
	j := p.i
	if j >= len(p.s) || !isNameStart(p.s[j]) {
		return "", false
	}
	colons := 0
	for j < len(p.s) && isNameChar(p.s[j]) {
		if p.s[j] == ':' {
			colons++
		}
		j++
	}
	if colons > 1 || (j < len(p.s) && p.s[j] >= utf8.RuneSelf) {
		return "", false
	}
	n := p.s[p.i:j]
	p.i = j
	return n, true
}

func isNameStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == ':'
}

func isNameChar(c byte) bool {
	return isNameStart(c) || '0' <= c && c <= '9' || c == '-' || c == '.'
}

func (p *scanner) newNode(name string) *node {
	if len(p.nodes) == cap(p.nodes) {
		p.nodes = make([]node, 0, 32)
	}
	p.nodes = append(p.nodes, node{name: name})
	return &p.nodes[len(p.nodes)-1]
}

// elements reads the root element and everything in it.
func (p *scanner) elements() (*node, bool) {
	var stack []*node
	var root *node
	for {
		// p.s[p.i] is '<'.
		if p.i+1 >= len(p.s) {
			return nil, false
		}
		switch p.s[p.i+1] {
		case '/':
			p.i += 2
			name, ok := p.name()
			if !ok || len(stack) == 0 || stack[len(stack)-1].name != name {
				return nil, false
			}
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != '>' {
				return nil, false
			}
			p.i++
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return root, true
			}
		case '!':
			if !strings.HasPrefix(p.s[p.i:], "<!--") || !p.comment() {
				return nil, false // CDATA or a directive: the encoding/xml path
			}
		case '?':
			return nil, false
		default:
			if len(stack) >= maxDepth {
				return nil, false
			}
			n, closed, ok := p.startTag()
			if !ok {
				return nil, false
			}
			if len(stack) == 0 {
				root = n
			} else {
				stack[len(stack)-1].addKid(n)
			}
			if !closed {
				stack = append(stack, n)
			} else if len(stack) == 0 {
				return root, true
			}
		}
		// The text up to the next tag.
		j := strings.IndexByte(p.s[p.i:], '<')
		if j < 0 || len(stack) == 0 {
			return nil, false
		}
		if j > 0 {
			raw := p.s[p.i : p.i+j]
			if strings.Contains(raw, "]]>") {
				return nil, false
			}
			text, ok := unescape(raw)
			if !ok {
				return nil, false
			}
			stack[len(stack)-1].addText(text)
			p.advance(p.i + j)
		}
	}
}

// startTag reads <name attr="value" ...> or <name .../> from '<'.
func (p *scanner) startTag() (n *node, closed, ok bool) {
	p.i++
	name, ok := p.name()
	if !ok {
		return nil, false, false
	}
	first := len(p.attrs)
	var seen attrSet
	for {
		p.space()
		if p.i >= len(p.s) {
			return nil, false, false
		}
		switch p.s[p.i] {
		case '>':
			p.i++
		case '/':
			if p.i+1 >= len(p.s) || p.s[p.i+1] != '>' {
				return nil, false, false
			}
			p.i += 2
			closed = true
		default:
			an, ok := p.name()
			if !ok {
				return nil, false, false
			}
			if seen.add(an) {
				return nil, false, false // reported by the encoding/xml path
			}
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != '=' {
				return nil, false, false
			}
			p.i++
			p.space()
			if p.i >= len(p.s) || (p.s[p.i] != '"' && p.s[p.i] != '\'') {
				return nil, false, false
			}
			q := p.s[p.i]
			end := strings.IndexByte(p.s[p.i+1:], q)
			if end < 0 {
				return nil, false, false
			}
			raw := p.s[p.i+1 : p.i+1+end]
			if strings.IndexByte(raw, '<') >= 0 {
				return nil, false, false
			}
			v, ok := unescape(raw)
			if !ok {
				return nil, false, false
			}
			p.attrs = append(p.attrs, xattr{an, v})
			p.advance(p.i + 2 + end)
			continue
		}
		n = p.newNode(name)
		if len(p.attrs) > first {
			n.attrs = p.attrs[first:len(p.attrs):len(p.attrs)]
		}
		n.line = p.line
		return n, closed, true
	}
}

// unescape decodes the character references of raw and turns \r\n and \r
// into \n, as encoding/xml does; false for a reference it does not take.
func unescape(raw string) (string, bool) {
	if strings.IndexByte(raw, '&') < 0 && strings.IndexByte(raw, '\r') < 0 {
		return raw, true
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case '\r':
			b.WriteByte('\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case '&':
			j := strings.IndexByte(raw[i:], ';')
			if j < 0 {
				return "", false
			}
			r, ok := reference(raw[i+1 : i+j])
			if !ok {
				return "", false
			}
			b.WriteRune(r)
			i += j
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// reference returns the character of &ref; for the predefined entities
// and numeric references to XML characters.
func reference(ref string) (rune, bool) {
	switch ref {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	base, digits := 10, ""
	switch {
	case strings.HasPrefix(ref, "#x"):
		base, digits = 16, ref[2:]
	case strings.HasPrefix(ref, "#"):
		digits = ref[1:]
	default:
		return 0, false
	}
	if digits == "" || len(digits) > 8 {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if !('0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
			return 0, false
		}
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || !inCharacterRange(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// inCharacterRange is XML's Char production.
func inCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}
