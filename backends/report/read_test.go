package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"warroom/backends/journal"
	"warroom/backends/report/reporttest"
	"warroom/backends/room"
)

// writeJournal records evs in a real journal and leaves it open (locked),
// as a running room would.
func writeJournal(t *testing.T, evs []room.Event) (string, *journal.Journal) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	j, _, err := journal.Open(path, journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	for _, ev := range evs {
		ev.Seq = 0 // the journal numbers records itself
		b, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := j.Append(b); err != nil {
			t.Fatal(err)
		}
	}
	return path, j
}

func TestReadJournalBesideTheRoomThatHoldsIt(t *testing.T) {
	evs := reporttest.Incident("15m", "10m").Events
	path, j := writeJournal(t, evs)
	got, err := ReadJournal(path) // j still holds the lock
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(evs) || got[0].Seq != 1 || got[len(got)-1].Seq != j.LastSeq() {
		t.Fatalf("read %d events (seq %d..%d), want %d up to %d", len(got), got[0].Seq, got[len(got)-1].Seq, len(evs), j.LastSeq())
	}
	for i := range evs {
		if got[i].Kind != evs[i].Kind || !got[i].At.Equal(evs[i].At) || got[i].Fields["id"] != evs[i].Fields["id"] {
			t.Fatalf("event %d: %+v, want %+v", i, got[i], evs[i])
		}
	}
	// The note pinned by seq still finds its note: journal seqs match the recorder's.
	r, err := FromJournal(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Notes) != 2 || !r.Notes[0].Pinned {
		t.Fatalf("notes: %+v", r.Notes)
	}
	// Reading changed nothing, and the room can still write.
	if _, err := j.Append([]byte(`{"kind":"room.opened","text":"x"}`)); err != nil {
		t.Fatal(err)
	}
}

func TestReadJournalSkipsARecordBeingWritten(t *testing.T) {
	path, j := writeJournal(t, reporttest.Incident("15m", "10m").Events[:5])
	j.Close()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"kind":"alert.raised","text":"half`)
	f.Close()
	got, err := ReadJournal(path)
	if err != nil || len(got) != 5 {
		t.Fatalf("%d events, err %v", len(got), err)
	}
	before, _ := os.ReadFile(path)
	if !strings.HasSuffix(string(before), `"half`) {
		t.Fatal("the reader changed the file")
	}
}

func TestReadJournalNamesDamagedLine(t *testing.T) {
	path, j := writeJournal(t, reporttest.Incident("15m", "10m").Events[:5])
	j.Close()
	b, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(b), "\n")
	lines[2] = strings.Replace(lines[2], `"text":"`, `"text":"X`, 1) // checksum no longer matches
	os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600)
	_, err := ReadJournal(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("error %v", err)
	}
	// The same damage on the last line is a torn tail: left out.
	os.WriteFile(path, []byte(strings.Join(append(lines[:2:2], lines[2]), "")), 0o600)
	if got, err := ReadJournal(path); err != nil || len(got) != 2 {
		t.Fatalf("%d events, err %v", len(got), err)
	}
}

func TestReadJournalMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.jsonl")
	_, err := ReadJournal(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "state_dir") {
		t.Fatalf("error %v", err)
	}
}
