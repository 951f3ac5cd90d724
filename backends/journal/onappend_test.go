package journal

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// OnAppend hears each acknowledged append once, with its time; a failed
// append is not a latency.
func TestOnAppendTimesEachAcknowledgedAppend(t *testing.T) {
	var got []time.Duration
	j, _ := mustOpen(t, filepath.Join(t.TempDir(), "events.jsonl"), Options{
		OnAppend: func(d time.Duration) { got = append(got, d) },
	})
	defer j.Close()
	for _, batch := range [][][]byte{{[]byte(`{"a":1}`)}, {[]byte(`{"b":2}`), []byte(`{"c":3}`)}} {
		if _, err := j.Append(batch...); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 {
		t.Fatalf("OnAppend called %d times for 2 appends", len(got))
	}
	for i, d := range got {
		if d <= 0 {
			t.Errorf("append %d took %v", i+1, d)
		}
	}
	j.sync = func(*os.File) error { return syscall.EIO }
	if _, err := j.Append([]byte(`{"d":4}`)); err == nil {
		t.Fatal("append with a failing sync succeeded")
	}
	if len(got) != 2 {
		t.Errorf("OnAppend called for a failed append: %v", got)
	}
}
