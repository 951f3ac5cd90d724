package main

import (
	"regexp"
	"testing"
	"time"
)

// TestKeysTypedTogetherInARealTerminal: tmux writes each string of
// send-keys in one go, so the program reads "/mad" and "zq" as one multi-rune
// key each, as it does from a fast typist over SSH. The filter opens with
// "mad" typed into it; "zq" zooms and quits.
func TestKeysTypedTogetherInARealTerminal(t *testing.T) {
	bin := buildBinary(t)
	term := newTerminal(t, 120, 40, []string{"TERM=xterm-256color", "WARROOM_USER=li.wei"}, bin+" demo")
	term.waitFor("the room with its mirrors", 20*time.Second, containsAll("Mirrors", "madrid", "Timeline"))

	term.keys("-l", "/mad")
	term.waitFor("the filter typing mad", 10*time.Second, containsAll("/mad▏"))
	term.keys("Enter")
	kept := regexp.MustCompile(`filter "mad" 1 of \d+`)
	term.waitFor("the filter kept, madrid alone", 10*time.Second, kept.MatchString)
	term.keys("-l", "zq")
	term.waitFor("zoom, then a clean exit", 10*time.Second, containsAll("EXITED:0"))
}
