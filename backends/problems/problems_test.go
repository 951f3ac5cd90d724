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
