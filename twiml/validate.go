package twiml

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
)

// MaxDocumentBytes is the largest TwiML body Twilio accepts (error 11750 is
// documented as "64 kB"; whether that is 64,000 or 65,536 bytes is not
// confirmed, so the smaller is used).
const MaxDocumentBytes = 64000

// maxDepth bounds element nesting. Real TwiML nests at most six deep
// (Response/Say/prosody/s/w/say-as); the bound keeps hostile input cheap.
const maxDepth = 32

// Validator validates TwiML documents. Its zero value is ready to use and
// validates in strict mode with the [MaxDocumentBytes] size limit.
type Validator struct {
	// Lenient turns problems Twilio only warns about (12200 schema warnings,
	// 13xxx/14xxx value warnings) into warnings. Problems that make Twilio
	// refuse the document (parse failure, wrong root, size) and verbs of the
	// other channel stay errors. Default: false (strict).
	Lenient bool
	// MaxBytes is the size limit of a document. Default (0): MaxDocumentBytes.
	MaxBytes int
}

// Validate validates doc, a TwiML document as bytes, for channel ch in
// strict mode. It is Validator{}.Validate.
func Validate(doc []byte, ch Channel) Report { return Validator{}.Validate(doc, ch) }

// Validate validates doc, a TwiML document as bytes, for channel ch. Besides
// the schema it checks what an XML parser lets through: bytes before the XML
// declaration, UTF-8, mismatched or unclosed tags, duplicate attributes,
// anything after the root element, directives, and the size limit.
func (v Validator) Validate(doc []byte, ch Channel) Report {
	c, ok := v.newChecker(ch)
	if !ok {
		return c.report()
	}
	if root := c.parse(doc, true); root != nil {
		c.checkTree(root)
	}
	c.mem.put()
	return c.report()
}

// validateTree validates a built etree tree for channel ch: the schema
// checks of [Validator.Validate] without the byte-level ones, which a
// builder's output passes by construction.
func (v Validator) validateTree(doc *etree.Document, ch Channel) Report {
	c, ok := v.newChecker(ch)
	if !ok {
		return c.report()
	}
	if doc == nil {
		c.add(CodeEmpty, "", "", 0, "no document")
		return c.report()
	}
	var root *node
	if el := doc.Root(); el != nil {
		c.mem = getArena()
		root = fromEtree(el, c.mem)
	}
	c.checkTree(root)
	c.mem.put()
	return c.report()
}

type checker struct {
	v        Validator
	ch       Channel
	s, other *channelSchema
	problems []Problem
	matches  map[matchKey]bool // see match

	kidStack   []kid       // the kids of the elements being checked, innermost last
	countStack []nameCount // their children's counts by name, likewise
	mem        *arena      // the fast path's nodes and attributes, returned when done
}

func (v Validator) newChecker(ch Channel) (*checker, bool) {
	c := &checker{v: v, ch: ch}
	if !ch.Valid() {
		c.add(CodeUnknownChannel, "", "", 0, "channel %q is not voice or messaging", string(ch))
		return c, false
	}
	c.s, c.other = schemas[ch], schemas[ch.other()]
	return c, true
}

func (c *checker) report() Report {
	return Report{Channel: c.ch, Problems: c.problems}
}

// add records a problem; its severity follows from the code's class and the mode.
func (c *checker) add(code Code, path, attr string, line int, format string, args ...any) {
	sev := Error
	switch code.class() {
	case classSchema, classValue:
		if c.v.Lenient {
			sev = Warning
		}
	case classLint:
		sev = Warning
	}
	c.problems = append(c.problems, Problem{
		Severity: sev, Code: code, Path: path, Attr: attr, Line: line,
		Message: fmt.Sprintf(format, args...),
	})
}

// addAt records a problem of the element at, naming its path.
func (c *checker) addAt(code Code, at *node, attr string, line int, format string, args ...any) {
	c.add(code, at.path(), attr, line, format, args...)
}

