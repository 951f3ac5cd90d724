package panes

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"warroom/backends/textsafe"
)

// isASCII reports whether s is plain printable ASCII, whose width is len(s).
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] >= 0x7f {
			return false
		}
	}
	return true
}

// cells is the display width of plain text.
func cells(s string) int {
	if isASCII(s) {
		return len(s)
	}
	return ansi.StringWidth(s)
}

// cell fits plain text into exactly w cells: cut with "…" when too long,
// padded with spaces when short.
func cell(s string, w int) string {
	if w <= 0 {
		return ""
	}
	w = min(w, MaxWidth)
	sw := cells(s)
	if sw > w {
		if isASCII(s) {
			return s[:w-1] + "…"
		}
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

// cellRight is cell with the text against the right edge.
func cellRight(s string, w int) string {
	w = min(w, MaxWidth)
	sw := cells(s)
	if sw >= w {
		return cell(s, w)
	}
	return strings.Repeat(" ", w-sw) + s
}

// fitLine fits a line that may hold ANSI styling into exactly w cells.
func fitLine(s string, w int) string {
	if w <= 0 {
		return ""
	}
	w = min(w, MaxWidth)
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// block joins lines into exactly h lines of exactly w cells each.
func block(lines []string, w, h int) string {
	if h <= 0 || w <= 0 {
		return ""
	}
	w, h = Bound(w, h)
	var b strings.Builder
	blank := strings.Repeat(" ", w)
	for i := 0; i < h; i++ {
		if i > 0 {
			b.WriteByte('\n')
		}
		if i < len(lines) {
			b.WriteString(fitLine(lines[i], w))
		} else {
			b.WriteString(blank)
		}
	}
	return b.String()
}

// clean makes untrusted text (mirror errors, event text) safe for one cell:
// no escape sequences, no control characters or bidi overrides, no newlines.
func clean(s string) string { return textsafe.Line(s) }
