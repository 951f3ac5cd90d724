package drill

import (
	"path/filepath"
	"strings"
	"testing"

	"warroom/backends/sim"
)

var testFleet = map[string]string{"tokyo": "ap-northeast", "osaka": "ap-northeast", "paris": "eu-west", "madrid": "eu-west"}

func TestCheckNamesUnknownMirrorsAndRegions(t *testing.T) {
	s := mustParse(t, `name: x
duration: 10m
goals: {detect: 1m}
faults:
  - at: 0s
    kind: mirror-down
    mirror: tokio
  - at: 0s
    kind: region-down
    region: ap-east
  - at: 0s
    kind: slow
    delay: 1s
    mirror: osaka
  - at: 0s
    kind: drift
    mirror: atlantis
`)
	got := fieldErrors(t, s.Check(testFleet))
	want := []string{
		`test.yaml:7: faults[0].mirror: no mirror "tokio" in this fleet (did you mean "tokyo"?); its mirrors are madrid, osaka, paris or tokyo`,
		`test.yaml:10: faults[1].region: no mirror of this fleet is in region "ap-east"; its regions are ap-northeast or eu-west`,
		`test.yaml:17: faults[3].mirror: no mirror "atlantis" in this fleet; its mirrors are madrid, osaka, paris or tokyo`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:%s\nwant:%s", fmtList(got), fmtList(want))
	}
	if err := s.Check(nil); err == nil || !strings.Contains(err.Error(), "none (is the fleet configured?)") {
		t.Errorf("Check against no fleet: %v", err)
	}
}

// shipped lists the scenario files in examples/drills.
func shipped(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../../examples/drills/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".yaml"))
	}
	if got := strings.Join(names, " "); got != "bad-release dns-failure regional-outage single-node-failure" {
		t.Fatalf("shipped scenarios: %s; want one per playbook case", got)
	}
	return files
}

// demoFleet is the fleet `warroom demo` starts by default (cmd/warroom:
// 8 mirrors, seed 1, the default regions), asked of the simulator itself
// so a change of its naming breaks this test rather than the demo.
func demoFleet(t *testing.T) map[string]string {
	t.Helper()
	f, err := sim.Start(sim.Options{Mirrors: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	for _, m := range f.Mirrors() {
		out[m.Name] = m.Region
	}
	return out
}

func TestShippedScenariosFitTheDemoFleet(t *testing.T) {
	fleet := demoFleet(t)
	for _, file := range shipped(t) {
		s, err := Load(file)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if err := s.Check(fleet); err != nil {
			t.Errorf("%s does not fit the demo fleet:\n%v", file, err)
		}
		if s.Name+".yaml" != filepath.Base(file) {
			t.Errorf("%s is named %q: name it after its file", file, s.Name)
		}
		if s.Description == "" || s.Live {
			t.Errorf("%s: want a description and dry-run actions", file)
		}
	}
}
