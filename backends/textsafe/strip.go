package textsafe

import (
	"strings"
	"unicode/utf8"
)

const esc = 0x1b

// Line is s on one line, safe for a terminal: escape sequences (CSI, OSC,
// DCS and the rest), C0 and C1 controls, DEL and bidi overrides are
// removed; newlines and tabs become spaces; invalid UTF-8 becomes U+FFFD.
func Line(s string) string { return strip(s, false) }

// Block is like Line but keeps newlines and tabs, for multi-line text.
func Block(s string) string { return strip(s, true) }

func strip(s string, multiline bool) string {
	if clean(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == esc:
			i += escapeLen(s[i:])
			continue
		case r == '\n' || r == '\t':
			if multiline {
				b.WriteRune(r)
			} else {
				b.WriteByte(' ')
			}
		case unsafe(r):
			// dropped
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// clean reports whether s is printable ASCII only: the common case, copied
// by nobody.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// unsafe reports a rune a terminal may act on rather than print.
func unsafe(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7f: // C0 (newline and tab are handled before), DEL
		return true
	case r >= 0x80 && r <= 0x9f: // C1, including the one-byte CSI and OSC
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069: // bidi embeddings, overrides, isolates
		return true
	}
	return false
}

// escapeLen is the length of the escape sequence at the start of s (which
// begins with ESC); an unfinished one runs to the end of s, since what
// follows would be read as its parameters.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[': // CSI: parameters and intermediates, then one final byte
		for i := 2; i < len(s); i++ {
			if c := s[i]; c >= 0x40 && c <= 0x7e {
				return i + 1
			} else if c < 0x20 || c > 0x7e {
				return i // malformed: stop before it, the rest is text
			}
		}
		return len(s)
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: up to BEL or ST
		for i := 2; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == esc && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return len(s)
	}
	// Two-byte and nF sequences: intermediates 0x20–0x2f, then a final.
	i := 1
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
		return i + 1
	}
	return i
}
