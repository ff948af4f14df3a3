// Package check is the TwiML validator's machinery: the schema table, a
// scanner for plain documents, encoding/xml for the rest, the checker's
// light tree, and the checks. Package twiml is its public face.
//
// Every check is linear in the document, and memory stays a small
// multiple of it: a document over the size limit is not parsed at all,
// and past maxProblems the problems are counted, not written out.
package check

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"

	"github.com/oosc-dev/oosc"
)

// MaxBytes is the largest TwiML body Twilio accepts (error 11750 is
// documented as "64 kB"; whether that is 64,000 or 65,536 bytes is not
// confirmed, so the smaller is used).
const MaxBytes = 64000

// maxDepth bounds element nesting. Real TwiML nests at most six deep
// (Response/Say/prosody/s/w/say-as); the bound keeps hostile input cheap.
const maxDepth = 32

// maxProblems is how many problems a report lists; past it they are
// counted in one last problem, so that a hostile document cannot make a
// report (or the time spent writing messages) grow without bound.
const maxProblems = oosc.MaxProblems

// Options tune a validation. The zero value is strict, with the MaxBytes
// limit.
type Options struct {
	Lenient  bool // problems Twilio only warns about are warnings
	MaxBytes int  // the size limit; 0 means MaxBytes
}

// Bytes validates doc for channel ch.
func Bytes(doc []byte, ch oosc.Channel, o Options) oosc.Report {
	c, ok := newChecker(ch, o)
	if !ok {
		return c.report()
	}
	if root := c.parse(doc); root != nil {
		c.checkTree(root)
	}
	c.mem.put()
	return c.report()
}

// Element validates a builder's tree, whose root is el (nil for an empty
// <Response/>), for channel ch: the schema checks of Bytes without the
// byte-level ones, which a builder's output passes by construction. The
// builders write no line numbers: its problems have line 0.
func Element(el *etree.Element, ch oosc.Channel, o Options) oosc.Report {
	c, ok := newChecker(ch, o)
	if !ok {
		return c.report()
	}
	c.mem = getArena()
	var root *node
	if el == nil {
		c.mem.reserve(1, 0)
		root = c.mem.node("Response")
	} else {
		root = fromEtree(el, c.mem)
	}
	c.checkTree(root)
	c.mem.put()
	return c.report()
}

type checker struct {
	o        Options
	ch       oosc.Channel
	s, other *channelSchema
	problems []oosc.Problem
	dropped  int  // problems past maxProblems, counted only
	errs     bool // whether a dropped problem was an error
	matches  map[matchKey]bool

	slowOnly bool // parse with encoding/xml alone (tests hold the two parsers to one verdict)

	countStack []nameCount // the counts by name of the children of the elements being checked, innermost last
	mem        *arena      // the tree's nodes and attributes, returned when done
}

func newChecker(ch oosc.Channel, o Options) (*checker, bool) {
	c := &checker{o: o, ch: ch}
	if !ch.Valid() {
		c.add(RuleUnknownChannel, "", "", 0, "channel %q is not voice or sms", string(ch))
		return c, false
	}
	c.s, c.other = schemas[ch], schemas[other(ch)]
	return c, true
}

func other(ch oosc.Channel) oosc.Channel {
	if ch == oosc.Voice {
		return oosc.SMS
	}
	return oosc.Voice
}

func (c *checker) report() oosc.Report {
	if c.dropped > 0 {
		sev := oosc.SeverityWarning
		if c.errs {
			sev = oosc.SeverityError
		}
		c.problems = append(c.problems, oosc.Problem{Severity: sev, Rule: RuleTooManyProblems,
			Message: fmt.Sprintf("%d more problems are not listed", c.dropped)})
	}
	return oosc.Report{Problems: c.problems}
}

// severity is the severity of a problem of rule r, by its class and the mode.
func (c *checker) severity(r oosc.Rule) oosc.Severity {
	switch classOf(r) {
	case classSchema, classValue:
		if c.o.Lenient {
			return oosc.SeverityWarning
		}
	case classLint:
		return oosc.SeverityWarning
	}
	return oosc.SeverityError
}

