package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"warroom/backends/sim"
)

// routedConfig is fleetConfig plus a failover executor: the real HAProxy
// executor against the simulated router's runtime API.
func routedConfig(t *testing.T, f *sim.Fleet) (string, *sim.Router) {
	t.Helper()
	var servers []sim.RouterServer
	for i, n := range f.Mirrors() {
		servers = append(servers, sim.RouterServer{Name: n.Name, URL: n.URL, Ready: i == 0, Weight: 100})
	}
	router, err := sim.StartRouter("mirrors", servers)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(router.Close)
	path := fleetConfig(t, f)
	extra := fmt.Sprintf("actions:\n  executors:\n    - {name: edge, haproxy: {address: %q, backend: mirrors}}\n  failover: edge\n", router.APIAddr())
	appendFile(t, path, extra)
	return path, router
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if _, err := fh.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestFailoverCommandMovesTrafficAndRecordsIt(t *testing.T) {
	f := startFleet(t, 3)
	cfg, router := routedConfig(t, f)
	first, second := f.Mirrors()[0].Name, f.Mirrors()[1].Name

	code, out, errOut := runCmd(t, "", "failover", "--config", cfg, "--dry-run", second)
	if code != 0 || !strings.Contains(out, "failover "+first+" → "+second+" via edge (haproxy)") ||
		!strings.Contains(out, "set server mirrors/"+second+" state ready") || !strings.Contains(out, "dry run: nothing was run") {
		t.Fatalf("dry run: code %d\n%s%s", code, out, errOut)
	}
	if got := router.Active(); len(got) != 1 || got[0] != first {
		t.Fatalf("dry run moved traffic: %v", got)
	}

	code, out, errOut = runCmd(t, "osaka\n", "failover", "--config", cfg, second)
	if code != 2 || !strings.Contains(errOut, "not confirmed") {
		t.Fatalf("wrong name typed: code %d\n%s%s", code, out, errOut)
	}

	code, out, errOut = runCmd(t, second+"\n", "failover", "--config", cfg, second)
	if code != 0 || !strings.Contains(out, "succeeded") {
		t.Fatalf("failover: code %d\n%s%s", code, out, errOut)
	}
	if got := router.Active(); len(got) != 1 || got[0] != second {
		t.Fatalf("router serves %v after failover to %s", got, second)
	}
	// The journal remembers: the next command sees second as active.
	code, out, errOut = runCmd(t, "", "failover", "--config", cfg, "--dry-run", first)
	if code != 0 || !strings.Contains(out, "failover "+second+" → "+first) {
		t.Fatalf("after failover, the room does not know who is active: code %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = runCmd(t, "", "failover", "--config", cfg, "--yes", "--from", first, second)
	if code != 2 || !strings.Contains(errOut, "is not serving traffic") {
		t.Fatalf("failover from a backup: code %d %s", code, errOut)
	}
}

func TestReadOnlyRefusesFailoverCommand(t *testing.T) {
	f := startFleet(t, 2)
	cfg, router := routedConfig(t, f)
	code, _, errOut := runCmd(t, "", "failover", "--config", cfg, "--readonly", "--yes", f.Mirrors()[1].Name)
	if code != 2 || !strings.Contains(errOut, "read-only") {
		t.Fatalf("read-only failover: code %d %s", code, errOut)
	}
	if got := router.Active(); got[0] != f.Mirrors()[0].Name {
		t.Fatalf("read-only room moved traffic: %v", got)
	}
}
