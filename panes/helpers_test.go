package panes

import (
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"warroom/themes"
)

// theme builds a theme for a fixed profile, as a session would.
func theme(t testing.TB, name string, p termenv.Profile) *themes.Theme {
	t.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	th, err := themes.New(name, r)
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// allPanes returns a fresh instance of every pane.
func allPanes() []Pane {
	return []Pane{NewMirrors(), NewLag(), NewHosts(), NewAlerts(), NewTimeline()}
}

// plain strips styling: what a user reads.
func plain(s string) []string { return strings.Split(ansi.Strip(s), "\n") }

// checkSize fails unless out is exactly w×h cells.
func checkSize(t testing.TB, what string, out string, w, h int) {
	t.Helper()
	if w <= 0 || h <= 0 {
		if out != "" {
			t.Fatalf("%s at %d×%d = %q, want empty", what, w, h, out)
		}
		return
	}
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Fatalf("%s at %d×%d: %d lines, want %d", what, w, h, len(lines), h)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			t.Fatalf("%s at %d×%d: line %d is %d cells, want %d: %q", what, w, h, i, got, w, ansi.Strip(l))
		}
	}
}

// find returns the index of the first plain line containing sub, or -1.
func find(lines []string, sub string) int {
	for i, l := range lines {
		if strings.Contains(l, sub) {
			return i
		}
	}
	return -1
}
