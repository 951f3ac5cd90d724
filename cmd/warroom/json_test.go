package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"warroom/backends/report/reporttest"
)

var snakeKey = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// checkJSONStyle fails on any member name that is not snake case and on
// any zero time (unset times are left out, never "0001-01-01…").
func checkJSONStyle(t *testing.T, what string, data []byte) {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", what, err, data)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if !snakeKey.MatchString(k) {
					t.Errorf("%s: member %s.%s is not snake case", what, path, k)
				}
				walk(path+"."+k, e)
			}
		case []any:
			for _, e := range x {
				walk(path+"[]", e)
			}
		case string:
			if strings.HasPrefix(x, "0001-01-01") {
				t.Errorf("%s: %s is the zero time; leave it out", what, path)
			}
		}
	}
	walk("", v)
}

// Every --json output of the binary speaks one style: status (with an
// alert raised and unacknowledged), the report and the report list.
func TestJSONOutputsAreSnakeCaseWithoutZeroTimes(t *testing.T) {
	f := startFleet(t, 2)
	f.Mirrors()[0].SetDown(true) // the active mirror: alerts are raised
	code, out, errOut := runCmd(t, "", "status", "--json", "--config", fleetConfig(t, f))
	if code != 1 || !strings.Contains(out, `"alerts": [`) {
		t.Fatalf("status --json: exit %d, want 1 with alerts\n%s%s", code, out, errOut)
	}
	checkJSONStyle(t, "status --json", []byte(out))

	cfg, _ := reportSetup(t)
	for _, args := range [][]string{
		{"--incident", reporttest.IncidentID, "--format", "json"},
		{"--incident", reporttest.DrillID, "--format", "json"},
		{"--list", "--format", "json"},
	} {
		code, out, errOut := runReport(t, append(args, "--config", cfg)...)
		if code != 0 {
			t.Fatalf("report %q: exit %d\n%s", args, code, errOut)
		}
		checkJSONStyle(t, "report "+strings.Join(args, " "), []byte(out))
	}
}
