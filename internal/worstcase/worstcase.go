// Package worstcase makes the inputs that cost a validator most per byte:
// TwiML and JSON documents of a chosen size in each hostile shape found by
// attacks (many attributes, many elements, text cut by comments, deep
// nesting, character references, many problems). Benchmarks and tests use
// them to show that cost grows linearly with size.
package worstcase

import (
	"strconv"
	"strings"
)

// AllocBound is the most a validator (twiml.Validate, autocreate's parse,
// judge.Body) may allocate per byte of a document just under the 64 KB
// limit, whatever its shape and channel, with no memory pooled from an
// earlier validation: the bound the README states and the memory tests
// enforce. The worst shapes are documents of minimal elements (<a/>) that
// encoding/xml must parse, about 52x: encoding/xml allocates two tokens
// per element (96 bytes, 24x the element), and the checker's tree one
// node (96 bytes).
const AllocBound = 64

// Shape is one way of building a document of about n bytes.
type Shape struct {
	Name string
	Make func(n int) []byte
}

// repeat builds head + unit×k + tail, with k so that the whole is about n
// bytes; unit may use the index i.
func repeat(n int, head, tail string, unit func(i int) string) []byte {
	var b strings.Builder
	b.Grow(n + 64)
	b.WriteString(head)
	for i := 0; b.Len() < n-len(tail); i++ {
		b.WriteString(unit(i))
	}
	b.WriteString(tail)
	return []byte(b.String())
}

func constant(s string) func(int) string { return func(int) string { return s } }

// TwiML are the hostile TwiML shapes.
var TwiML = []Shape{
	{"attributes", func(n int) []byte {
		return repeat(n, "<Response><Say", ">hi</Say></Response>", func(i int) string { return " a" + strconv.Itoa(i) + `="x"` })
	}},
	{"duplicate-attributes", func(n int) []byte {
		return repeat(n, "<Response><Say", ">hi</Say></Response>", constant(` voice="alice"`))
	}},
	{"elements", func(n int) []byte {
		return repeat(n, "<Response>", "</Response>", constant("<Pause/>"))
	}},
	{"comment-cut-text", func(n int) []byte {
		return repeat(n, "<Response><Say>", "</Say></Response>", constant("a<!---->"))
	}},
	{"character-references", func(n int) []byte {
		return repeat(n, "<Response><Say>", "</Say></Response>", constant("&#x41;"))
	}},
	{"nesting", func(n int) []byte {
		depth := max(1, (n-21)/17)
		return []byte("<Response>" + strings.Repeat("<Gather>", depth) + strings.Repeat("</Gather>", depth) + "</Response>")
	}},
	{"unknown-elements", func(n int) []byte {
		return repeat(n, "<Response>", "</Response>", func(i int) string { return "<Bogus" + strconv.Itoa(i) + "/>" })
	}},
	{"unclosed", func(n int) []byte { // well-formed to its last bytes: the fast path gives up at the end
		return repeat(n, "<Response>", "<Say", constant("<Say>a</Say>"))
	}},
	{"minimal-elements", func(n int) []byte { // the most elements a size holds
		return repeat(n, "<Response>", "</Response>", constant("<a/>"))
	}},
	{"minimal-elements-unclosed", func(n int) []byte { // the fast path builds them all, then encoding/xml parses them
		return repeat(n, "<Response>", "<a", constant("<a/>"))
	}},
	{"cdata-then-minimal-elements", func(n int) []byte { // encoding/xml parses and builds them all
		return repeat(n, "<Response><![CDATA[]]>", "</Response>", constant("<a/>"))
	}},
}

// JSON are the hostile auto-create JSON shapes.
var JSON = []Shape{
	{"keys", func(n int) []byte {
		return repeat(n, `{"participantIdentifier":"+14155550123"`, "}", func(i int) string { return `,"k` + strconv.Itoa(i) + `":1` })
	}},
	{"duplicate-keys", func(n int) []byte {
		return repeat(n, `{"participantIdentifier":"+14155550123"`, "}", constant(`,"ttl":60`))
	}},
	{"nesting", func(n int) []byte {
		depth := max(1, (n-40)/2)
		return []byte(`{"participantIdentifier":"+14155550123","x":` + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "}")
	}},
	{"long-string", func(n int) []byte {
		return repeat(n, `{"participantIdentifier":"+14155550123","uniqueName":"`, `"}`, constant("x"))
	}},
	{"escapes", func(n int) []byte {
		return repeat(n, `{"participantIdentifier":"+14155550123","uniqueName":"`, `"}`, constant(`\u0041`))
	}},
}