// full reports whether the report has no room for another problem: the
// caller may then skip the work of describing it, counting it with drop.
func (c *checker) full() bool { return len(c.problems) >= maxProblems }

// room reports whether a problem of rule r can be listed. When the report
// is full it counts the problem as dropped and returns false: the checks
// ask before they call addAt, whose message arguments would otherwise be
// made (and allocated, as fmt's arguments are) for nothing, once per
// element of a hostile document.
func (c *checker) room(r oosc.Rule) bool {
	if c.full() {
		c.drop(r)
		return false
	}
	return true
}

// drop counts a problem of rule r that is not listed.
func (c *checker) drop(r oosc.Rule) {
	c.dropped++
	c.errs = c.errs || c.severity(r) == oosc.SeverityError
}

// add records a problem; its severity follows from the rule's class and
// the mode, its Twilio code from the rule.
func (c *checker) add(r oosc.Rule, path, attr string, line int, format string, args ...any) {
	c.addCode(codeOf(r, c.ch), r, path, attr, line, format, args...)
}

// addCode records a problem with the Twilio code it causes.
func (c *checker) addCode(code oosc.Code, r oosc.Rule, path, attr string, line int, format string, args ...any) {
	if c.full() {
		c.drop(r)
		return
	}
	c.problems = append(c.problems, oosc.Problem{
		Severity: c.severity(r), Rule: r, Code: code, Path: path, Attr: attr, Line: line,
		Message: fmt.Sprintf(format, args...),
	})
}

// addAt records a problem of the element at, naming its path.
func (c *checker) addAt(r oosc.Rule, at *node, attr string, line int, format string, args ...any) {
	if c.full() {
		c.drop(r)
		return
	}
	c.add(r, at.path(), attr, line, format, args...)
}

// addCodeAt records a problem of the element at with the Twilio code it causes.
func (c *checker) addCodeAt(code oosc.Code, r oosc.Rule, at *node, attr string, line int, format string, args ...any) {
	if c.full() {
		c.drop(r)
		return
	}
	c.addCode(code, r, at.path(), attr, line, format, args...)
}

