package config

import (
	"strings"
	"testing"
)

// A config whose aliases expand to millions of entries is refused with
// the one message that says why, not buried under what the cut-short
// reading would report (every mirror's missing name and url).
func TestAliasBombIsRefusedClearly(t *testing.T) {
	text := "site: s\norigin: {url: https://o.example.org/}\nmirrors:\n" +
		"  - &m\n    <<: [" + strings.Repeat("{region: r}, ", 5_000) + "{region: r}]\n" +
		strings.Repeat("  - *m\n", 999)
	err := mustFail(t, text)
	want := "the file expands (through aliases) to over 1000000 entries"
	if n := len(fieldErrors(t, err)); n > 3 || !strings.Contains(err.Error(), want) {
		t.Fatalf("%d problems, want the expansion named among a few:\n%.1500v", n, err)
	}
}
