package check

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"

	"github.com/oosc-dev/oosc"
)

// corpus is the module's TwiML corpus, from this directory.
var corpus = filepath.Join("..", "..", "..", "testdata", "twiml")

// validateBoth validates doc for ch with the fast path allowed and with
// encoding/xml alone.
func validateBoth(doc []byte, ch oosc.Channel, lenient bool) (fast, slow oosc.Report) {
	run := func(allowFast bool) oosc.Report {
		c, _ := newChecker(ch, Options{Lenient: lenient})
		c.slowOnly = !allowFast
		if root := c.parse(doc); root != nil {
			c.checkTree(root)
		}
		return c.report()
	}
	return run(true), run(false)
}

// FuzzFastParse: the fast path and encoding/xml build the same tree for
// every document the fast path takes, and validation gives the same report
// either way, problems, paths, lines and messages included.
func FuzzFastParse(f *testing.F) {
	for _, pattern := range []string{"valid/*/*.xml", "invalid/*/*.xml"} {
		files, _ := filepath.Glob(filepath.Join(corpus, pattern))
		for _, file := range files {
			if b, err := os.ReadFile(file); err == nil && len(b) < 4096 {
				f.Add(b)
			}
		}
	}
	for _, s := range []string{
		"<Response><Say>a &amp; b &#x41;&#66; &lt;&gt;&quot;&apos;</Say></Response>",
		"<Response>\r\n<Say loop=\"2\"\r\nvoice='man'>x\ry</Say></Response>",
		"<Response><Say a=\"1\"b=\"2\">x</Say></Response>",
		"<Response><!-- a - b --><Hangup/></Response><!-- end -->",
		"<Response><Say>&#0;</Say></Response>", "<Response><Say>&#xD800;</Say></Response>",
		"<Response><Say>]]></Say></Response>", "<Response><Say>&foo;</Say></Response>",
		"<?xml version='1.0' encoding='utf-8' standalone='yes'?><Response/>",
		"<Response><a:b:c/></Response>", "<Response><Say x:y='1'>z</Say></Response>",
		"<Response><Say voice=\"a>b\" loop = '2' >x > y</Say ></Response >",
		"<Response><Gather><Say>1</Say>tail<!--c-->more<Play>u</Play></Gather></Response>",
		"<Response><Say>&#x1F600; &#128512; &#xFFFE; &#65;&#X41;</Say></Response>",
		"\n\n<Response/>\n<!-- after -->\n", "<Response><Say>a\r\n\rb</Say></Response>",
		"\u00a0<Response/>", "<Response/>\u2028", "<?xml version=\"1.0\"?>\u0085<Response/>",
		"<Response><Say>\u3000<!-- c -->\u1680</Say><Pause/><a/><Say>x<w/>y<!---->z</Say></Response>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		cf, _ := newChecker(oosc.Voice, Options{})
		cs, _ := newChecker(oosc.Voice, Options{})
		cs.slowOnly = true
		fastRoot, slowRoot := cf.parse(doc), cs.parse(doc)
		if !reflect.DeepEqual(fastRoot, slowRoot) || !reflect.DeepEqual(cf.problems, cs.problems) {
			t.Fatalf("two parses of %q:\nfast %#v %v\nslow %#v %v", doc, fastRoot, cf.problems, slowRoot, cs.problems)
		}
		for _, ch := range oosc.Channels() {
			for _, lenient := range []bool{false, true} {
				fast, slow := validateBoth(doc, ch, lenient)
				if !reflect.DeepEqual(fast, slow) {
					t.Fatalf("%q (%s, lenient %v):\nfast %v\nslow %v", doc, ch, lenient, fast.Problems, slow.Problems)
				}
			}
		}
	})
}

// The fast path takes the documents of the corpus that are in the plain
// form, so that it is the one the benchmarks and the handler exercise.
func TestFastPathTakesPlainDocuments(t *testing.T) {
	for _, doc := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><Response><Say voice="Polly.Joanna">Hi &amp; bye</Say><Hangup/></Response>`,
		"<!-- note -->\n<Response>\n  <Message>Hi</Message>\n</Response>\n",
	} {
		if _, ok := fastParse([]byte(doc), doc, getArena()); !ok {
			t.Errorf("the fast path gave up on %q", doc)
		}
	}
}

// Validations running at once share the pooled arenas without mixing
// documents: each gets the report it gets alone.
func TestConcurrentValidationsKeepTheirOwnTrees(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(corpus, "*", "*", "*.xml"))
	if len(files) < 50 {
		t.Fatalf("corpus not found: %d files", len(files))
	}
	docs := make([][]byte, len(files))
	want := make([]oosc.Report, len(files))
	for i, f := range files {
		docs[i], _ = os.ReadFile(f)
		want[i] = Bytes(docs[i], oosc.Voice, Options{})
	}
	done := make(chan error, 8)
	for w := 0; w < 8; w++ {
		go func(w int) {
			for round := 0; round < 20; round++ {
				for i := range docs {
					j := (i + w*7 + round) % len(docs)
					if got := Bytes(docs[j], oosc.Voice, Options{}); !reflect.DeepEqual(got, want[j]) {
						done <- fmt.Errorf("%s: %v, alone %v", files[j], got.Problems, want[j].Problems)
						return
					}
				}
			}
			done <- nil
		}(w)
	}
	for w := 0; w < 8; w++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

// A hostile document cannot make the fast path allocate many times its
// size: a megabyte of '<' gets its verdict with memory of the order of the
// document, not one node per '<'.
func TestHostileDocumentBoundsTheArena(t *testing.T) {
	doc := bytes.Repeat([]byte("<"), 1<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r := Bytes(doc, oosc.Voice, Options{})
	runtime.ReadMemStats(&after)
	if r.Valid() || !r.Has(RuleTooLarge) {
		t.Fatalf("want too-large and invalid, got %v", r.Problems)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Fatalf("validating 1 MiB of '<' allocated %d MiB", grew>>20)
	}
}
