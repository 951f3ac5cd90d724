package textsafe

import (
	"strings"
	"testing"
)

func TestLineStripsTerminalControls(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "HTTP 500: upstream down", "HTTP 500: upstream down"},
		{"clear screen", "a\x1b[2Jb", "ab"},
		{"csi with params", "\x1b[1;31mred\x1b[0m", "red"},
		{"osc title bel", "x\x1b]0;pwned\x07y", "xy"},
		{"osc title st", "x\x1b]2;pwned\x1b\\y", "xy"},
		{"osc hyperlink", "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"dcs", "a\x1bPq#0;2;0;0;0\x1b\\b", "ab"},
		{"two-byte esc", "a\x1bcb", "ab"},
		{"charset nF", "a\x1b(Bb", "ab"},
		{"unfinished osc", "a\x1b]0;title never ends", "a"},
		{"lone esc at end", "a\x1b", "a"},
		{"c0", "a\x00b\x07c\x08d\re", "abcde"},
		{"newline tab become space", "a\nb\tc", "a b c"},
		{"del", "a\x7fb", "ab"},
		{"c1 csi", "a\u009b2Jb", "a2Jb"},
		{"c1 osc", "a\u009d0;t\u009cb", "a0;tb"},
		{"bidi override", "abc\u202edcba\u202c", "abcdcba"},
		{"bidi isolate", "\u2066x\u2069", "x"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"unicode kept", "镜像 madrid → seoul ✓", "镜像 madrid → seoul ✓"},
	}
	for _, c := range cases {
		if got := Line(c.in); got != c.want {
			t.Errorf("%s: Line(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestBlockKeepsNewlinesAndTabs(t *testing.T) {
	if got, want := Block("a\r\n\tb\x1b[2J\nc"), "a\n\tb\nc"; got != want {
		t.Fatalf("Block = %q, want %q", got, want)
	}
}

func TestCleanerMasksAfterStripping(t *testing.T) {
	mask := func(s string) string { return strings.ReplaceAll(s, "s3cr3t", "REDACTED") }
	c := New(mask)
	// An escape sequence inside the secret must not hide it from the mask.
	if got, want := c.Line("POST /hook/s3\x1b[0mcr3t: 403"), "POST /hook/REDACTED: 403"; got != want {
		t.Fatalf("Line = %q, want %q", got, want)
	}
	in := map[string]string{"id": "act-1", "error": "token=s3cr3t\x1b]0;x\x07"}
	out := c.Fields(in)
	if out["error"] != "token=REDACTED" || out["id"] != "act-1" {
		t.Fatalf("Fields = %q", out)
	}
	if in["error"] != "token=s3cr3t\x1b]0;x\x07" {
		t.Fatal("Fields changed its argument")
	}
	same := map[string]string{"id": "act-1"}
	if out := c.Fields(same); len(out) != 1 || out["id"] != "act-1" {
		t.Fatalf("Fields of a clean map = %q", out)
	}
	if got := (Cleaner{}).Line("s3cr3t\x07"); got != "s3cr3t" {
		t.Fatalf("zero Cleaner = %q", got)
	}
}
