package main

import (
	"strings"
	"testing"
	"time"

	"warroom/keymaps"
)

// TestMirrorDetailInARealTerminal opens the first mirror's detail in the
// real binary's demo in tmux: its URL, its latency history and its
// events show over the room, and esc returns to the room.
func TestMirrorDetailInARealTerminal(t *testing.T) {
	km := keymaps.Default()
	key := tmuxKey
	bin := buildBinary(t)
	term := newTerminal(t, 160, 48, []string{"TERM=xterm-256color", "NO_COLOR=1"}, bin+" demo")
	term.waitFor("probed mirrors", 60*time.Second, containsAll("● up"))
	term.keys(key(km.Pane[0].Keys()[0]))
	term.keys(key(km.Top.Keys()[0]))
	term.keys(key(km.Detail.Keys()[0]))
	screen := term.waitFor("the mirror's detail", 10*time.Second,
		containsAll("Mirror ", "URL       http://127.0.0.1:", "Latency", "Lag", "Manifest", "Recent events (last 10)", "esc returns"))
	if strings.Contains(screen, "panic") {
		t.Fatalf("panic on screen:\n%s", screen)
	}
	term.keys(key(km.Back.Keys()[0]))
	term.waitFor("the room again", 5*time.Second, func(s string) bool {
		return !strings.Contains(s, "Recent events (last 10)") && strings.Contains(s, "Mirrors")
	})
	term.keys(key(km.Quit.Keys()[0]))
	term.waitFor("a clean exit", 5*time.Second, containsAll("EXITED:0"))
}

// tmuxKey is a keymap's key as tmux's send-keys names it.
func tmuxKey(k string) string {
	switch k {
	case "enter":
		return "Enter"
	case "esc":
		return "Escape"
	case "home":
		return "Home"
	case "end":
		return "End"
	}
	return k
}