func (c *checker) maxBytes() int {
	if c.v.MaxBytes > 0 {
		return c.v.MaxBytes
	}
	return MaxDocumentBytes
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// frame is an open element during parsing. el is nil for elements outside
// the first root, which are checked for well-formedness only.
type frame struct {
	name   string
	el     *node
	path   string
	counts map[string]int
}

func (f *frame) childPath(name string) string {
	if f.counts == nil {
		f.counts = map[string]int{}
	}
	f.counts[name]++
	return f.path + "/" + name + "[" + strconv.Itoa(f.counts[name]) + "]"
}

// parse runs the byte-level checks and builds the document's tree. It
// returns nil when the bytes are not well-formed enough for the schema
// checks. fast tries the fast path (scan.go) before encoding/xml.
func (c *checker) parse(doc []byte, fast bool) *node {
	limit := c.maxBytes()
	switch {
	case len(doc) > limit:
		c.add(CodeTooLarge, "", "", 0, "document is %d bytes; Twilio accepts at most %d (11750)", len(doc), limit)
	case len(doc) >= limit*9/10:
		c.add(CodeNearLimit, "", "", 0, "document is %d bytes, near the %d-byte limit", len(doc), limit)
	}
	if !utf8.Valid(doc) {
		c.add(CodeInvalidUTF8, "", "", 0, "document is not valid UTF-8 (first bad byte at offset %d); TwiML must be UTF-8", firstInvalidUTF8(doc))
		return nil
	}
	rest := bytes.TrimPrefix(doc, utf8BOM)
	bom := len(rest) != len(doc)
	trimmed := bytes.TrimLeft(rest, " \t\r\n")
	if len(trimmed) == 0 {
		c.add(CodeEmpty, "", "", 0, "document is empty; an empty answer is <Response/>")
		return nil
	}
	if isDeclaration(trimmed) && len(trimmed) != len(doc) {
		c.add(CodeBeforeDeclaration, "", "", 0, "%d byte(s) (%s) come before the XML declaration, which must be the very first bytes (12100)", len(doc)-len(trimmed), describeLeading(doc[:len(doc)-len(trimmed)]))
	} else if bom {
		c.add(CodeByteOrderMark, "", "", 0, "document starts with a UTF-8 byte order mark; whether Twilio accepts it is unconfirmed, so leave it out")
	}

	if fast {
		c.mem = getArena()
		if root, ok := fastParse(rest, c.mem); ok {
			return root
		}
	}
	// The BOM was reported above; the XML decoder would take it for text.
	d := xml.NewDecoder(bytes.NewReader(rest))
	d.Strict = true
	var stack []*frame
	var root *node
	rootDone, declOK := false, true
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			c.add(CodeMalformed, "", "", 0, "%s (12100)", syntaxMessage(err))
			return nil
		}
		line, _ := d.InputPos()
		// The declaration may only follow whitespace, which was reported above.
		wasDeclOK := declOK
		declOK = false
		switch t := tok.(type) {
		case xml.ProcInst:
			if t.Target == "xml" {
				if !wasDeclOK {
					if rootDone {
						c.add(CodeAfterRoot, "", "", line, "an XML declaration after the root element")
					} else {
						c.add(CodeMalformed, "", "", line, "the XML declaration must come first (12100)")
					}
					return nil
				}
				if msg := checkDeclaration(t.Inst); msg != "" {
					c.add(CodeMalformed, "", "", line, "%s (12100)", msg)
					return nil
				}
				continue
			}
			c.add(CodeProcInst, "", "", line, "processing instruction <?%s?> is ignored by Twilio", t.Target)
		case xml.Directive:
			c.add(CodeDoctype, "", "", line, "directive <!%s> is not allowed in TwiML", firstWord(t))
		case xml.Comment:
			// Comments are allowed anywhere and ignored.
		case xml.CharData:
			if len(stack) == 0 {
				if len(bytes.TrimSpace(t)) == 0 {
					declOK = wasDeclOK
				} else {
					if rootDone {
						c.add(CodeAfterRoot, "", "", line, "text %q after the root element", clip(string(bytes.TrimSpace(t))))
					} else {
						c.add(CodeMalformed, "", "", line, "text %q before the root element (12100)", clip(string(bytes.TrimSpace(t))))
						return nil
					}
				}
				continue
			}
			if top := stack[len(stack)-1]; top.el != nil {
				top.el.addText(string(t))
			}
		case xml.StartElement:
			if len(stack) >= maxDepth {
				c.add(CodeMalformed, "", "", line, "elements nest deeper than %d levels", maxDepth)
				return nil
			}
			name := qname(t.Name)
			f := &frame{name: name}
			switch {
			case len(stack) == 0 && rootDone:
				c.add(CodeAfterRoot, "/"+name, "", line, "a second root element <%s>; a document has one <Response>", name)
				f.path = "/" + name
			case len(stack) == 0:
				root = &node{name: name}
				f.el, f.path = root, "/"+name
			default:
				parent := stack[len(stack)-1]
				f.path = parent.childPath(name)
				if parent.el != nil {
					f.el = &node{name: name}
					parent.el.addKid(f.el)
				}
			}
			for i, a := range t.Attr {
				an := qname(a.Name)
				if dupAttr(t.Attr[:i], an) {
					c.add(CodeDuplicateAttribute, f.path, an, line, "attribute %s appears more than once on <%s>", an, name)
					continue
				}
				if f.el != nil {
					f.el.attrs = append(f.el.attrs, xattr{an, a.Value})
				}
			}
			if f.el != nil {
				f.el.line = line
			}
			stack = append(stack, f)
		case xml.EndElement:
			name := qname(t.Name)
			if len(stack) == 0 {
				c.add(CodeMalformed, "", "", line, "end tag </%s> without a start tag (12100)", name)
				return nil
			}
			top := stack[len(stack)-1]
			if top.name != name {
				c.add(CodeMalformed, top.path, "", line, "end tag </%s> does not match <%s>; names are case-sensitive (12100)", name, top.name)
				return nil
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				rootDone = true
			}
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		c.add(CodeMalformed, top.path, "", 0, "element <%s> is not closed (12100)", top.name)
		return nil
	}
	if root == nil {
		c.add(CodeEmpty, "", "", 0, "document has no root element; an empty answer is <Response/>")
		return nil
	}
	return root
}

