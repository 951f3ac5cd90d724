package main

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemoInARealTerminal runs the real binary's demo in tmux: the room
// shows mirrors, lag and host metrics within seconds, the simulated fleet's
// first failure appears in the timeline as a transition, and q quits cleanly.
func TestDemoInARealTerminal(t *testing.T) {
	bin := buildBinary(t)
	term := newTerminal(t, 120, 40, []string{"TERM=xterm-256color"}, bin+" demo")

	term.waitFor("the room with mirrors, lag and hosts", 10*time.Second,
		containsAll("Mirrors", "Sync lag", "Hosts", "Timeline", "DEMO", "CPU"))
	// Drift and a transition: the third mirror's drift is seen at its first
	// probe; the first mirror's first failure comes 15 s in (2 failed probes
	// 2 s apart to go down).
	transition := regexp.MustCompile(`(?m)\b(down|degraded)\b.*(unreachable|status 503|reset|latency)`)
	screen := term.waitFor("a transition in the timeline", 45*time.Second, func(s string) bool {
		return transition.MatchString(s) && strings.Contains(s, "≠")
	})
	if strings.Contains(screen, "panic") {
		t.Fatalf("panic on screen:\n%s", screen)
	}

	term.keys("q")
	term.waitFor("a clean exit", 5*time.Second, containsAll("EXITED:0"))
}

// TestDemoTooSmallAndResize: a tiny terminal gets a clear note, not a
// broken room, and growing it brings the room back.
func TestDemoTooSmallAndResize(t *testing.T) {
	bin := buildBinary(t)
	term := newTerminal(t, 40, 10, []string{"TERM=xterm-256color", "NO_COLOR=1"}, bin+" demo")
	term.waitFor("the too-small note", 10*time.Second, containsAll("too small"))
	term.resize(80, 24)
	term.waitFor("the room at 80×24", 10*time.Second, containsAll("Mirrors", "Timeline"))
	term.keys("?")
	term.waitFor("the help overlay", 5*time.Second, containsAll("acknowledge", "zoom"))
	term.keys("Escape")
	term.keys("z")
	term.waitFor("the zoomed mirrors pane", 5*time.Second, func(s string) bool {
		return strings.Contains(s, "Mirrors") && !strings.Contains(s, "Timeline")
	})
	term.keys("q")
	term.waitFor("a clean exit", 5*time.Second, containsAll("EXITED:0"))
}
