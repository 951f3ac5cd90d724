package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"warroom/backends/sim"
)

// fleetConfig writes a config file for a simulated fleet, as a user would.
func fleetConfig(t *testing.T, f *sim.Fleet) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "site: test-fleet\nstate_dir: %s\n", t.TempDir())
	b.WriteString("defaults:\n  health: {path: /health, interval: 2s, timeout: 1s}\n")
	b.WriteString("  lag: {kind: trace, path: /project/trace/master}\n  manifest: /manifest\n")
	fmt.Fprintf(&b, "origin: {name: origin, url: %q}\nmirrors:\n", f.Origin().URL)
	for i, n := range f.Mirrors() {
		role := "backup"
		if i == 0 {
			role = "active"
		}
		fmt.Fprintf(&b, "  - {name: %s, url: %q, region: %s, role: %s}\n", n.Name, n.URL, n.Region, role)
	}
	path := filepath.Join(t.TempDir(), "warroom.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func startFleet(t *testing.T, n int) *sim.Fleet {
	t.Helper()
	f, err := sim.Start(sim.Options{Mirrors: n, Seed: 7, SyncEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestStatusHealthyFleetExitsZero(t *testing.T) {
	f := startFleet(t, 3)
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"status", "--config", fleetConfig(t, f)}, strings.NewReader(""), &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q\n%s", code, errOut.String(), out.String())
	}
	for _, n := range f.Mirrors() {
		if !strings.Contains(out.String(), n.Name) {
			t.Fatalf("table lacks mirror %s:\n%s", n.Name, out.String())
		}
	}
	if !strings.Contains(out.String(), "up") {
		t.Fatalf("no mirror shown up:\n%s", out.String())
	}
}

func TestStatusJSONReportsDownActiveAndDriftAndExitsOne(t *testing.T) {
	f := startFleet(t, 3)
	ms := f.Mirrors()
	ms[0].SetDown(true)  // the active mirror
	ms[1].SetDrift(true) // same serial, other content
	var out, errOut bytes.Buffer
	code := run(context.Background(), []string{"status", "--json", "--config", fleetConfig(t, f)}, strings.NewReader(""), &out, &errOut)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (critical); stderr %q", code, errOut.String())
	}
	var got statusJSON
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if !got.Critical || len(got.Mirrors) != 3 {
		t.Fatalf("critical %v, %d mirrors", got.Critical, len(got.Mirrors))
	}
	down, drift := got.Mirrors[0], got.Mirrors[1]
	if down.State != "down" || !strings.Contains(down.Reason, "unreachable") {
		t.Fatalf("active mirror: %+v", down)
	}
	if !drift.Drift || drift.State != "up" {
		t.Fatalf("drifted mirror: %+v", drift)
	}
	if got.Mirrors[2].LagSeconds == nil || got.Mirrors[2].Serial == 0 {
		t.Fatalf("healthy mirror has no lag or serial: %+v", got.Mirrors[2])
	}
}

func TestCheckNamesFileAndLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	cfg := "site: x\norigin: {name: origin, url: http://127.0.0.1:1/}\nmirrors:\n  - name: a\n    url: http://127.0.0.1:2/\n    health: {interval: soon}\n"
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check", "--config", path}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	msg := errOut.String()
	if !strings.Contains(msg, "bad.yaml:6") || !strings.Contains(msg, "interval") {
		t.Fatalf("error does not name file:line and field: %q", msg)
	}
}

func TestCheckReportsKeyConflicts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.yaml")
	cfg := "site: x\nkeys: {zoom: q}\norigin: {name: origin, url: http://127.0.0.1:1/}\nmirrors:\n  - {name: a, url: http://127.0.0.1:2/}\n"
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"check", "--config", path}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Fatalf("exit %d, want 2; out %q", code, out.String())
	}
	if msg := errOut.String(); !strings.Contains(msg, "zoom") || !strings.Contains(msg, "quit") {
		t.Fatalf("conflict error does not name both actions: %q", msg)
	}
}

func TestUnknownCommandIsAUsageError(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"frobnicate"}, strings.NewReader(""), &out, &errOut); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errOut.String(), `unknown command "frobnicate"`) {
		t.Fatalf("stderr %q", errOut.String())
	}
}
