package room

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"warroom/backends/actions"
	"warroom/backends/config"
	"warroom/backends/journal"
)

const hookSecret = "s3cr3t-hook-token"

// withSecret is cfg as if the file had said ${HOOK} somewhere: its fields,
// with the secrets of a parsed config whose ${HOOK} is hookSecret.
func withSecret(t *testing.T, cfg *config.Config) *config.Config {
	t.Helper()
	src := "site: s\norigin:\n  url: https://o.example.org/?t=${HOOK}\nmirrors:\n  - name: a\n    url: https://a.example.net/\n"
	parsed, err := config.Parse("warroom.yaml", []byte(src), func(n string) (string, bool) { return hookSecret, n == "HOOK" })
	if err != nil {
		t.Fatal(err)
	}
	out := *parsed
	dst, from := reflect.ValueOf(&out).Elem(), reflect.ValueOf(cfg).Elem()
	for i := 0; i < dst.NumField(); i++ {
		if dst.Type().Field(i).IsExported() {
			dst.Field(i).Set(from.Field(i))
		}
	}
	if out.Mask("x"+hookSecret) != "x"+config.Redacted {
		t.Fatal("the secret did not survive the copy")
	}
	return &out
}

// hostile is what a misbehaving platform answers: its URL with the secret,
// a screen clear and a window title.
const hostile = "POST https://hook.example/?t=" + hookSecret + ": 500 \x1b[2J\x1b]0;pwned\x07 upstream failed"

func assertClean(t *testing.T, where, s string) {
	t.Helper()
	if strings.Contains(s, hookSecret) || strings.ContainsAny(s, "\x1b\x07\u009b") {
		t.Errorf("%s holds the secret or a terminal control: %q", where, s)
	}
}

// Outside text (an executor's output and error, a person's reject reason)
// is stripped and masked before the room journals, applies or shows it.
func TestOutsideTextIsCleanedInSnapshotsAndJournal(t *testing.T) {
	cfg := withSecret(t, actionConfig())
	cfg.Actions.Approvals = map[string][]int{Rollback: {1}}
	exec := &fakeExec{run: func(ctx context.Context, op actions.Op, out func(string)) (string, error) {
		out("deploying \x1b[31m" + hookSecret + "\x1b[0m")
		return "", errors.New(hostile)
	}}
	j := &memJournal{}
	h := actionRoom(t, cfg, exec, j, nil)
	ctx, cancel := bg()
	defer cancel()
	id, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, commander("mei"))
	if err != nil {
		t.Fatal(err)
	}
	failed := h.waitAction(id, ActionFailed)
	if !strings.Contains(failed.Err, "upstream failed") || !strings.Contains(failed.Err, config.Redacted) {
		t.Fatalf("the error lost its words: %q", failed.Err)
	}
	rb, err := h.r.Act(ctx, Request{Kind: Rollback, Target: "web", Version: "v1"}, person("li.wei", RoleOperator))
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(rb, ActionAwaiting)
	if err := h.r.Reject(ctx, rb, "no\x1b[2J\x1b]2;owned\x1b\\ way \u202e", commander("mei")); err != nil {
		t.Fatal(err)
	}
	if v := h.waitAction(rb, ActionRejected); v.Err != "no way " {
		t.Fatalf("reject reason shown as %q", v.Err)
	}

	snap := h.settle()
	for _, a := range snap.Actions {
		assertClean(t, "action "+a.ID+" error", a.Err)
		for _, l := range a.Output {
			assertClean(t, "action "+a.ID+" output", l)
		}
	}
	for _, ev := range snap.Timeline {
		assertClean(t, "timeline", fmt.Sprintf("%s %s %s %v", ev.Text, ev.Subject, ev.Actor, ev.Fields))
	}
	for i, rec := range j.records() {
		assertClean(t, fmt.Sprintf("journal record %d", i+1), string(rec.Data))
	}
}

// A journal written by an older build may hold raw outside text: replay
// cleans it before it reaches a screen.
func TestReplayCleansRawJournalText(t *testing.T) {
	cfg := withSecret(t, actionConfig())
	raw := []byte(`{"at":"2026-11-21T02:00:00Z","kind":"note.added","actor":"mei\u001b[2J","text":"` +
		strings.ReplaceAll(hostile, "\x1b", `\u001b`) + `","fields":{"text":"` + hookSecret + `"}}`)
	raw = []byte(strings.ReplaceAll(string(raw), "\x07", `\u0007`))
	h := startRoom(t, Options{Config: cfg, Journal: &memJournal{}, Replay: []journal.Record{{Seq: 1, Data: raw}}})
	snap := h.settle()
	found := false
	for _, ev := range snap.Timeline {
		assertClean(t, "timeline", fmt.Sprintf("%s %s %s %v", ev.Text, ev.Subject, ev.Actor, ev.Fields))
		found = found || strings.Contains(ev.Text, "upstream failed")
	}
	if !found {
		t.Fatalf("the replayed event is missing: %+v", snap.Timeline)
	}
}
