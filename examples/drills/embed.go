// Package drills ships the drill scenarios, one per playbook case, inside
// the binary, so the demo's drill key can offer them with no files at hand.
package drills

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"warroom/backends/drill"
)

// FS holds the shipped scenario files (name.yaml). An embed.FS is read-only.
//
//go:embed *.yaml
var FS embed.FS

// Dir is where the files live in the source tree; File names them with it.
const Dir = "examples/drills"

// Names lists the shipped scenarios (file names without .yaml), sorted.
func Names() []string {
	entries, err := fs.ReadDir(FS, ".")
	if err != nil {
		return nil // cannot happen: the embedded root always reads
	}
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && !e.IsDir() {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// File is the path a shipped scenario has in the source tree, as shown in
// the room and the journal.
func File(name string) string { return Dir + "/" + name + ".yaml" }

// Load parses the shipped scenario called name (see Names).
func Load(name string) (*drill.Scenario, error) {
	data, err := FS.ReadFile(name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no shipped drill %q; the shipped drills are %s", name, strings.Join(Names(), ", "))
	}
	return drill.Parse(File(name), data)
}
