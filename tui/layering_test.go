package tui

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// uiImportable are the backends the UI may import: the room, whose types
// views speak, and textsafe, a leaf that cleans outside text.
func uiImportable() map[string]bool {
	return map[string]bool{"warroom/backends/room": true, "warroom/backends/textsafe": true}
}

// TestUIImportsNoBackendButTheRoom holds the dependency rule of
// docs/ARCHITECTURE.md without the linter: every package of tui and panes
// reaches the backends through the room alone. Test files and the
// fixture packages (panestest) may build what the room would.
func TestUIImportsNoBackendButTheRoom(t *testing.T) {
	allowed := uiImportable()
	checked := 0
	for _, root := range []string{".", filepath.Join("..", "panes")} {
		err := filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			if d.Name() == "testdata" || strings.HasSuffix(d.Name(), "test") {
				return filepath.SkipDir
			}
			pkg, err := build.ImportDir(dir, 0)
			if _, none := err.(*build.NoGoError); none {
				return nil
			}
			if err != nil {
				return err
			}
			checked++
			for _, imp := range pkg.Imports {
				if strings.HasPrefix(imp, "warroom/backends/") && !allowed[imp] {
					t.Errorf("%s: imports %s; the UI speaks the room's types only: give the room a type or method for what it needs", filepath.Join("tui", dir), imp)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("reading %s: %v", root, err)
		}
	}
	if checked < 3 { // tui, tui/sshroom, panes
		t.Fatalf("checked %d packages, want at least tui, tui/sshroom and panes", checked)
	}
}
