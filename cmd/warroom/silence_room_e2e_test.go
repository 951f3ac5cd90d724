package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"warroom/keymaps"
)

// TestSilenceFromTheRoomInARealTerminal silences the demo's first alert
// from the Alerts pane of the real binary in tmux, sees it dimmed with
// its silence counting down, then ends the silence from its row.
func TestSilenceFromTheRoomInARealTerminal(t *testing.T) {
	km := keymaps.Default()
	key := tmuxKey
	bin := buildBinary(t)
	term := newTerminal(t, 160, 48, []string{"TERM=xterm-256color", "NO_COLOR=1"}, bin+" demo")
	open := regexp.MustCompile(`\b[1-9][0-9]* open\b`)
	term.waitFor("an open alert", 60*time.Second, open.MatchString)
	term.keys(key(km.Pane[3].Keys()[0]))
	term.keys(key(km.Top.Keys()[0]))
	term.keys(key(km.Silence.Keys()[0]))
	term.waitFor("the silence dialog", 5*time.Second, containsAll("Silence alerts", "mirror=", ",kind=", "1h"))
	term.keys("-l", "planned resync of the demo")
	term.keys(key(km.Confirm.Keys()[0]))
	screen := term.waitFor("the silence taken and shown", 10*time.Second,
		containsAll("silenced mirror=", "(sil-1)", "⊘ silenced", "⊘ silence ", " left · kind="))
	if strings.Contains(screen, "panic") {
		t.Fatalf("panic on screen:\n%s", screen)
	}

	term.keys(key(km.Bottom.Keys()[0])) // the silences come after the alerts
	term.keys(key(km.Silence.Keys()[0]))
	term.waitFor("the offer to end it", 5*time.Second, containsAll("End silence sil-1?", "planned resync of the demo"))
	term.keys(key(km.Yes.Keys()[0]))
	term.waitFor("the silence ended", 10*time.Second, func(s string) bool {
		return strings.Contains(s, "ended silence sil-1") && !strings.Contains(s, "⊘ silenced")
	})
	term.keys(key(km.Quit.Keys()[0]))
	term.waitFor("a clean exit", 5*time.Second, containsAll("EXITED:0"))
}
