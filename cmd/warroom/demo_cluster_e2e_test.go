package main

import (
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// headerRole reads the header's cluster mark: LEADER, or the leader a
// replica follows, with the leader's term.
var headerRole = regexp.MustCompile(`(LEADER|replica of (n\d)) term (\d+)`)

// TestDemoClusterInARealTerminal runs `warroom demo --cluster 3` in tmux:
// the screen shows the room through a node, seen from three regions, with
// one mirror down from one region only; K kills the leading node and the
// header shows another node leading under a later term. q ends the demo
// and its nodes, and leaves no state behind.
func TestDemoClusterInARealTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three nodes with etcd")
	}
	bin := buildBinary(t)
	home := t.TempDir()
	term := newTerminal(t, 160, 45, []string{"TERM=xterm-256color", "WARROOM_USER=ana", "TMPDIR=" + home}, bin+" demo --cluster 3")

	var leader string
	var termNo int
	read := func(s string) bool {
		m := headerRole.FindStringSubmatch(firstScreenLine(s))
		if m == nil {
			return false
		}
		leader, termNo = m[2], atoi(m[3])
		if m[1] == "LEADER" {
			leader = "attached" // the node this screen shows leads
		}
		return true
	}
	screen := term.waitFor("a clustered room seen from three regions", 60*time.Second, func(s string) bool {
		return read(s) && strings.Contains(s, "seen from ap-south eu-west us-east") && strings.Contains(s, "down from ap-south")
	})
	t.Logf("first: leader %s, term %d\n%s", leader, termNo, firstScreenLine(screen))

	before := termNo
	term.keys("K")
	// The kill is named in the footer; when this screen's own node led, the
	// screen moves to another node at once and that notice may never show:
	// then the later term alone says the room moved.
	ownLed, sawKill := leader == "attached", false
	screen = term.waitFor("the kill named in the footer and another node leading under a later term", 30*time.Second, func(s string) bool {
		sawKill = sawKill || (strings.Contains(s, "killed n") && strings.Contains(s, "SIGKILL"))
		return read(s) && termNo > before && (sawKill || ownLed)
	})
	t.Logf("after K: leader %s, term %d\n%s", leader, termNo, firstScreenLine(screen))
	if strings.Contains(screen, "panic") {
		t.Fatalf("panic on screen:\n%s", screen)
	}

	term.keys("q")
	term.waitFor("a clean exit", 15*time.Second, containsAll("EXITED:0"))
	left, _ := filepath.Glob(filepath.Join(home, "warroom-cluster-*"))
	if len(left) > 0 {
		t.Errorf("the demo left its state behind: %v", left)
	}
}

func firstScreenLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
