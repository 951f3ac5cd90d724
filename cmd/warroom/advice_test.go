package main

import (
	"os"
	"strings"
	"testing"
)

// TestFailoverPlanNeverPicksADriftedMirror: with a beacon lag source (no
// serial) a mirror serving another manifest than the origin's is found
// over real HTTP; `failover` without a target passes it over, and naming
// it shows why it is not recommended.
func TestFailoverPlanNeverPicksADriftedMirror(t *testing.T) {
	f := startFleet(t, 3)
	for _, n := range f.Mirrors() {
		n.SetLagBehind(0)
	}
	drifted, fit := f.Mirrors()[1].Name, f.Mirrors()[2].Name
	f.Mirrors()[1].SetDrift(true)
	cfg, _ := routedConfig(t, f)
	text, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	beacon := strings.Replace(string(text), "lag: {kind: trace, path: /project/trace/master}", "lag: {kind: beacon, path: /lastsync}", 1)
	if err := os.WriteFile(cfg, []byte(beacon), 0o600); err != nil {
		t.Fatal(err)
	}

	code, out, errOut := runCmd(t, "", "failover", "--config", cfg, "--dry-run")
	if code != 0 || !strings.Contains(out, "→ "+fit+" via edge") {
		t.Fatalf("failover without a target: code %d, want %s (not the drifted %s)\n%s%s", code, fit, drifted, out, errOut)
	}
	code, out, errOut = runCmd(t, "", "failover", "--config", cfg, "--dry-run", drifted)
	if code != 0 || !strings.Contains(out, "warning: not recommended: ") || !strings.Contains(out, "differ") {
		t.Fatalf("failover to the drifted mirror: code %d, want its plan behind a warning\n%s%s", code, out, errOut)
	}
}
