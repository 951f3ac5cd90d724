package journal

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadBesideAnOpenJournalLeavesTheFileAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	j, _ := mustOpen(t, path, Options{})
	if _, err := j.Append(obj(1), obj(2)); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"kind":"test","n":3,"_seq":3,"_cr`) // a room mid-append
	f.Close()
	before, _ := os.ReadFile(path)
	recs, err := Read(path)
	if err != nil || len(recs) != 2 || recs[1].Seq != 2 {
		t.Fatalf("Read = %d records, %v; want the 2 complete ones", len(recs), err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("Read changed the file")
	}
}

func TestReadNamesDamageInTheMiddle(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	j, _ := mustOpen(t, path, Options{})
	if _, err := j.Append(obj(1), obj(2), obj(3)); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(data), `"n":2`, `"n":9`, 1)), 0o640)
	_, err := Read(path)
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Line != 2 {
		t.Fatalf("Read = %v; want a CorruptError at line 2", err)
	}
	if _, err := Read(filepath.Join(t.TempDir(), "none.jsonl")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Fatalf("missing journal: %v", err)
	}
}
