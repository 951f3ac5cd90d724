package problems

import (
	"errors"
	"strings"
	"testing"
)

// A report lists problems in file order, once each, capped with a count of the rest.
func TestListOrdersDropsRepeatsAndCaps(t *testing.T) {
	l := List{File: "f.yaml"}
	l.Add(9, "b", "second")
	l.Add(2, "a", "first %d\nline", 1)
	l.Add(9, "b", "second") // the same problem seen twice
	err := l.Err()
	if got, want := err.Error(), "f.yaml:2: a: first 1 line\nf.yaml:9: b: second"; got != want {
		t.Fatalf("report:\n%s\nwant:\n%s", got, want)
	}
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Line != 2 {
		t.Fatalf("errors.As: %v, %+v", errors.As(err, &fe), fe)
	}
	var many List
	for i := range MaxReported + 7 {
		many.Add(i+1, "", "problem %d", i)
	}
	lines := strings.Split(many.Err().Error(), "\n")
	if len(lines) != MaxReported+1 || lines[MaxReported] != "and 7 more problems; fix the ones above first" {
		t.Fatalf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
	if (&List{}).Err() != nil {
		t.Fatal("an empty list is an error")
	}
}

func TestSuggestNamesCloseWordsOnly(t *testing.T) {
	allowed := []string{"site", "state_dir", "theme"}
	for in, want := range map[string]string{"sitee": ` (did you mean "site"?)`, "THEM": ` (did you mean "theme"?)`, "mirrors": "", strings.Repeat("s", 100): ""} {
		if got := Suggest(in, allowed); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Quote(strings.Repeat("x", 80)); got != `"`+strings.Repeat("x", 60)+`…"` {
		t.Errorf("Quote shortened to %s", got)
	}
}

// After Halt, later problems are echoes: not reported, not counted; the
// halting problem is reported even past the cap.
func TestHaltReportsItselfAndNoEchoes(t *testing.T) {
	var l List
	for i := range MaxReported + 5 {
		l.Add(i+1, "", "problem %d", i)
	}
	l.Halt(MaxReported+50, "", "too costly")
	l.Add(1, "", "echo")
	l.Halt(2, "", "second halt")
	lines := strings.Split(l.Err().Error(), "\n")
	want := []string{"line 150: too costly", "and 5 more problems; fix the ones above first"}
	if got := lines[len(lines)-2:]; len(lines) != MaxReported+2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("%d lines ending %q, want %d ending %q", len(lines), got, MaxReported+2, want)
	}
	if strings.Contains(l.Err().Error(), "echo") || strings.Contains(l.Err().Error(), "second halt") {
		t.Fatal("a problem after Halt was reported")
	}
	if l.Len() != MaxReported+8 {
		t.Fatalf("Len = %d, want every problem added counted", l.Len())
	}
}

// A hostile file's millions of problems cost bounded memory: the list
// keeps a bounded number and counts the rest.
func TestListKeepsABoundedNumber(t *testing.T) {
	var l List
	const n = 1_000_000
	for i := range n {
		l.Add(i+1, "f", "problem %d", i)
	}
	if len(l.errs) > maxKept {
		t.Fatalf("kept %d problems, want at most %d", len(l.errs), maxKept)
	}
	lines := strings.Split(l.Err().Error(), "\n")
	if got, want := lines[len(lines)-1], "and 999900 more problems; fix the ones above first"; got != want {
		t.Fatalf("last line %q, want %q", got, want)
	}
}
