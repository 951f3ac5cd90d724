package main

import (
	"strings"
	"testing"
	"time"
)

// TestDemoPagesItsPagerInARealTerminal: with nothing configured, the demo's
// outage pages its local pager stand-in, and a newcomer watches the page go
// out in the Announcements pane (key 7) as "demo-pager … sent".
func TestDemoPagesItsPagerInARealTerminal(t *testing.T) {
	bin := buildBinary(t)
	term := newTerminal(t, 160, 48, []string{"TERM=xterm-256color", "WARROOM_USER=mei"}, bin+" demo")
	term.waitFor("the room", 10*time.Second, containsAll("Mirrors", "Timeline"))
	term.keys("7")
	// The outage starts 20 s in; detection, then the route's 10 s group_wait.
	screen := term.waitFor("a page sent to the pager", 120*time.Second, func(s string) bool {
		for _, line := range strings.Split(s, "\n") {
			if strings.Contains(line, "demo-pager") && strings.Contains(line, "sent") {
				return true
			}
		}
		return false
	})
	if !strings.Contains(screen, "FIRING") {
		t.Errorf("the page's title is not shown:\n%s", screen)
	}
	term.keys("q")
	term.waitFor("a clean exit", 5*time.Second, containsAll("EXITED:0"))
}
