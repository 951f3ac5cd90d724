package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"warroom/examples/drills"
)

// writeScenario writes a scenario file for a test.
func writeScenario(t *testing.T, src string) string {
	t.Helper()
	return writeTestFile(t, "drill.yaml", src)
}

// writeTestFile writes content to a file named name in a new temporary folder.
func writeTestFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDrillFlagsMayFollowTheScenario(t *testing.T) {
	var stderr bytes.Buffer
	f, err := parseDrill([]string{"--demo", "regional-outage", "--headless", "--seed", "3"}, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	if !f.demo || !f.headless || f.seed != 3 || f.scenario != "regional-outage" {
		t.Errorf("parsed %+v", f)
	}
	if got := strings.Join(f.demoArgs(), " "); got != "--mirrors 8 --seed 3" {
		t.Errorf("demo args %q", got)
	}
	for _, args := range [][]string{{}, {"a.yaml", "b.yaml"}, {"--demo", "--config", "x.yaml", "a.yaml"}, {"--bogus", "a.yaml"}} {
		if _, err := parseDrill(args, &stderr); err == nil {
			t.Errorf("parseDrill(%q) accepted", args)
		} else if _, ok := err.(usageError); !ok {
			if _, ok := err.(flagError); !ok {
				t.Errorf("parseDrill(%q): %T %v, want a usage or flag error", args, err, err)
			}
		}
	}
	if f, err := parseDrill([]string{"--list"}, &stderr); err != nil || !f.list {
		t.Errorf("--list alone: %+v %v", f, err)
	}
}

func TestDrillListShowsTheShippedScenarios(t *testing.T) {
	code, out, errOut := runCmd(t, "", "drill", "--list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, name := range drills.Names() {
		if !strings.Contains(out, name) {
			t.Errorf("--list lacks %s:\n%s", name, out)
		}
	}
	if !strings.Contains(out, "failover 5m") {
		t.Errorf("--list does not show goals:\n%s", out)
	}
}

func TestDrillScenarioByFileNameOrShippedName(t *testing.T) {
	var stderr bytes.Buffer
	own := writeScenario(t, "name: own\nduration: 1m\ngoals: {detect: 30s}\nfaults: [{kind: drift, mirror: x}]\n")
	for arg, want := range map[string]string{
		own:                                      own,
		"regional-outage":                        drills.File("regional-outage"),
		"examples/drills/regional-outage.yaml":   drills.File("regional-outage"), // not here: cmd/warroom is the test's folder
		"../../examples/drills/dns-failure.yaml": "../../examples/drills/dns-failure.yaml",
	} {
		s, file, err := loadScenario(arg, &stderr)
		if err != nil || file != want || s == nil {
			t.Errorf("loadScenario(%q) = %v, %q, %v; want the file %q", arg, s, file, err, want)
		}
	}
	if strings.Contains(stderr.String(), "regional-outage") {
		t.Errorf("a shipped drill's own path was reported missing: %q", stderr.String())
	}
	if _, _, err := loadScenario("elsewhere/regional-outage.yaml", &stderr); err != nil || !strings.Contains(stderr.String(), "running the shipped drill regional-outage") {
		t.Errorf("a missing path with a shipped name: %v, stderr %q; want the shipped one, said so", err, stderr.String())
	}
	_, _, err := loadScenario("nope.yaml", &stderr)
	if err == nil || !strings.Contains(err.Error(), "bad-release") || !strings.Contains(err.Error(), "nope.yaml") {
		t.Errorf("unknown scenario: %v, want the name and the shipped list", err)
	}
}

func TestDrillThatDoesNotFitTheFleetIsRefused(t *testing.T) {
	f := startFleet(t, 2)
	scenario := writeScenario(t, "name: far\nduration: 1m\ngoals: {detect: 30s}\nfaults:\n  - kind: region-down\n    region: mars\n")
	code, _, errOut := runCmd(t, "", "drill", "--headless", "--config", fleetConfig(t, f), scenario)
	if code != 2 || !strings.Contains(errOut, `"mars"`) || !strings.Contains(errOut, scenario+":6") {
		t.Fatalf("exit %d, stderr %q; want 2 with the region and its file:line", code, errOut)
	}
}

// TestDrillHeadlessOnARealFleetFiltersAndScores: on a configured fleet the
// drill breaks nothing real: the probes' view is filtered. The "down"
// mirror keeps answering every probe, yet the room sees it down with the
// drill's reason, detects it, and the drill ends with its goal met: exit 0
// and the scorecard on stdout.
func TestDrillHeadlessOnARealFleetFiltersAndScores(t *testing.T) {
	f := startFleet(t, 3)
	cfg := fleetConfig(t, f)
	victim := f.Mirrors()[1]
	scenario := writeScenario(t, "name: one-down\nduration: 1m\ngoals: {detect: 40s}\nfaults:\n  - {kind: mirror-down, mirror: "+victim.Name+", for: 50s}\n")
	before := victim.Requests()
	code, out, errOut := runCmd(t, "", "drill", "--headless", "--config", cfg, scenario)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"## Drill scorecard: one-down", "| detect | 40s |", "| met |", "goals met", "1 of 1 goals met"} {
		if !strings.Contains(out, want) {
			t.Errorf("scorecard lacks %q:\n%s", want, out)
		}
	}
	if victim.Requests() == before {
		t.Error("the drilled mirror was not probed at all")
	}
	journal, err := os.ReadFile(filepath.Join(stateDirOf(t, cfg), "journal.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"drill: mirror down", `"drill.started"`, `"drill.ended"`} {
		if !strings.Contains(string(journal), want) {
			t.Errorf("the journal lacks %q", want)
		}
	}
}

// TestDrillHeadlessInTheDemoMissesAndExitsOne: nobody announces, so the
// announce goal is missed at the time limit: the scorecard says so and
// the exit code is 1, as a CI drill needs.
func TestDrillHeadlessInTheDemoMissesAndExitsOne(t *testing.T) {
	scenario := writeScenario(t, "name: nobody-home\nduration: 3s\ngoals: {announce: 1s}\nfaults:\n  - {kind: mirror-down, mirror: new-york}\n  - {kind: host-cpu, percent: 97}\n")
	code, out, errOut := runCmd(t, "", "drill", "--demo", "--headless", scenario)
	if code != 1 {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "| announce | 1s | — | missed (never reached) |") || !strings.Contains(out, "time limit") {
		t.Errorf("scorecard:\n%s", out)
	}
	if !strings.Contains(errOut, "1 of 1 goals missed") {
		t.Errorf("stderr %q does not say what was missed", errOut)
	}
}

// stateDirOf reads state_dir back from a config fleetConfig wrote.
func stateDirOf(t *testing.T, cfg string) string {
	t.Helper()
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if dir, ok := strings.CutPrefix(l, "state_dir: "); ok {
			return dir
		}
	}
	t.Fatal("no state_dir in the config")
	return ""
}
