package panes

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Wrap breaks plain text into lines of at most w cells, at spaces where it
// can and inside words where it must, so long commands and errors are
// shown whole instead of cut. Control characters are cleaned first.
func Wrap(s string, w int) []string {
	s = clean(s)
	if w <= 0 {
		return nil
	}
	if cells(s) <= w {
		return []string{s}
	}
	var out []string
	for cells(s) > w {
		cut := ansi.Truncate(s, w, "")
		if cut == "" { // a character wider than w: give it a line of its own
			_, size := utf8.DecodeRuneInString(s)
			cut = s[:size]
		}
		if i := strings.LastIndexByte(cut, ' '); i > 0 && i >= len(cut)/3 {
			cut = cut[:i+1]
		}
		out = append(out, strings.TrimRight(cut, " "))
		s = s[len(cut):]
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}
