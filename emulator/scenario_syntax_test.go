package emulator_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/emulator"
)

// Issue 28: a scenario's JSON syntax error named a byte offset. It names
// the line and the column (in bytes, from 1) of the byte that breaks the
// syntax, or of the end of the input, as an editor shows them.
func TestParseScenarioSyntaxErrorPlace(t *testing.T) {
	tests := []struct{ doc, says string }{
		{`{"a" 1}`, "not JSON at line 1, column 6: invalid character '1' after object key"},
		{"{\"service\": {\n  \"numbers\": [}", "not JSON at line 2, column 15: invalid character '}' looking for beginning of value"},
		{"{\"steps\": [\n  {\"at\": tru}]}", "not JSON at line 2, column 13: invalid character '}' in literal true (expecting 'e')"},
		{"{\"steps\": [1 2]}", "not JSON at line 1, column 14: invalid character '2' after array element"},
		{"{\"steps\": \"a\x01\"}", `not JSON at line 1, column 13: invalid character '\x01' in string literal`},
		{"{\"steps\": [\n", "not JSON at line 2, column 1: unexpected end of input"},
		{"", "not JSON at line 1, column 1: unexpected end of input"},
	}
	for _, tt := range tests {
		_, err := emulator.ParseScenario([]byte(tt.doc))
		require.Error(t, err, tt.doc)
		assert.Equal(t, "scenario: "+tt.says, err.Error(), "%q", tt.doc)
	}
}