func (c *checker) maxBytes() int {
	if c.o.MaxBytes > 0 {
		return c.o.MaxBytes
	}
	return MaxBytes
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// frame is an open element during parsing: its name, its node (nil for
// elements outside the first root, which are checked for well-formedness
// only) and last child so far, its place among its parent's children of
// its name, and where its children's counts start in the parser's stack.
type frame struct {
	name   string
	el     *node
	last   *node
	text   textBuf
	nth    int32
	counts childCounts
	from   int
}

// framePath returns the path of the innermost frame of stack, such as
// /Response/Gather[1]/Say[2]: built when a problem needs it.
func framePath(stack []frame) string {
	var b strings.Builder
	for i, f := range stack {
		b.WriteString("/" + f.name)
		if i > 0 {
			b.WriteString("[" + strconv.Itoa(int(f.nth)) + "]")
		}
	}
	return b.String()
}

// parse runs the byte-level checks and builds the document's tree. It
// returns nil when the bytes are not well-formed enough for the schema
// checks, or too large to be worth parsing: Twilio refuses the document
// whatever else is wrong with it.
func (c *checker) parse(doc []byte) *node {
	limit := c.maxBytes()
	switch {
	case len(doc) > limit:
		c.add(RuleTooLarge, "", "", 0, "document is %d bytes; Twilio accepts at most %d", len(doc), limit)
		return nil
	case len(doc) >= limit*9/10:
		c.add(RuleNearLimit, "", "", 0, "document is %d bytes, near the %d-byte limit", len(doc), limit)
	}
	if !utf8.Valid(doc) {
		c.add(RuleInvalidUTF8, "", "", 0, "document is not valid UTF-8 (first bad byte at offset %d); TwiML must be UTF-8", firstInvalidUTF8(doc))
		return nil
	}
	rest := bytes.TrimPrefix(doc, utf8BOM)
	bom := len(rest) != len(doc)
	trimmed := bytes.TrimLeft(rest, xmlSpace)
	if len(trimmed) == 0 {
		c.add(RuleEmpty, "", "", 0, "document is empty; an empty answer is <Response/>")
		return nil
	}
	if bom {
		c.add(RuleByteOrderMark, "", "", 0, "document starts with a UTF-8 byte order mark; XML allows it, but whether Twilio accepts it is unconfirmed, so leave it out")
	}
	if isDeclaration(trimmed) {
		if len(trimmed) != len(rest) {
			c.add(RuleBeforeDeclaration, "", "", 0, "%d byte(s) of whitespace come before the XML declaration, which must be the very first characters", len(rest)-len(trimmed))
			return nil
		}
		// The declaration is checked here, before either parser: the
		// scanner takes only its plainest form, and encoding/xml lets
		// through much that XML refuses.
		end := bytes.Index(rest, []byte("?>"))
		if end < 0 {
			c.add(RuleMalformed, "", "", 1, "the XML declaration is not closed with ?>")
			return nil
		}
		if msg := checkDeclaration(string(rest[len("<?xml"):end])); msg != "" {
			c.add(RuleMalformed, "", "", 1, "%s", msg)
			return nil
		}
	}

	// One string of the document holds the text of both parsers, and room
	// for every element (each has a '<') and attribute (each an '=') is
	// made once.
	src := string(rest)
	c.mem = getArena()
	c.mem.reserve(strings.Count(src, "<"), strings.Count(src, "="))
	if !c.slowOnly {
		if root, ok := fastParse(rest, src, c.mem); ok {
			return root
		}
		c.mem.reset()
	}
	return c.parseXML(rest, src)
}

// parseXML parses with encoding/xml what the scanner does not take, with
// its messages, and checks what encoding/xml lets through but XML refuses:
// character references to non-characters, processing instructions whose
// target is reserved. src is doc as a string: text that needs no decoding
// is taken from it rather than copied.
func (c *checker) parseXML(doc []byte, src string) *node {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.Strict = true
	var opened [maxDepth]frame
	stack := opened[:0]
	var counts []nameCount // the children's counts of the open elements, innermost last
	var root *node
	rootDone, first := false, true
	for {
		start := d.InputOffset()
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.add(RuleMalformed, "", "", 0, "%s", syntaxMessage(err))
			return nil
		}
		raw := doc[start:d.InputOffset()]
		line, _ := d.InputPos()
		isFirst := first
		first = false
		switch t := tok.(type) {
		case xml.ProcInst:
			if t.Target == "xml" && isFirst && start == 0 {
				continue // checked in parse
			}
			if strings.EqualFold(t.Target, "xml") {
				switch {
				case t.Target != "xml":
					c.add(RuleMalformed, "", "", line, "processing instruction target %q is reserved by XML", t.Target)
				case rootDone:
					c.add(RuleAfterRoot, "", "", line, "an XML declaration after the root element")
				default:
					c.add(RuleMalformed, "", "", line, "the XML declaration must come first")
				}
				return nil
			}
			c.add(RuleProcInst, "", "", line, "processing instruction <?%s?> is ignored by Twilio", t.Target)
		case xml.Directive:
			c.add(RuleDoctype, "", "", line, "directive <!%s> is not allowed in TwiML", firstWord(t))
		case xml.Comment:
			// Comments are allowed anywhere and ignored.
		case xml.CharData:
			if !bytes.HasPrefix(raw, []byte("<![CDATA[")) {
				if msg := badReference(raw); msg != "" {
					c.add(RuleMalformed, "", "", line, "%s", msg)
					return nil
				}
			}
			if len(stack) == 0 {
				// Only XML's white space may come around the root: no-break
				// and other Unicode spaces are text (12100).
				if text := bytes.Trim(t, xmlSpace); len(text) != 0 {
					if rootDone {
						c.add(RuleAfterRoot, "", "", line, "text %q after the root element; only white space (space, tab, CR, LF) and comments may follow it", clip(string(text)))
					} else {
						c.add(RuleMalformed, "", "", line, "text %q before the root element; only white space (space, tab, CR, LF) and comments may come before it", clip(string(text)))
						return nil
					}
				}
				continue
			}
			if top := &stack[len(stack)-1]; top.el != nil {
				if bytes.Equal(raw, t) { // nothing decoded: share the document's string
					top.text.add(top.el, src[start:d.InputOffset()])
				} else {
					top.text.add(top.el, string(t))
				}
			}
		case xml.StartElement:
			if msg := badReference(raw); msg != "" {
				c.add(RuleMalformed, "", "", line, "%s", msg)
				return nil
			}
			if len(stack) >= maxDepth {
				c.add(RuleMalformed, "", "", line, "elements nest deeper than %d levels", maxDepth)
				return nil
			}
			name := qname(t.Name)
			f := frame{name: name, from: len(counts)}
			switch {
			case len(stack) == 0 && rootDone:
				c.add(RuleAfterRoot, "/"+name, "", line, "a second root element <%s>; a document has one <Response>", name)
			case len(stack) == 0:
				root = c.mem.node(name)
				f.el = root
			default:
				parent := &stack[len(stack)-1]
				f.nth = int32(parent.counts.next(&counts, parent.from, name))
				f.from = len(counts)
				if parent.el != nil {
					f.el = c.mem.node(name)
					parent.el.addKid(f.el, parent.last)
					parent.last = f.el
				}
			}
			stack = append(stack, f)
			var seen attrSet
			firstAttr := len(c.mem.attrs)
			for _, a := range t.Attr {
				an := qname(a.Name)
				if seen.add(an) {
					c.add(RuleDuplicateAttribute, framePath(stack), an, line, "attribute %s appears more than once on <%s>", an, name)
					continue
				}
				if f.el != nil {
					c.mem.attrs = append(c.mem.attrs, xattr{an, a.Value})
				}
			}
			if f.el != nil {
				if len(c.mem.attrs) > firstAttr {
					f.el.attrs = c.mem.attrs[firstAttr:len(c.mem.attrs):len(c.mem.attrs)]
				}
				f.el.line = int32(line)
			}
		case xml.EndElement:
			name := qname(t.Name)
			if len(stack) == 0 {
				c.add(RuleMalformed, "", "", line, "end tag </%s> without a start tag", name)
				return nil
			}
			top := &stack[len(stack)-1]
			if top.name != name {
				c.add(RuleMalformed, framePath(stack), "", line, "end tag </%s> does not match <%s>; names are case-sensitive", name, top.name)
				return nil
			}
			if top.el != nil {
				top.text.done(top.el)
			}
			counts = counts[:top.from]
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				rootDone = true
			}
		}
	}
	if len(stack) > 0 {
		c.add(RuleMalformed, framePath(stack), "", 0, "element <%s> is not closed", stack[len(stack)-1].name)
		return nil
	}
	if root == nil {
		c.add(RuleEmpty, "", "", 0, "document has no root element; an empty answer is <Response/>")
		return nil
	}
	return root
}

