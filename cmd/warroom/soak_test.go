package main

import (
	"strings"
	"testing"
)

// A rollback that soaks between batches asks, after the soak, whether to
// continue (not whether to retry: the batch went well), and goes on.
func TestRollbackCommandAsksAfterEachSoak(t *testing.T) {
	f := startFleet(t, 2)
	cfg := fleetConfig(t, f)
	appendFile(t, cfg, "actions:\n  executors:\n    - name: deploy\n      exec: {command: [echo, \"deployed {{join .Instances \\\",\\\"}}\"]}\n"+
		"  rollback:\n    - {name: web, executor: deploy, instances: [w1, w2, w3], batches: [33, 66, 100], soak: 1s}\n")
	code, out, errOut := runCmd(t, "web\ncontinue\nabort\n", "rollback", "web", "--to", "v2", "--config", cfg)
	if code == 0 {
		t.Fatalf("aborted after the second soak, yet exit 0:\n%s%s", out, errOut)
	}
	for _, want := range []string{
		"soaking 1s before batch 2/3", "batch 1/3 went well and soaked; check it\ncontinue or abort?",
		"soaking 1s before batch 3/3", "batch 2/3 went well and soaked",
		"aborted after batch 2/3 soaked; later batches not run",
	} {
		if !strings.Contains(out+errOut, want) {
			t.Errorf("output lacks %q:\n%s%s", want, out, errOut)
		}
	}
	if strings.Contains(out, "| batch 3/3: deployed w3") || strings.Contains(out, "retry") {
		t.Errorf("the third batch ran, or a soak offered retry:\n%s", out)
	}
}
