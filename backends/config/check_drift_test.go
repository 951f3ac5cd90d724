package config

import (
	"strings"
	"testing"
)

func TestDriftNotes(t *testing.T) {
	const text = `site: s
defaults:
  lag: {kind: beacon, path: /lastsync}
  manifest: /core.db
origin:
  url: https://o.example.org/
mirrors:
  - name: a
    url: https://a.example.net/
  - name: b
    url: https://b.example.net/
    lag: {kind: none}
  - name: c
    url: https://c.example.net/
    manifest: ""
  - name: d
    url: https://d.example.net/
    lag: {kind: last-modified, path: /lastsync}
`
	got := strings.Join(mustParse(t, text, nil).DriftNotes(), "\n")
	want := `warroom.yaml:10: mirrors[1] (b): lag kind none: drift cannot be detected, it needs a serial or sync time to know which origin manifest to compare with
warroom.yaml:13: mirrors[2] (c): no manifest: drift is not checked on this mirror
warroom.yaml:16: mirrors[3] (d): lag kind last-modified, the origin's is beacon: drift is found by equal sync times, so read both from the same kind of source`
	if got != want {
		t.Fatalf("DriftNotes:\n%s\nwant:\n%s", got, want)
	}
	if notes := mustParse(t, base, nil).DriftNotes(); len(notes) != 1 || !strings.Contains(notes[0], "origin (origin): no manifest: no mirror can be checked for drift") {
		t.Fatalf("no manifest anywhere: %q", notes)
	}
}
