package twiml_test

import (
	"bufio"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc"
	"github.com/oosc-dev/oosc/twiml"
)

// justified reads a list of items, one per line, each with why after sep;
// blank lines and # comments aside. An item without a reason or listed
// twice fails the test.
func justified(t *testing.T, file, sep string) map[string]string {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	list := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		item, why, ok := strings.Cut(line, sep)
		require.True(t, ok && strings.TrimSpace(why) != "", "%s: %q: write ITEM%sWHY", file, line, sep)
		_, dup := list[item]
		require.False(t, dup, "%s lists %s twice", file, item)
		list[item] = why
	}
	require.NoError(t, sc.Err())
	return list
}

// corpusIndex returns the corpus files the index justifies, each with why.
func corpusIndex(t *testing.T) map[string]string {
	return justified(t, filepath.Join(corpusDir, "index.txt"), "  # ")
}

// Every corpus document is justified by a line of index.txt, and every
// line names a document that exists.
func TestCorpusIndexed(t *testing.T) {
	index := corpusIndex(t)
	var files []string
	for _, pattern := range []string{"valid/*/*.xml", "invalid/*/*.xml"} {
		files = append(files, corpus(t, pattern)...)
	}
	var unjustified []string
	for _, f := range files {
		rel, err := filepath.Rel(corpusDir, f)
		require.NoError(t, err)
		rel = filepath.ToSlash(rel)
		if _, ok := index[rel]; !ok {
			unjustified = append(unjustified, rel)
		}
		delete(index, rel)
	}
	assert.Empty(t, unjustified, "index.txt does not say where these come from")
	for file := range index {
		t.Errorf("index.txt lists %s, which does not exist", file)
	}
}

// notInCorpus is what the schema has and no valid document can show.
var notInCorpus = map[string]string{
	"voice Response@version": "legacy: Twilio raises 12101 for a bad value and documents no good one",
}

// The valid corpus uses every element and attribute of the schema at least
// once, so that each is known to pass as Twilio's docs write it.
func TestCorpusCoversTheSchema(t *testing.T) {
	for _, ch := range oosc.Channels() {
		used := map[string]map[string]bool{}
		for _, dir := range []string{string(ch), "both"} {
			for _, f := range corpus(t, "valid/"+dir+"/*.xml") {
				doc, err := os.ReadFile(f)
				require.NoError(t, err)
				for el, attrs := range written(t, doc) {
					if used[el] == nil {
						used[el] = map[string]bool{}
					}
					for a := range attrs {
						used[el][a] = true
					}
				}
			}
		}
		var missing []string
		for el, attrs := range schemaNames(t, string(ch)) {
			if used[el] == nil {
				missing = append(missing, el)
				continue
			}
			for a := range attrs {
				if _, ok := notInCorpus[string(ch)+" "+el+"@"+a]; !ok && !used[el][a] {
					missing = append(missing, el+"@"+a)
				}
			}
		}
		sort.Strings(missing)
		assert.Empty(t, missing, "%s: no valid corpus document uses these", ch)
	}
}

// Every rule of the validator has a corpus document that breaks it: an
// invalid/CODE--name.xml for each rule that refuses, and a valid document
// that draws the warning for each rule that only warns.
func TestCorpusBreaksEveryRule(t *testing.T) {
	shown := map[oosc.Rule]bool{}
	for _, f := range corpus(t, "invalid/*/*.xml") {
		code, _, _ := strings.Cut(filepath.Base(f), "--")
		shown[oosc.Rule(code)] = true
	}
	for _, dir := range []string{"voice", "sms", "both"} {
		for _, f := range corpus(t, "valid/"+dir+"/*.xml") {
			doc, err := os.ReadFile(f)
			require.NoError(t, err)
			for _, ch := range oosc.Channels() {
				if dir == "both" || dir == string(ch) {
					for _, p := range twiml.Validate(doc, ch).Warnings() {
						shown[p.Rule] = true
					}
				}
			}
		}
	}
	var missing []oosc.Rule
	for _, c := range problemCodes(t) {
		if !shown[c] && c != twiml.RuleUnknownChannel {
			missing = append(missing, c)
		}
	}
	assert.Empty(t, missing, "no corpus document breaks these rules")
}

// problemCodes returns the values of the rule constants of the
// validator's rules.go.
func problemCodes(t *testing.T) []oosc.Rule {
	f, err := parser.ParseFile(token.NewFileSet(), filepath.Join("internal", "check", "rules.go"), nil, 0)
	require.NoError(t, err)
	var codes []oosc.Rule
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			v := spec.(*ast.ValueSpec)
			if sel, ok := v.Type.(*ast.SelectorExpr); !ok || sel.Sel.Name != "Rule" {
				continue
			}
			for _, val := range v.Values {
				lit, ok := val.(*ast.BasicLit)
				require.True(t, ok, "a Rule constant that is not a string literal")
				s, err := strconv.Unquote(lit.Value)
				require.NoError(t, err)
				codes = append(codes, oosc.Rule(s))
			}
		}
	}
	require.Greater(t, len(codes), 30, "rules.go's Rule constants were not found")
	return codes
}
