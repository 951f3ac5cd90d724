package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"warroom/keymaps"
)

// TestBigDemoStaysResponsiveInARealTerminal: the real binary's demo with
// 2,000 mirrors in tmux says how often it probes them, keeps its hosts'
// readings coming (figures change, none stale), answers a person's
// acknowledgement, which waits in the room's inbox behind every probe
// result, within seconds, and quits at once on q.
func TestBigDemoStaysResponsiveInARealTerminal(t *testing.T) {
	km := keymaps.Default()
	key := tmuxKey
	bin := buildBinary(t)
	term := newTerminal(t, 160, 48, []string{"TERM=xterm-256color", "NO_COLOR=1", "WARROOM_USER=mei"}, bin+" demo --mirrors 2000")
	term.waitFor("the room and its pace", 30*time.Second,
		containsAll("2000 mirrors", "the other 1992 every 40s", "host-b"))

	hostB := regexp.MustCompile(`host-b .*`)
	first := hostB.FindString(term.screen())
	term.waitFor("host-b's next reading", 20*time.Second, func(s string) bool {
		row := hostB.FindString(s)
		return row != "" && row != first && !strings.Contains(s, "stale")
	})

	open := regexp.MustCompile(`\b[1-9][0-9]* open\b`)
	term.waitFor("an open alert", 60*time.Second, open.MatchString)
	term.keys(key(km.Pane[3].Keys()[0]))
	term.keys(key(km.Top.Keys()[0]))
	term.keys(key(km.Ack.Keys()[0]))
	screen := term.waitFor("the acknowledgement in the timeline", 10*time.Second, containsAll("mei acknowledged"))
	if strings.Contains(screen, "panic") {
		t.Fatalf("panic on screen:\n%s", screen)
	}
	term.keys(key(km.Quit.Keys()[0]))
	term.waitFor("a clean exit", 5*time.Second, containsAll("EXITED:0"))
}
