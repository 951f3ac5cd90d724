package main

import (
	"strings"
	"testing"
	"time"
)

// TestDemoAnnounceInARealTerminal: in the demo, p opens the composer, the
// first template is pre-filled from the room, ctrl+s sends it, and the
// Announcements pane (on its key, 7) shows it sent on all four channels (the demo's local
// stand-ins for Slack, DingTalk, WeCom and Feishu).
func TestDemoAnnounceInARealTerminal(t *testing.T) {
	bin := buildBinary(t)
	term := newTerminal(t, 160, 48, []string{"TERM=xterm-256color", "WARROOM_USER=mei"}, bin+" demo")
	term.waitFor("the room", 10*time.Second, containsAll("Mirrors", "Timeline"))
	term.keys("p")
	term.waitFor("the template list", 10*time.Second, containsAll("choose a template", "investigating"))
	term.keys("Enter")
	term.waitFor("the composer with its preview", 10*time.Second, containsAll("4 of 4 channels", "ctrl+s"))
	term.keys("C-s")
	// Sending moves no pane: the outcome names the key that shows them.
	term.waitFor("the outcome", 10*time.Second, containsAll("delivery shows in pane 7 Announcements"))
	term.keys("7")
	screen := term.waitFor("sent on four channels", 20*time.Second, func(s string) bool {
		return strings.Count(s, "✓ sent") >= 4 && strings.Contains(s, "next update in")
	})
	for _, ch := range []string{"ops-slack", "ops-dingtalk", "ops-wecom", "ops-feishu"} {
		if !strings.Contains(screen, ch) {
			t.Fatalf("%s missing from the Announcements pane:\n%s", ch, screen)
		}
	}
	term.keys("q")
	term.waitFor("a clean exit", 5*time.Second, containsAll("EXITED:0"))
}
