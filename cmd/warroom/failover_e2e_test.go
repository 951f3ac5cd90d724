package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestDemoFailoverInARealTerminal: in the demo the active mirror (madrid,
// for the default seed) stops answering after 20 s. Select it, press f,
// take the best candidate, type its name, and the active marker moves —
// through the real HAProxy executor against the simulated router.
func TestDemoFailoverInARealTerminal(t *testing.T) {
	bin := buildBinary(t)
	term := newTerminal(t, 160, 48, []string{"TERM=xterm-256color", "WARROOM_USER=li.wei"}, bin+" demo")

	activeDown := regexp.MustCompile(`(?m)^.*✖.*\bmadrid\b.*★.*$`)
	term.waitFor("the active mirror madrid down", 60*time.Second, activeDown.MatchString)
	// Each key waits for the screen it needs: typed blind, a key that
	// arrives before its screen lands elsewhere.
	term.keys("/")
	term.waitFor("the mirror filter open", 10*time.Second, containsAll("/▏"))
	term.keys("-l", "madrid")
	term.waitFor("madrid typed into the filter", 10*time.Second, containsAll("/madrid▏"))
	term.keys("Enter")
	term.waitFor("the filter kept", 10*time.Second, containsAll(`filter "madrid"`))
	term.keys("f")
	term.waitFor("the failover dialog", 10*time.Second, containsAll("Fail over from madrid"))
	term.keys("Enter")
	screen := term.waitFor("the preview and the confirmation prompt", 10*time.Second, containsAll("to confirm:", "set server mirrors/"))
	m := regexp.MustCompile(`Fail over madrid → ([a-z-]+)`).FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no target in the preview:\n%s", screen)
	}
	target := m[1]
	// A stray Enter before the name confirms nothing.
	term.keys("Enter")
	term.waitFor("the stray enter refused", 10*time.Second, containsAll("type "+target+" first"))
	for i := range target {
		term.keys("-l", target[i:i+1])
		term.waitFor(fmt.Sprintf("%q typed", target[:i+1]), 10*time.Second, containsAll("to confirm: "+target[:i+1]))
	}
	term.keys("Enter")
	term.waitFor("the action started", 10*time.Second, containsAll("act-1"))
	term.keys("Escape") // clear the mirror filter: show the whole fleet
	moved := regexp.MustCompile(`(?m)^.*\b` + regexp.QuoteMeta(target) + `\b.*★.*$`)
	screen = term.waitFor("the active marker on "+target+" and the action recorded", 20*time.Second, func(s string) bool {
		return moved.MatchString(s) && strings.Contains(s, "succeeded")
	})
	if strings.Contains(screen, "panic") {
		t.Fatalf("panic on screen:\n%s", screen)
	}
	if !strings.Contains(screen, "li.wei") {
		t.Fatalf("the action is not attributed to li.wei:\n%s", screen)
	}
	term.keys("q")
	term.waitFor("a clean exit", 5*time.Second, containsAll("EXITED:0"))
}
