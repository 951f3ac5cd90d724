package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Write saves the review's Markdown as <dir>/reports/<id>.md (dir is the
// state dir) and returns the path. It replaces an older review of the same
// incident atomically, so a reader never sees half a file.
func Write(dir string, r *Report) (string, error) {
	folder := filepath.Join(dir, "reports")
	if err := os.MkdirAll(folder, 0o750); err != nil {
		return "", fmt.Errorf("report %s: create folder %s: %w", r.ID, folder, err)
	}
	path := filepath.Join(folder, fileName(r.ID)+".md")
	tmp, err := os.CreateTemp(folder, ".report-*")
	if err != nil {
		return "", fmt.Errorf("report %s: write %s: %w", r.ID, path, err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(r.Markdown())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o640)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return "", fmt.Errorf("report %s: write %s: %w", r.ID, path, err)
	}
	return path, nil
}

// fileName keeps an id safe as a file name.
func fileName(id string) string {
	if strings.Trim(id, ".") == "" {
		return "report"
	}
	return strings.Map(func(c rune) rune {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			return c
		}
		return '_'
	}, strings.TrimLeft(id, "."))
}
