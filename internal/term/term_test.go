package term_test

import (
	"bytes"
	"os"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oosc-dev/oosc/internal/term"
)

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// A pipe, a regular file and a buffer are not terminals: no colour
// whatever the environment says.
func TestNoColourOffATerminal(t *testing.T) {
	r, w, err := os.Pipe()
	require.NoError(t, err)
	defer r.Close()
	defer w.Close()
	f, err := os.Create(t.TempDir() + "/out")
	require.NoError(t, err)
	defer f.Close()
	for name, out := range map[string]any{"pipe": w, "file": f, "buffer": &bytes.Buffer{}} {
		w := out.(interface{ Write([]byte) (int, error) })
		assert.False(t, term.IsTerminal(w), name)
		assert.False(t, term.For(w, envOf(nil)).On, name)
	}
}

// On a character device (/dev/null stands in for a terminal), colour is
// on unless NO_COLOR is set to something or TERM is dumb.
func TestColourFollowsNoColor(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no character device stands in for a console")
	}
	tty, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	require.NoError(t, err)
	defer tty.Close()
	require.True(t, term.IsTerminal(tty))
	tests := []struct {
		env map[string]string
		on  bool
	}{
		{nil, true},
		{map[string]string{"NO_COLOR": "1"}, false},
		{map[string]string{"NO_COLOR": "false"}, false}, // any non-empty value
		{map[string]string{"NO_COLOR": ""}, true},       // empty is unset
		{map[string]string{"TERM": "dumb"}, false},
		{map[string]string{"TERM": "xterm-256color"}, true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.on, term.For(tty, envOf(tt.env)).On, "%v", tt.env)
	}
}

func TestPalette(t *testing.T) {
	on, off := term.Palette{On: true}, term.Palette{}
	assert.Equal(t, "FAIL", off.Fail("FAIL"))
	assert.Equal(t, "\x1b[1;31mFAIL\x1b[0m", on.Fail("FAIL"))
	assert.Equal(t, "\x1b[32mok\x1b[0m", on.OK("ok"))
	assert.Equal(t, "\x1b[33mhint\x1b[0m", on.Warn("hint"))
	assert.Equal(t, "\x1b[2mdetail\x1b[0m", on.Faint("detail"))
	assert.Equal(t, "", on.Fail(""), "nothing to colour, no escapes")
}
