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

	"github.com/charmbracelet/x/exp/golden"

	"warroom/backends/journal"
	"warroom/backends/report/reporttest"
)

// reportSetup records the test incident and drill in a real journal in a
// config's state_dir and keeps it open, as a running room would hold it.
// It returns the config file and the journal's path.
func reportSetup(t *testing.T) (cfgPath, journalFile string) {
	t.Helper()
	dir := t.TempDir()
	journalFile = filepath.Join(dir, "journal.jsonl")
	j, _, err := journal.Open(journalFile, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	for _, ev := range reporttest.Drill(reporttest.Incident("15m", "10m")).Events {
		ev.Seq = 0
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := j.Append(b); err != nil {
			t.Fatal(err)
		}
	}
	cfgPath = filepath.Join(t.TempDir(), "warroom.yaml")
	cfg := fmt.Sprintf("site: x\nstate_dir: %s\norigin: {name: origin, url: http://127.0.0.1:1/}\nmirrors:\n  - {name: tokyo, url: http://127.0.0.1:2/}\n", dir)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return cfgPath, journalFile
}

func runReport(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), append([]string{"report"}, args...), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestReportGolden runs the real command on a journal a room still holds;
// go test -update rewrites testdata/TestReportGolden/*.golden.
func TestReportGolden(t *testing.T) {
	cfg, _ := reportSetup(t)
	for name, id := range map[string]string{"incident": reporttest.IncidentID, "drill": reporttest.DrillID} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runReport(t, "--config", cfg, "--incident", id)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			golden.RequireEqual(t, out)
		})
	}
}

func TestReportLatestIsTheDrillAndJSONGoesToFile(t *testing.T) {
	_, jf := reportSetup(t)
	out := filepath.Join(t.TempDir(), "review.json")
	code, stdout, errOut := runReport(t, "--journal", jf, "--format", "json", "-o", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		ID        string          `json:"id"`
		Drill     bool            `json:"drill"`
		Scorecard json.RawMessage `json:"scorecard"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	if got.ID != reporttest.DrillID || !got.Drill || len(got.Scorecard) == 0 {
		t.Fatalf("latest review: %+v", got)
	}
}

func TestReportListShowsDrillsApart(t *testing.T) {
	cfg, _ := reportSetup(t)
	code, out, errOut := runReport(t, "--config", cfg, "--list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	inc, drills, ok := strings.Cut(out, "Drills:")
	if !ok || !strings.Contains(inc, reporttest.IncidentID) || strings.Contains(inc, reporttest.DrillID) ||
		!strings.Contains(drills, reporttest.DrillID) || !strings.Contains(drills, "regional-outage") {
		t.Fatalf("list:\n%s", out)
	}
}

func TestReportUnknownIncidentExitsTwoNamingTheJournal(t *testing.T) {
	cfg, jf := reportSetup(t)
	code, out, errOut := runReport(t, "--config", cfg, "--incident", "INC-20990101-9")
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, s := range []string{jf, `"INC-20990101-9"`, reporttest.IncidentID, reporttest.DrillID} {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr lacks %q: %s", s, errOut)
		}
	}
}

func TestReportWithoutJournalExitsTwo(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "journal.jsonl")
	code, _, errOut := runReport(t, "--journal", missing)
	if code != 2 || !strings.Contains(errOut, missing) {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	code, _, errOut = runReport(t, "--journal", missing, "--format", "pdf")
	if code != 2 || !strings.Contains(errOut, `--format "pdf"`) {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
}

func TestReportWriterForTheRoomKey(t *testing.T) {
	cfgPath, jf := reportSetup(t)
	s, err := load(roomFlags{config: cfgPath})
	if err != nil {
		t.Fatal(err)
	}
	path, err := reportWriter(s.cfg)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(filepath.Dir(jf), "reports", reporttest.DrillID+".md"); path != want {
		t.Fatalf("wrote %s, want %s", path, want)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), "## Drill scorecard: regional-outage") {
		t.Fatalf("report file (err %v):\n%s", err, b)
	}
}
