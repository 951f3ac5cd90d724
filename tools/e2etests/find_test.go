package main

import (
	"os"
	"regexp"
	"slices"
	"testing"
)

func TestEndToEndFollowsHelpersAndImports(t *testing.T) {
	got, err := endToEnd("testdata/sample")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"TestAliasedImport", "TestHelperAsAValue", "TestSSHThroughAMethod", "TestThroughAHelper"}
	if !slices.Equal(got, want) {
		t.Fatalf("end-to-end tests = %v, want %v", got, want)
	}
}

func TestRunPatternMatchesOnlyTheNamedTests(t *testing.T) {
	re := regexp.MustCompile(runPattern([]string{"TestA", "TestB.x"}))
	for name, want := range map[string]bool{"TestA": true, "TestB.x": true, "TestAB": false, "TestBax": false, "XTestA": false} {
		if re.MatchString(name) != want {
			t.Errorf("%s: match %v, want %v", name, !want, want)
		}
	}
}

func TestEndToEndNamesABrokenFile(t *testing.T) {
	dir := t.TempDir()
	if err := writeFile(dir+"/bad_test.go", "package x\nfunc {"); err != nil {
		t.Fatal(err)
	}
	if _, err := endToEnd(dir); err == nil || !regexp.MustCompile(`bad_test\.go:2:`).MatchString(err.Error()) {
		t.Fatalf("error = %v, want the file and line", err)
	}
}

func writeFile(name, text string) error { return os.WriteFile(name, []byte(text), 0o600) }
