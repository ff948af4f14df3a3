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
	nodes  []node   // the first chunk of nodes (its capacity), kept for reuse
	chunks [][]node // the chunks made past the first, kept until put
	used   int      // how many of chunks are in use
	chunk  []node   // the chunk nodes are taken from
	attrs  []xattr  // the attributes taken, in a first chunk kept for reuse
}

var arenas = sync.Pool{New: func() any { return new(arena) }}

// The most nodes and attributes an arena is made with, and kept with: a
// 64 KB answer has about 1,000 of each.
const (
	maxArenaNodes = 4096
	maxArenaAttrs = 8192
)

// nodeChunk is how many nodes are made at a time past the first chunk.
const nodeChunk = 32

func getArena() *arena { return arenas.Get().(*arena) }

// reserve makes room for nodes and attrs (each at most its bound, so that
// a hostile count cannot make the arena many times the document's size),
// and starts taking nodes from the first chunk.
func (m *arena) reserve(nodes, attrs int) {
	if n := min(nodes, maxArenaNodes); cap(m.nodes) < n {
		m.nodes = make([]node, 0, n)
	}
	if n := min(attrs, maxArenaAttrs); cap(m.attrs) < n {
		m.attrs = make([]xattr, 0, n)
	}
	m.chunk = m.nodes
}

// node returns a new node named name.
func (m *arena) node(name string) *node {
	if len(m.chunk) == cap(m.chunk) {
		if m.used == len(m.chunks) {
			m.chunks = append(m.chunks, make([]node, 0, nodeChunk))
		}
		m.chunk = m.chunks[m.used]
		m.used++
	}
	m.chunk = append(m.chunk, node{name: name})
	return &m.chunk[len(m.chunk)-1]
}

// reset drops the tree the arena holds and takes nodes from its start
// again: the encoding/xml path builds in the memory of a fast path that
// gave up. Only what was used is cleared, so that an arena a large
// document grew costs a small one nothing.
func (m *arena) reset() {
	if m.used == 0 {
		clear(m.chunk) // the nodes taken from the first chunk
	} else {
		clear(m.nodes[:cap(m.nodes)])
		for _, c := range m.chunks[:m.used] {
			clear(c[:cap(c)])
		}
	}
	clear(m.attrs)
	m.nodes, m.attrs, m.chunk, m.used = m.nodes[:0], m.attrs[:0], m.nodes[:0], 0
}

// put clears the arena, so that it keeps no document alive, and returns it
// to the pool, without the chunks past the first, unless it grew past what
// answers need.
func (m *arena) put() {
	if m == nil {
		return
	}
	m.reset()
	m.chunk, m.chunks = nil, nil
	if cap(m.nodes) > maxArenaNodes || cap(m.attrs) > maxArenaAttrs {
		return
	}
	arenas.Put(m)
}

// fastParse returns the tree of src (doc as a string), built in m, which
// has room reserved for it, or false when doc is not in the form the fast
// path handles.
func fastParse(doc []byte, src string, m *arena) (*node, bool) {
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return nil, false // not an XML character
		}
		if c == 0xEF && i+2 < len(doc) && doc[i+1] == 0xBF && doc[i+2] >= 0xBE {
			return nil, false // U+FFFE or U+FFFF
		}
	}
	p := &scanner{s: src, line: 1, m: m}
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
	s    string
	i    int
	line int    // 1 + the newlines before i
	m    *arena // the tree's nodes and attributes
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

// isXMLSpace reports whether c is white space as XML defines it (the S
// production): space, tab, carriage return and line feed, and nothing
// else. Unicode's other spaces (U+00A0, U+2028, U+3000, NEL, ...) are
// characters like any other to XML, and to Twilio's parser.
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

// open is an element whose end tag is still to come, with its last child
// so far and the pieces of its text.
type open struct {
	el, last *node
	text     textBuf
}

// elements reads the root element and everything in it.
func (p *scanner) elements() (*node, bool) {
	var opened [maxDepth]open
	stack := opened[:0]
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
			if !ok || len(stack) == 0 || stack[len(stack)-1].el.name != name {
				return nil, false
			}
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != '>' {
				return nil, false
			}
			p.i++
			top := &stack[len(stack)-1]
			top.text.done(top.el)
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
				top := &stack[len(stack)-1]
				top.el.addKid(n, top.last)
				top.last = n
			}
			if !closed {
				stack = append(stack, open{el: n})
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
			top := &stack[len(stack)-1]
			top.text.add(top.el, text)
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
	first := len(p.m.attrs)
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
			p.m.attrs = append(p.m.attrs, xattr{an, v})
			p.advance(p.i + 2 + end)
			continue
		}
		n = p.m.node(name)
		if a := p.m.attrs; len(a) > first {
			n.attrs = a[first:len(a):len(a)]
		}
		n.line = int32(p.line)
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