// attrSet finds repeated attribute names in time linear in their number:
// an array while the element has few, a map past that. A zero attrSet is
// empty and lives on its user's stack.
type attrSet struct {
	few  [16]string
	n    int
	many map[string]bool
}

// add adds name and reports whether it was there already.
func (s *attrSet) add(name string) bool {
	if s.many != nil {
		if s.many[name] {
			return true
		}
		s.many[name] = true
		return false
	}
	for _, n := range s.few[:s.n] {
		if n == name {
			return true
		}
	}
	if s.n < len(s.few) {
		s.few[s.n] = name
		s.n++
		return false
	}
	s.many = make(map[string]bool, 2*len(s.few))
	for _, n := range s.few {
		s.many[n] = true
	}
	s.many[name] = true
	return false
}

// badReference checks the character references of raw markup or text:
// each must name an XML character, which encoding/xml does not check. It
// returns what is wrong, or "".
func badReference(raw []byte) string {
	for i := bytes.Index(raw, []byte("&#")); i >= 0; {
		end := bytes.IndexByte(raw[i:], ';')
		if end < 0 {
			return "" // encoding/xml has refused it already
		}
		ref := string(raw[i+1 : i+end])
		if _, ok := reference(ref); !ok {
			return fmt.Sprintf("character reference &%s; does not name an XML character", clip(ref))
		}
		next := bytes.Index(raw[i+end:], []byte("&#"))
		if next < 0 {
			break
		}
		i += end + next
	}
	return ""
}

