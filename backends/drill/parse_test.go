package drill

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

const briefExample = `name: regional-outage
description: Every mirror in ap-east loses its network.
duration: 15m
goals:
  recover: 15m
  detect: 1m
  acknowledge: 3m
  failover: 5m
  announce: 10m
faults:
  - at: 0s
    for: 10m
    kind: region-down
    region: ap-east
  - at: 30s
    kind: slow
    mirror: tokyo
    delay: 3s
  - at: 1m
    kind: flapping
    mirror: osaka
  - at: 2m
    kind: host-cpu
    percent: 92.5
  - at: 3m
    kind: webhook-fail
`

func TestParseExample(t *testing.T) {
	s, err := Parse("ex.yaml", []byte(strings.Replace(briefExample, "  recover: 15m\n", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "regional-outage" || s.Duration != 15*time.Minute || s.Live || s.File != "ex.yaml" {
		t.Errorf("scenario = %q %v live=%v file=%q", s.Name, s.Duration, s.Live, s.File)
	}
	var names []string
	for _, g := range s.Goals {
		names = append(names, g.Name)
	}
	if got := strings.Join(names, ","); got != "detect,acknowledge,failover,announce" {
		t.Errorf("goals in order %s, want response order", got)
	}
	want := []Fault{
		{Kind: KindRegionDown, Region: "ap-east", At: 0, For: 10 * time.Minute, Line: 10},
		{Kind: KindSlow, Mirror: "tokyo", Delay: 3 * time.Second, At: 30 * time.Second, Line: 14},
		{Kind: KindFlapping, Mirror: "osaka", Period: DefaultFlapPeriod, At: time.Minute, Line: 18},
		{Kind: KindHostCPU, Percent: 92.5, At: 2 * time.Minute, Line: 21},
		{Kind: KindWebhookFail, At: 3 * time.Minute, Line: 24},
	}
	if len(s.Faults) != len(want) {
		t.Fatalf("%d faults, want %d", len(s.Faults), len(want))
	}
	for i := range want {
		if got := s.Faults[i]; got.Kind != want[i].Kind || got.Mirror != want[i].Mirror || got.Region != want[i].Region ||
			got.Delay != want[i].Delay || got.Period != want[i].Period || got.Percent != want[i].Percent ||
			got.At != want[i].At || got.For != want[i].For || got.Line != want[i].Line {
			t.Errorf("fault %d = %+v, want %+v", i, got, want[i])
		}
	}
}

// TestParseReportsEveryProblem: one run lists all mistakes, each with
// file:line: field and what to do.
func TestParseReportsEveryProblem(t *testing.T) {
	src := `name: broken
durations: 15m
live: maybe
goals:
  detet: 1m
  failover: soon
faults:
  - at: 0s
    kind: mirrordown
    mirror: tokyo
  - at: 10
    kind: slow
    mirror: tokyo
  - kind: lag
    mirror: osaka
    behind: -5m
    region: ap-east
  - at: 1m
    kind: host-memory
    percent: 150
    mirorr: x
  - at: 1m
    at: 2m
    kind: region-down
`
	_, err := Parse("bad.yaml", []byte(src))
	got := fieldErrors(t, err)
	want := []string{
		`bad.yaml:2: durations: unknown key (did you mean "duration"?); allowed here: name, description, duration, live, goals, faults`,
		`bad.yaml:3: live: want true or false, got the value "maybe"`,
		`bad.yaml:5: goals.detet: unknown key (did you mean "detect"?); allowed here: detect, acknowledge`,
		`bad.yaml:6: goals.failover: "soon" is not a duration`,
		`bad.yaml:9: faults[0].kind: unknown kind "mirrordown" (did you mean "mirror-down"?)`,
		`bad.yaml:11: faults[1].at: "10" has no unit: write it like 10s or 10m`,
		`bad.yaml:11: faults[1].delay: missing: a slow fault needs it (e.g. delay: 3s)`,
		`bad.yaml:16: faults[2].behind: -5m: want more than 0`,
		`bad.yaml:17: faults[2].region: not used by lag faults; remove it (lag takes mirror:, behind:)`,
		`bad.yaml:20: faults[3].percent: want a number above 0 and at most 100 (like 95), got the value "150"`,
		`bad.yaml:21: faults[3].mirorr: unknown key (did you mean "mirror"?); allowed here: at, for, kind, mirror`,
		`bad.yaml:22: faults[4].region: missing: a region-down fault needs it (e.g. region: ap-east)`,
		`bad.yaml:23: faults[4].at: set twice (lines 22 and 23); keep one`,
		`bad.yaml:1: duration: missing: add the time limit`,
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || strings.HasPrefix(g, w)
		}
		if !found {
			t.Errorf("missing error %q in:%s", w, fmtList(got))
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d errors, want %d:%s", len(got), len(want), fmtList(got))
	}
	// Sorted by line, so the file reads top to bottom.
	if !strings.HasPrefix(got[0], "bad.yaml:1:") || !strings.HasPrefix(got[len(got)-1], "bad.yaml:23:") {
		t.Errorf("errors not in line order:%s", fmtList(got))
	}
}

func TestParseWholeFileProblems(t *testing.T) {
	cases := map[string]struct{ src, want string }{
		"empty":     {"", "f.yaml: empty file: want name:, duration:, goals: and faults:"},
		"list":      {"- a\n- b\n", "f.yaml:1: want a map with name:, duration:, goals: and faults:, got a list"},
		"syntax":    {"name: x\nfaults: [\n  at: 0s\n", "f.yaml:"},
		"no goals":  {"name: x\nduration: 1m\ngoals: {}\nfaults: [{at: 0s, kind: webhook-fail}]\n", "f.yaml:3: goals: no goals: give at least one of detect"},
		"no faults": {"name: x\nduration: 1m\ngoals: {detect: 1m}\nfaults: []\n", "f.yaml:4: faults: no faults: a drill needs at least one"},
		"no name":   {"name: ''\nduration: 1m\ngoals: {detect: 1m}\nfaults: [{at: 0s, kind: webhook-fail}]\n", "f.yaml:1: name: want a name for the drill, got nothing"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("f.yaml", []byte(c.src))
			got := fieldErrors(t, err)
			if !strings.HasPrefix(got[0], c.want) {
				t.Errorf("got:%s\nwant prefix %q", fmtList(got), c.want)
			}
		})
	}
	if _, err := Parse("f.yaml", []byte("name: x\nfaults: [\n  at: 0s\n")); err == nil || !strings.Contains(err.Error(), "not valid YAML") {
		t.Errorf("syntax error reads %v, want 'not valid YAML'", err)
	}
}

// TestParseTimesAndGoalsFit: faults start before the end, targets fit after
// the first fault, and a recover goal needs every fault to end in time.
func TestParseTimesAndGoalsFit(t *testing.T) {
	src := `name: x
duration: 10m
goals:
  detect: 9m30s
  recover: 9m
faults:
  - at: 1m
    for: 2m
    kind: mirror-down
    mirror: a
  - at: 2m
    kind: webhook-fail
  - at: 3m
    for: 7m
    kind: drift
    mirror: b
  - at: 10m
    for: 1s
    kind: drift
    mirror: c
`
	_, err := Parse("t.yaml", []byte(src))
	got := fieldErrors(t, err)
	want := []string{
		"t.yaml:4: goals.detect: 9m30s can never be met: goals count from the first fault, and the drill ends 9m0s after it",
		"t.yaml:11: faults[1].for: missing, so this fault lasts until the drill ends and goals.recover can never be reached",
		"t.yaml:14: faults[2].for: the fault ends at 10m0s, not before the drill's end (10m0s)",
		"t.yaml:17: faults[3].at: 10m0s is not before the drill's end (duration: 10m0s)",
		"t.yaml:18: faults[3].for: the fault ends at 10m1s",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:%s", len(got), len(want), fmtList(got))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
}

func TestParseLiveAndAliases(t *testing.T) {
	s := mustParse(t, `name: x
duration: 5m
live: true
goals: {detect: 1m}
faults:
  - &down {at: 0s, for: 1m, kind: mirror-down, mirror: a}
  - *down
`)
	if !s.Live || len(s.Faults) != 2 || s.Faults[1].Mirror != "a" {
		t.Errorf("live=%v faults=%+v", s.Live, s.Faults)
	}
}

func TestParseRejectsHugeFile(t *testing.T) {
	_, err := Parse("big.yaml", make([]byte, maxFileSize+1))
	if err == nil || !strings.Contains(err.Error(), "is this the right file") {
		t.Errorf("err = %v", err)
	}
}

func TestLoad(t *testing.T) {
	_, err := Load("no/such/file.yaml")
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "drill: read scenario") {
		t.Errorf("Load of a missing file: %v", err)
	}
	path := t.TempDir() + "/x.yaml"
	if err := os.WriteFile(path, []byte("name: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = Load(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+":1: duration: missing") {
		t.Errorf("Load names the file in errors: %v", err)
	}
}
