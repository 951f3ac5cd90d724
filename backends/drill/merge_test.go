package drill

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Scenarios read maps the way the config does: merge keys (<<) share a
// fault's fields, keys written in the map win.
func TestParseMergeKeys(t *testing.T) {
	s := mustParse(t, `name: x
duration: 10m
goals: {detect: 1m}
faults:
  - &tokyo {at: 0s, for: 1m, kind: slow, mirror: tokyo, delay: 3s}
  - <<: *tokyo
    at: 2m
`)
	if len(s.Faults) != 2 {
		t.Fatalf("%d faults, want 2", len(s.Faults))
	}
	f := s.Faults[1]
	if f.At != 2*time.Minute || f.For != time.Minute || f.Kind != KindSlow || f.Mirror != "tokyo" || f.Delay != 3*time.Second {
		t.Errorf("merged fault = %+v, want tokyo slow 3s at 2m for 1m", f)
	}
}

// bombs are scenarios written to cost far more to read than their size.
func bombs() map[string]struct{ src, want string } {
	head := "name: bomb\nduration: 10m\ngoals: {detect: 1m}\nfaults:\n"
	// The classic: ten lists of ten aliases of the list before, 10^9 leaves.
	var laughs strings.Builder
	laughs.WriteString(head + "  - &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&laughs, "  - &l%d [%s]\n", i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 10), ", "))
	}
	// Through merge keys: a thousand faults each merging 5,000 maps (5 million entries).
	var wide strings.Builder
	wide.WriteString(head + "  - &f\n    kind: webhook-fail\n    <<: [" + strings.Repeat("{at: 0s}, ", 5_000) + "{at: 0s}]\n")
	wide.WriteString(strings.Repeat("  - *f\n", 999))
	// Merges nested ten deep, each level ten aliases of the one below.
	var deep strings.Builder
	deep.WriteString("m0: &m0 {at: 0s}\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&deep, "m%d: &m%d {<<: [%s]}\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*m%d, ", i-1), 10), ", "))
	}
	deepSrc := head + "  - {kind: webhook-fail, <<: *m10}\n"
	deepSrc = "x: &x\n" + indent(deep.String()) + deepSrc
	return map[string]struct{ src, want string }{
		"billion laughs": {laughs.String(), "b.yaml:5: faults[0]: want a map with at:, kind: and the kind's fields, got a list"},
		"wide merges":    {wide.String(), "b.yaml:7: the file expands (through aliases) to over 1000000 entries; write it out without nested aliases"},
		"deep merges":    {deepSrc, "merge keys (<<) nest deeper than 8; flatten them"},
	}
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n  ") + "\n"
}

// An alias bomb is refused quickly, with a message that says what to do,
// not buried under the problems it would echo.
func TestParseRefusesAliasBombs(t *testing.T) {
	for name, c := range bombs() {
		t.Run(name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := Parse("b.yaml", []byte(c.src))
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), c.want) {
					t.Fatalf("got %v\nwant a report with %q", err, c.want)
				}
				if n := len(unjoin(err)); n > 20 {
					t.Errorf("%d problems reported; the bomb's own message should stand out:\n%.2000s", n, err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("still reading the scenario after 30s")
			}
		})
	}
}