func isDeclaration(b []byte) bool {
	return len(b) > 5 && string(b[:5]) == "<?xml" && (b[5] == ' ' || b[5] == '\t' || b[5] == '\r' || b[5] == '\n' || b[5] == '?')
}

// checkDeclaration checks what follows "<?xml" in an XML declaration, up
// to "?>", against XML's grammar: version first, then an optional
// encoding, then an optional standalone, each after white space, each
// once; version 1.0; encoding UTF-8 in any case, the only one TwiML takes;
// standalone yes or no. It returns what is wrong, or "".
func checkDeclaration(s string) string {
	order := []string{"version", "encoding", "standalone"}
	next := 0
	for {
		rest := strings.TrimLeft(s, " \t\r\n")
		if rest == "" {
			break
		}
		if len(rest) == len(s) {
			return "the XML declaration needs white space before " + strconv.Quote(clip(rest))
		}
		eq := strings.IndexByte(rest, '=')
		if eq < 0 {
			return fmt.Sprintf("the XML declaration has %q where it needs name=\"value\"", clip(rest))
		}
		name := strings.TrimRight(rest[:eq], " \t\r\n")
		val := strings.TrimLeft(rest[eq+1:], " \t\r\n")
		if val == "" || (val[0] != '"' && val[0] != '\'') {
			return fmt.Sprintf("the XML declaration's %s needs a quoted value", clip(name))
		}
		end := strings.IndexByte(val[1:], val[0])
		if end < 0 {
			return fmt.Sprintf("the XML declaration's %s value is not closed", clip(name))
		}
		v := val[1 : 1+end]
		s = val[2+end:]
		at := -1
		for i, n := range order {
			if n == name {
				at = i
			}
		}
		switch {
		case at < 0:
			return fmt.Sprintf("the XML declaration has %q; it takes only version, encoding and standalone", clip(name))
		case at < next:
			return fmt.Sprintf("the XML declaration has %s out of place: version, then encoding, then standalone, each once", name)
		case next == 0 && at != 0:
			return "the XML declaration has no version; it must begin with version=\"1.0\""
		}
		next = at + 1
		switch name {
		case "version":
			if v != "1.0" {
				return fmt.Sprintf("XML version %q is not supported; use 1.0", clip(v))
			}
		case "encoding":
			if !strings.EqualFold(v, "UTF-8") {
				return fmt.Sprintf("encoding %q is not supported: TwiML must be UTF-8; save the document as UTF-8 and declare encoding=\"UTF-8\", or leave the encoding out", clip(v))
			}
		case "standalone":
			if v != "yes" && v != "no" {
				return fmt.Sprintf("standalone=%q is not allowed; use yes or no", clip(v))
			}
		}
	}
	if next == 0 {
		return "the XML declaration has no version"
	}
	return ""
}

func syntaxMessage(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("XML syntax error on line %d: %s", se.Line, se.Msg)
	}
	return strings.TrimPrefix(err.Error(), "xml: ")
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func firstWord(b []byte) string {
	s := string(b)
	if i := strings.IndexAny(s, " \t\r\n["); i >= 0 {
		s = s[:i]
	}
	return clip(s)
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// clip shortens s for a message.
func clip(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return string(r[:max]) + "…"
}
