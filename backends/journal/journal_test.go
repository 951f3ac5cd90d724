package journal

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// logBook collects Logf notes.
type logBook struct {
	mu    sync.Mutex
	notes []string
}

func (l *logBook) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.notes = append(l.notes, fmt.Sprintf(format, args...))
}

func (l *logBook) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.notes, "\n")
}

func mustOpen(t testing.TB, path string, opts Options) (*Journal, []Record) {
	t.Helper()
	j, recs, err := Open(path, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { j.Close() })
	return j, recs
}

func obj(i int) []byte { return []byte(fmt.Sprintf(`{"kind":"test","n":%d,"text":"event %d"}`, i, i)) }

func TestAppendReopenReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "events.jsonl") // folder created by Open
	j, recs := mustOpen(t, path, Options{})
	if len(recs) != 0 || j.LastSeq() != 0 || j.Path() != path {
		t.Fatalf("new journal: %d records, LastSeq %d, Path %q", len(recs), j.LastSeq(), j.Path())
	}
	if first, err := j.Append(obj(1)); err != nil || first != 1 {
		t.Fatalf("Append = %d, %v; want 1", first, err)
	}
	if first, err := j.Append(obj(2), obj(3), obj(4)); err != nil || first != 2 {
		t.Fatalf("batch Append = %d, %v; want 2", first, err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}

	j2, recs := mustOpen(t, path, Options{})
	if len(recs) != 4 || j2.LastSeq() != 4 {
		t.Fatalf("reopen: %d records, LastSeq %d; want 4, 4", len(recs), j2.LastSeq())
	}
	for i, r := range recs {
		if r.Seq != uint64(i+1) || string(r.Data) != string(obj(i+1)) {
			t.Fatalf("record %d = seq %d %s; want seq %d %s", i, r.Seq, r.Data, i+1, obj(i+1))
		}
	}
	if first, err := j2.Append(obj(5)); err != nil || first != 5 {
		t.Fatalf("Append after reopen = %d, %v; want seq 5 (continuity)", first, err)
	}
	j2.Close()

	// Every line is plain JSON that jq can read, with the journal's fields last.
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d is not JSON: %v", n, err)
		}
		if m["_seq"] != float64(n) || len(m["_crc"].(string)) != 8 || m["n"] != float64(n) {
			t.Fatalf("line %d = %s", n, sc.Text())
		}
	}
	if n != 5 {
		t.Fatalf("file has %d lines, want 5", n)
	}
}

func TestInvalidRecordLeavesJournalUsable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	j, _ := mustOpen(t, path, Options{})
	_, err := j.Append(obj(1), []byte(`{"_seq":1}`))
	if !errors.Is(err, ErrInvalidRecord) || !strings.Contains(err.Error(), "record 2 of 2") {
		t.Fatalf("Append with a reserved key: %v", err)
	}
	if fi, _ := os.Stat(path); fi.Size() != 0 {
		t.Fatalf("a rejected batch wrote %d bytes", fi.Size())
	}
	if first, err := j.Append(obj(1)); err != nil || first != 1 {
		t.Fatalf("Append after a rejected batch = %d, %v; want 1", first, err)
	}
	if _, err := j.Append(); err == nil {
		t.Fatal("Append() with no records succeeded")
	}
}

func TestAppendAfterClose(t *testing.T) {
	j, _ := mustOpen(t, filepath.Join(t.TempDir(), "events.jsonl"), Options{})
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := j.Append(obj(1)); !errors.Is(err, ErrClosed) {
		t.Fatalf("Append after Close: %v", err)
	}
}

func TestSyncErrorFailsJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	j, _ := mustOpen(t, path, Options{})
	if _, err := j.Append(obj(1), obj(2)); err != nil {
		t.Fatal(err)
	}
	calls := 0
	j.sync = func(*os.File) error { calls++; return syscall.EIO }
	first, err := j.Append(obj(3))
	if err == nil || first != 0 || !errors.Is(err, ErrFailed) || !errors.Is(err, syscall.EIO) {
		t.Fatalf("Append with failing fsync = %d, %v; want 0 and ErrFailed wrapping EIO", first, err)
	}
	// Even with a sync that would now succeed, nothing more is acknowledged
	// and nothing is retried.
	j.sync = func(f *os.File) error { calls++; return nil }
	for range 3 {
		if _, err := j.Append(obj(4)); !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "input/output error") {
			t.Fatalf("Append after a failed fsync: %v; want ErrFailed naming the first failure", err)
		}
	}
	if calls != 1 || j.LastSeq() != 2 {
		t.Fatalf("sync called %d times, LastSeq %d; want 1 call and LastSeq 2", calls, j.LastSeq())
	}
	j.Close()

	// The unacknowledged record may be on disk; the acknowledged ones are, and
	// the journal carries on from whatever is there.
	j2, recs := mustOpen(t, path, Options{})
	if len(recs) < 2 || string(recs[0].Data) != string(obj(1)) || string(recs[1].Data) != string(obj(2)) {
		t.Fatalf("after reopen: %d records", len(recs))
	}
	if first, err := j2.Append(obj(9)); err != nil || first != uint64(len(recs)+1) {
		t.Fatalf("Append after reopen = %d, %v", first, err)
	}
}

func TestWriteErrorFailsJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	j, _ := mustOpen(t, path, Options{})
	if _, err := j.Append(obj(1)); err != nil {
		t.Fatal(err)
	}
	ro, err := os.Open(path) // writes to it fail with EBADF
	if err != nil {
		t.Fatal(err)
	}
	j.mu.Lock()
	rw := j.f
	j.f = ro
	j.mu.Unlock()
	defer rw.Close()
	if _, err := j.Append(obj(2)); !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "write") {
		t.Fatalf("Append with failing write: %v", err)
	}
	j.mu.Lock()
	j.f = rw
	j.mu.Unlock()
	ro.Close()
	if _, err := j.Append(obj(2)); !errors.Is(err, ErrFailed) {
		t.Fatalf("Append after a failed write: %v", err)
	}
}

func TestSecondOpenInSameProcessIsLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	since := time.Date(2026, 11, 21, 3, 12, 9, 0, time.UTC)
	j, _ := mustOpen(t, path, Options{Now: func() time.Time { return since }})
	_, _, err := Open(path, Options{})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v; want ErrLocked", err)
	}
	want := fmt.Sprintf("journal %s is in use by pid %d (", path, os.Getpid())
	if msg := err.Error(); !strings.HasPrefix(msg, want) ||
		!strings.HasSuffix(msg, ", since 2026-11-21T03:12:09Z); stop that process or use another state_dir") {
		t.Fatalf("error = %q", msg)
	}
	j.Close()
	j2, _ := mustOpen(t, path, Options{})
	j2.Close()
}

func TestConcurrentAppendsKeepOrder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	j, _ := mustOpen(t, path, Options{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				if _, err := j.Append(obj(g*100+i), obj(g*100+i)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	j.Close()
	j2, recs := mustOpen(t, path, Options{})
	if len(recs) != 80 || j2.LastSeq() != 80 {
		t.Fatalf("got %d records, LastSeq %d; want 80", len(recs), j2.LastSeq())
	}
	for i := 0; i < 80; i += 2 {
		if string(recs[i].Data) != string(recs[i+1].Data) {
			t.Fatalf("batch split: seq %d %s / seq %d %s", recs[i].Seq, recs[i].Data, recs[i+1].Seq, recs[i+1].Data)
		}
	}
}
