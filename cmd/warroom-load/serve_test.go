package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary be the sim child: startSimChild runs
// os.Executable() with -serve-sim.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "-serve-sim" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestServeModeSmoke runs -serve end to end on a tiny fleet: the real
// binary probes it, the figures are read at each mark, and the bare loop
// runs after. It checks the report's shape, never the figures.
func TestServeModeSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	bin := filepath.Join(t.TempDir(), "warroom")
	if out, err := exec.Command("go", "build", "-o", bin, "warroom/cmd/warroom").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	o := options{mirrors: 3, interval: 3 * time.Second, timeout: time.Second, duration: 3 * time.Second, seed: 1,
		serveOpts: serveOpts{serve: true, bin: bin, marks: "3s,6s", checks: "all", baseline: 3 * time.Second, profile: t.TempDir(), cpuFor: time.Second}}
	var out strings.Builder
	if err := runServe(o, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{"origin + 3 mirrors", "at 3s ", "at 6s ", "checks started", "lateness p50", "steady (after the first mark)", "bare loop (all", "× the bare loop"} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	for _, f := range []string{"heap.pb.gz", "cpu.pb.gz"} {
		if _, err := os.Stat(filepath.Join(o.profile, f)); err != nil {
			t.Errorf("profile %s not saved: %v", f, err)
		}
	}
}

func TestParseMarks(t *testing.T) {
	if ms, err := parseMarks("1m, 5m,10m"); err != nil || len(ms) != 3 || ms[2] != 10*time.Minute {
		t.Errorf("parseMarks: %v %v", ms, err)
	}
	for _, bad := range []string{"", "5m,1m", "soon", "0s"} {
		if _, err := parseMarks(bad); err == nil {
			t.Errorf("parseMarks(%q) accepted", bad)
		}
	}
}

func TestHistogramQuantile(t *testing.T) {
	text := `# TYPE x histogram
x_bucket{le="0.001"} 90
x_bucket{le="0.01"} 99
x_bucket{le="0.1"} 100
x_bucket{le="+Inf"} 100
x_count 100
g 3
`
	bs := histogram(text, "x")
	if len(bs) != 4 {
		t.Fatalf("buckets %v", bs)
	}
	if p50, p99 := quantile(bs, 0.5), quantile(bs, 0.99); p50 != "≤ 1ms" || p99 != "≤ 10ms" {
		t.Errorf("p50 %s p99 %s", p50, p99)
	}
	if g := gauge(text, "g"); g != 3 {
		t.Errorf("gauge %v", g)
	}
}
