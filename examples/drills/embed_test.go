package drills

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestNamesMatchTheFolder: every .yaml in the folder is embedded, listed
// and parses; its name inside matches the file's.
func TestNamesMatchTheFolder(t *testing.T) {
	files, err := filepath.Glob("*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range files {
		want = append(want, strings.TrimSuffix(f, ".yaml"))
	}
	slices.Sort(want)
	got := Names()
	if !slices.Equal(got, want) || len(got) < 4 {
		t.Fatalf("Names() = %v, want the folder's %v (four playbook cases at least)", got, want)
	}
	for _, name := range got {
		s, err := Load(name)
		if err != nil {
			t.Errorf("Load(%q): %v", name, err)
			continue
		}
		if s.Name != name {
			t.Errorf("%s: name %q inside, want the file's name", File(name), s.Name)
		}
		disk, err := os.ReadFile(name + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		embedded, _ := FS.ReadFile(name + ".yaml")
		if string(disk) != string(embedded) {
			t.Errorf("%s: embedded copy differs from the file", name)
		}
	}
}

func TestLoadUnknownNamesTheShipped(t *testing.T) {
	_, err := Load("nope")
	if err == nil || !strings.Contains(err.Error(), "regional-outage") {
		t.Fatalf("Load(nope) = %v, want an error listing the shipped drills", err)
	}
}
