// Package term tells whether text goes to a terminal that may show colour,
// and colours it for one. oosc's commands use it so that failures stand out
// on a terminal while pipes, files and NO_COLOR users get plain text.
package term

import (
	"io"
	"os"
)

// IsTerminal reports whether w is a terminal: a character device on Unix
// (so /dev/null counts, where colour is discarded anyway), a console with
// virtual terminal processing on, on Windows. Anything that is not an
// *os.File is not.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}

// ColorAllowed reports whether the environment allows colour: NO_COLOR
// unset or empty (https://no-color.org), and TERM not "dumb".
func ColorAllowed(getenv func(string) string) bool {
	return getenv("NO_COLOR") == "" && getenv("TERM") != "dumb"
}

// For returns the Palette for text written to w: on when w is a terminal
// and the environment allows colour.
func For(w io.Writer, getenv func(string) string) Palette {
	return Palette{On: IsTerminal(w) && ColorAllowed(getenv)}
}

// Palette colours text when On, and returns it unchanged otherwise; the
// zero Palette is off. Pad text before colouring it: the escape sequences
// have a length but no width.
type Palette struct{ On bool }

// ANSI's select graphic rendition sequences.
const (
	boldRed = "\x1b[1;31m"
	yellow  = "\x1b[33m"
	green   = "\x1b[32m"
	faint   = "\x1b[2m"
	reset   = "\x1b[0m"
)

func (p Palette) paint(sgr, s string) string {
	if !p.On || s == "" {
		return s
	}
	return sgr + s + reset
}

// Fail marks what failed: bold red.
func (p Palette) Fail(s string) string { return p.paint(boldRed, s) }

// Warn marks what needs a look but did not fail: yellow.
func (p Palette) Warn(s string) string { return p.paint(yellow, s) }

// OK marks what passed: green.
func (p Palette) OK(s string) string { return p.paint(green, s) }

// Faint marks what is secondary: dim.
func (p Palette) Faint(s string) string { return p.paint(faint, s) }
