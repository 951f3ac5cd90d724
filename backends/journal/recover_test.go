package journal

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeJournal makes a journal of n good records and returns its path and bytes.
func writeJournal(t *testing.T, n int) (string, []byte) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "events.jsonl")
	j, _, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		if _, err := j.Append(obj(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, b
}

func appendBytes(t *testing.T, path string, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		t.Fatal(err)
	}
}

func TestTornTailIsCut(t *testing.T) {
	next := appendLine(nil, obj(4), 4) // what an append of seq 4 would write
	dup := appendLine(nil, obj(3), 3)  // a valid line out of sequence
	big := bytes.Repeat([]byte{0}, MaxLineBytes+MaxLineBytes/2)
	cases := map[string]struct {
		tail []byte
		why  string
	}{
		"half a line":          {next[:len(next)/2], "cut short"},
		"line without newline": {next[:len(next)-1], "cut short"},
		"bad checksum":         {bytes.Replace(next, []byte(`"n":4`), []byte(`"n":5`), 1), "checksum mismatch"},
		"bad JSON":             {[]byte(withCRC(`{"n":,"_seq":4`) + "\n"), "not a valid JSON object"},
		"non-increasing seq":   {dup, "seq 3 follows seq 3"},
		"trailing zeros":       {make([]byte, 4096), "4096 zero bytes"},
		"zeros after a half":   {append(next[:20:20], make([]byte, 5000)...), "cut short"},
		"zeros then newline":   {append(make([]byte, 100), '\n'), "100 zero bytes"},
		"megabytes of zeros":   {big, fmt.Sprintf("%d zero bytes", len(big))},
		"several torn lines":   {append(append(next[:30:30], '\n'), next[:40]...), `no "_crc" at the end`},
		"empty line":           {[]byte("\n"), "empty line"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			path, good := writeJournal(t, 3)
			appendBytes(t, path, tc.tail)
			var log logBook
			j, recs := mustOpen(t, path, Options{Logf: log.logf})
			if len(recs) != 3 || j.LastSeq() != 3 {
				t.Fatalf("kept %d records, LastSeq %d; want 3", len(recs), j.LastSeq())
			}
			for i, r := range recs {
				if string(r.Data) != string(obj(i+1)) {
					t.Fatalf("record %d = %s", i+1, r.Data)
				}
			}
			wantNote := fmt.Sprintf("cut torn tail: %d bytes at offset %d (line 4: ", len(tc.tail), len(good))
			if note := log.all(); !strings.Contains(note, wantNote) || !strings.Contains(note, tc.why) {
				t.Fatalf("log = %q; want %q and %q", note, wantNote, tc.why)
			}
			if b, _ := os.ReadFile(path); !bytes.Equal(b, good) {
				t.Fatalf("file after cut is %d bytes, want the %d good bytes", len(b), len(good))
			}
			if first, err := j.Append(obj(4)); err != nil || first != 4 {
				t.Fatalf("Append after cut = %d, %v", first, err)
			}
			j.Close()
			var log2 logBook
			_, recs = mustOpen(t, path, Options{Logf: log2.logf})
			if len(recs) != 4 || log2.all() != "" {
				t.Fatalf("second reopen: %d records, log %q; want 4 and a clean open", len(recs), log2.all())
			}
		})
	}
}

func TestTornOnlyRecordLeavesEmptyJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	line := appendLine(nil, obj(1), 1)
	if err := os.WriteFile(path, line[:10], 0o640); err != nil {
		t.Fatal(err)
	}
	j, recs := mustOpen(t, path, Options{})
	if len(recs) != 0 || j.LastSeq() != 0 {
		t.Fatalf("%d records, LastSeq %d", len(recs), j.LastSeq())
	}
	if first, err := j.Append(obj(1)); err != nil || first != 1 {
		t.Fatalf("Append = %d, %v", first, err)
	}
}

func TestMiddleCorruptionIsRefused(t *testing.T) {
	type tc struct {
		damage func(b []byte) []byte
		line   int
		detail string
	}
	lineStart := func(b []byte, n int) int { // byte offset of 1-based line n
		off := 0
		for range n - 1 {
			off += bytes.IndexByte(b[off:], '\n') + 1
		}
		return off
	}
	cases := map[string]tc{
		"flipped byte in line 2": {func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"n":2`), []byte(`"n":7`), 1)
		}, 2, "a good record follows at line 3"},
		"zeros inside line 3": {func(b []byte) []byte {
			o := lineStart(b, 3) + 5
			copy(b[o:o+10], make([]byte, 10))
			return b
		}, 3, "a good record follows at line 4"},
		"line 2 missing its newline": {func(b []byte) []byte {
			o := lineStart(b, 3) - 1
			return append(b[:o:o], b[o+1:]...)
		}, 2, "a good record follows at line 3"},
		"seq gap": {func(b []byte) []byte {
			o2, o3 := lineStart(b, 2), lineStart(b, 3)
			return append(b[:o2:o2], b[o3:]...)
		}, 2, "a good record follows at line 3"},
		"hand-written line at the end": {func(b []byte) []byte {
			return append(b, "{\"note\":\"added by hand\"}\n"...)
		}, 6, "valid JSON but not a journal record"},
		"text line at the end": {func(b []byte) []byte {
			return append(b, "hello\n"...)
		}, 6, "starts with neither '{' nor zero bytes"},
		"overlong line in the middle": {func(b []byte) []byte {
			o := lineStart(b, 2)
			long := bytes.Repeat([]byte("{"), MaxLineBytes+10)
			return append(append(b[:o:o], append(long, '\n')...), b[o:]...)
		}, 2, "a good record follows at line 3"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			path, good := writeJournal(t, 5)
			damaged := c.damage(bytes.Clone(good))
			if err := os.WriteFile(path, damaged, 0o640); err != nil {
				t.Fatal(err)
			}
			for range 2 { // a refused Open releases its lock: the second sees the same
				_, _, err := Open(path, Options{})
				var ce *CorruptError
				if !errors.As(err, &ce) || !errors.Is(err, ErrCorrupt) {
					t.Fatalf("Open: %v; want a *CorruptError", err)
				}
				wantAt := fmt.Sprintf("line %d (byte offset %d)", c.line, lineStart(damaged, c.line))
				msg := err.Error()
				for _, want := range []string{path, wantAt, c.detail, "move the file aside", "nothing was changed"} {
					if !strings.Contains(msg, want) {
						t.Fatalf("error %q lacks %q", msg, want)
					}
				}
			}
			if b, _ := os.ReadFile(path); !bytes.Equal(b, damaged) {
				t.Fatal("a refused Open changed the file")
			}
		})
	}
}

func TestForeignFileIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	content := []byte("{\"a\":1}\n{\"b\":2}\n")
	if err := os.WriteFile(path, content, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Open(path, Options{}); !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "line 1 (byte offset 0)") {
		t.Fatalf("Open of a foreign JSON-lines file: %v", err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, content) {
		t.Fatal("Open changed a foreign file")
	}
}
