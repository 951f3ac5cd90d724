package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// A short -detect run on a small fleet, so the mode does not rot: both
// passes time every kill, and nothing never killed goes down.
func TestDetectSmoke(t *testing.T) {
	for _, dark := range []bool{false, true} {
		detectSmoke(t, options{mirrors: 6, interval: time.Second, timeout: 500 * time.Millisecond, seed: 1, dark: dark})
	}
}

func detectSmoke(t *testing.T, o options) {
	var out bytes.Buffer
	if err := runDetect(o, 2, 200*time.Millisecond, &out); err != nil {
		t.Fatal(err)
	}
	for _, pass := range []string{"retry_interval 200ms", "no retries (before)"} {
		line := ""
		for _, l := range strings.Split(out.String(), "\n") {
			if strings.Contains(l, pass) {
				line = l
			}
		}
		if !strings.Contains(line, "(n=2, 0 not down in time); false downs 0") {
			t.Errorf("%s: %q, want both kills timed and no false downs\n%s", pass, line, out.String())
		}
	}
}