func isDeclaration(b []byte) bool {
	return len(b) > 5 && string(b[:5]) == "<?xml" && (b[5] == ' ' || b[5] == '\t' || b[5] == '\r' || b[5] == '\n' || b[5] == '?')
}

func describeLeading(b []byte) string {
	var parts []string
	if bytes.HasPrefix(b, utf8BOM) {
		parts = append(parts, "a byte order mark")
		b = b[len(utf8BOM):]
	}
	if len(b) > 0 {
		parts = append(parts, "whitespace")
	}
	return strings.Join(parts, " and ")
}

// checkDeclaration checks the version and encoding of an XML declaration.
func checkDeclaration(inst []byte) string {
	s := string(inst)
	if v, ok := pseudoAttr(s, "version"); !ok || v != "1.0" {
		if !ok {
			return "the XML declaration has no version"
		}
		return fmt.Sprintf("XML version %q is not supported; use 1.0", v)
	}
	if enc, ok := pseudoAttr(s, "encoding"); ok && !strings.EqualFold(enc, "UTF-8") {
		return fmt.Sprintf("encoding %q is not supported; TwiML must be UTF-8", enc)
	}
	return ""
}

// pseudoAttr returns the value of name="value" in an XML declaration.
func pseudoAttr(s, name string) (string, bool) {
	for s != "" {
		s = strings.TrimLeft(s, " \t\r\n")
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return "", false
		}
		key := strings.TrimSpace(s[:eq])
		s = strings.TrimLeft(s[eq+1:], " \t\r\n")
		if s == "" || (s[0] != '"' && s[0] != '\'') {
			return "", false
		}
		end := strings.IndexByte(s[1:], s[0])
		if end < 0 {
			return "", false
		}
		val := s[1 : 1+end]
		s = s[2+end:]
		if key == name {
			return val, true
		}
	}
	return "", false
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

func dupAttr(prev []xml.Attr, name string) bool {
	for _, a := range prev {
		if qname(a.Name) == name {
			return true
		}
	}
	return false
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
