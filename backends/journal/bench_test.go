package journal

import (
	"path/filepath"
	"testing"
)

// benchRecord is a typical room event, about 150 bytes.
var benchRecord = []byte(`{"seq":0,"at":"2026-11-21T03:12:09.123456789Z","kind":"mirror.state","subject":"tokyo","text":"tokyo went down: got status 503","fields":{"from":"up","to":"down"}}`)

func BenchmarkAppend(b *testing.B) {
	j, _ := mustOpen(b, filepath.Join(b.TempDir(), "events.jsonl"), Options{})
	b.ReportAllocs()
	b.SetBytes(int64(len(benchRecord)))
	for b.Loop() {
		if _, err := j.Append(benchRecord); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAppendBatch16(b *testing.B) {
	j, _ := mustOpen(b, filepath.Join(b.TempDir(), "events.jsonl"), Options{})
	batch := make([][]byte, 16)
	for i := range batch {
		batch[i] = benchRecord
	}
	b.ReportAllocs()
	b.SetBytes(int64(16 * len(benchRecord)))
	for b.Loop() {
		if _, err := j.Append(batch...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen100k measures replay: opening a journal of 100,000 such
// records (about 19 MB) and checking every one.
func BenchmarkOpen100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "events.jsonl")
	j, _ := mustOpen(b, path, Options{})
	batch := make([][]byte, 1000)
	for i := range batch {
		batch[i] = benchRecord
	}
	for range 100 {
		if _, err := j.Append(batch...); err != nil {
			b.Fatal(err)
		}
	}
	j.Close()
	b.ReportAllocs()
	for b.Loop() {
		j, recs, err := Open(path, Options{})
		if err != nil || len(recs) != 100_000 {
			b.Fatalf("Open: %d records, %v", len(recs), err)
		}
		j.Close()
	}
}
