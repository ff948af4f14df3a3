package check

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/require"
)

// The schema table is generated from twiml-schema.json, the module's copy
// of the project's TwiML schema, and must be up to date with it.
func TestSchemaTableUpToDate(t *testing.T) {
	const src = "twiml-schema.json"
	_, err := os.Stat(src)
	require.NoError(t, err, "the schema is part of the module")
	out, err := exec.Command("go", "run", "./schemagen", "-in", src).Output()
	require.NoError(t, err)
	table, err := os.ReadFile("schema_table.go")
	require.NoError(t, err)
	if !bytes.Equal(out, table) {
		t.Fatal("schema_table.go is stale: run go generate ./twiml/internal/check")
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
