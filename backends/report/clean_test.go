package report

import (
	"strings"
	"testing"

	"warroom/backends/report/reporttest"
	"warroom/backends/room"
)

// A journal written by an older build may hold raw outside text: the
// review written from it has no terminal controls and, masked, no secret.
func TestReviewFromARawJournalHasNoControlsOrSecrets(t *testing.T) {
	const secret = "s3cr3t-hook-token"
	evs := reporttest.Incident("15m", "10m").Events
	for i := range evs {
		if evs[i].Kind == room.EvNoteAdded {
			evs[i].Text = "webhook said: POST /hook/" + secret + " \x1b[2J\x1b]0;pwned\x07 500"
			evs[i].Actor = "mei\x1b[31m"
			break
		}
	}
	path, _ := writeJournal(t, evs)
	got, err := ReadJournal(path)
	if err != nil {
		t.Fatal(err)
	}
	Mask(got, func(s string) string { return strings.ReplaceAll(s, secret, "REDACTED") })
	r, err := Build(got, "")
	if err != nil {
		t.Fatal(err)
	}
	md := r.Markdown()
	if strings.Contains(md, secret) || strings.ContainsAny(md, "\x1b\x07") {
		t.Fatalf("review holds a secret or a control:\n%s", md)
	}
	if !strings.Contains(md, "webhook said: POST /hook/REDACTED") {
		t.Fatalf("the note is missing from the review:\n%s", md)
	}
	js, err := r.JSON()
	if err != nil || strings.Contains(string(js), secret) || strings.Contains(string(js), `\u001b`) {
		t.Fatalf("JSON review holds a secret or a control (%v):\n%s", err, js)
	}
}
