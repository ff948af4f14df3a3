package twiml

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

// The schema table is generated from the project's shared TwiML schema. When
// the schema is beside the checkout, the table must be up to date with it.
func TestSchemaTableUpToDate(t *testing.T) {
	const src = "../../shared/spec/twiml-schema.json"
	if _, err := os.Stat(src); err != nil {
		t.Skipf("%s not present: %v", src, err)
	}
	out, err := exec.Command("go", "run", "./internal/schemagen", "-in", src).Output()
	require.NoError(t, err)
	table, err := os.ReadFile("schema_table.go")
	require.NoError(t, err)
	if !bytes.Equal(out, table) {
		t.Fatal("schema_table.go is stale: run go generate ./twiml")
	}
}

func TestSchemaTableShape(t *testing.T) {
	for ch, s := range schemas {
		require.Contains(t, s.elements, "Response", ch)
		for key, e := range s.elements {
			for name, childKey := range e.children {
				child, ok := s.elements[childKey]
				require.True(t, ok, "%s: child %s", key, childKey)
				require.Equal(t, name, child.name)
			}
			for name, a := range e.attrs {
				if a.typ == attrPattern {
					require.NotNil(t, a.pattern, "%s@%s", key, name)
				}
				if a.typ == attrEnum || a.typ == attrEnumList {
					require.NotEmpty(t, a.values, "%s@%s", key, name)
				}
			}
		}
	}
}
