// Command e2etests lists the end-to-end tests of the packages under the
// given folders, one line per package: its folder and a -run pattern.
// `make e2e` runs them; a new end-to-end test is found by what it calls,
// not by its name.
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

func main() {
	roots := os.Args[1:]
	if len(roots) == 0 {
		roots = []string{"."}
	}
	if err := list(roots); err != nil {
		fmt.Fprintln(os.Stderr, "e2etests:", err)
		os.Exit(1)
	}
}

func list(roots []string) error {
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || !d.IsDir() {
				return err
			}
			if d.Name() == "testdata" || (strings.HasPrefix(d.Name(), ".") && path != root) {
				return filepath.SkipDir
			}
			tests, err := endToEnd(path)
			if err != nil {
				return err
			}
			if len(tests) > 0 {
				fmt.Printf("%s %s\n", pkgPath(path), runPattern(tests))
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// pkgPath is dir as go test takes it: relative ones start with ./ .
func pkgPath(dir string) string {
	if filepath.IsAbs(dir) {
		return dir
	}
	return "./" + filepath.ToSlash(filepath.Clean(dir))
}

// runPattern matches exactly the named top-level tests.
func runPattern(tests []string) string {
	q := make([]string, len(tests))
	for i, t := range tests {
		q[i] = regexp.QuoteMeta(t)
	}
	return "^(" + strings.Join(q, "|") + ")$"
}
