package cluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"warroom/backends/journal"
)

func records(from, to int) []journal.Record {
	var recs []journal.Record
	for i := from; i <= to; i++ {
		recs = append(recs, journal.Record{Seq: uint64(i), Data: obj(i)})
	}
	return recs
}

// Materialize appends what the local journal lacks, skips what it has and
// refuses a gap.
func TestMaterializeAppendsInOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	local, err := OpenMaterialized(path, records(1, 2), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer local.Close()
	if err := Materialize(local, records(2, 4)); err != nil {
		t.Fatal(err)
	}
	if err := Materialize(local, records(6, 6)); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("a gap: got %v", err)
	}
	got, err := journal.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || string(got[3].Data) != string(obj(4)) {
		t.Fatalf("local journal: %d records", len(got))
	}
}

// A local journal that differs from the cluster's (other bytes at a seq, or
// records the cluster never committed) is moved aside and rebuilt.
func TestOpenMaterializedRebuildsADivergedJournal(t *testing.T) {
	for name, localRecs := range map[string][][]byte{
		"other bytes":    {obj(1), []byte(`{"kind":"other"}`)},
		"longer locally": {obj(1), obj(2), obj(3)},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "journal.jsonl")
			j, _, err := journal.Open(path, journal.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := j.Append(localRecs...); err != nil {
				t.Fatal(err)
			}
			j.Close()
			var logged []string
			opts := journal.Options{Logf: func(f string, a ...any) { logged = append(logged, f) }}
			local, err := OpenMaterialized(path, records(1, 2), opts)
			if err != nil {
				t.Fatal(err)
			}
			local.Close()
			want := rebuilt(t, records(1, 2))
			if got, _ := os.ReadFile(path); string(got) != want {
				t.Fatalf("rebuilt journal:\n%s\nwant:\n%s", got, want)
			}
			aside, _ := filepath.Glob(path + ".diverged-*")
			if len(aside) != 1 || len(logged) == 0 {
				t.Fatalf("moved aside: %v, logged: %v", aside, logged)
			}
		})
	}
}

// rebuilt is the file a journal holding recs has.
func rebuilt(t *testing.T, recs []journal.Record) string {
	path := filepath.Join(t.TempDir(), "want.jsonl")
	j, _, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := Materialize(j, recs); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	return string(b)
}
