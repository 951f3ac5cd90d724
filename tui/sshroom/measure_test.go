package sshroom

import (
	"os"
	"runtime"
	"sort"
	"strconv"
	"testing"
	"time"
)

// TestMeasureIdleSessions reports first-frame times and the cost of idle
// sessions. It runs only with SSHROOM_MEASURE=N (N sessions); client and
// server share the process, so the heap figure covers both ends.
func TestMeasureIdleSessions(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("SSHROOM_MEASURE"))
	if n <= 0 {
		t.Skip("set SSHROOM_MEASURE=N to measure N idle sessions")
	}
	alice, aliceLine := newKey(t)
	srv, _ := startServer(t, rosterOf(t, User{Name: "alice", Keys: []string{aliceLine}}), nil)
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	h0, g0 := heap(), runtime.NumGoroutine()
	frames := make([]time.Duration, 0, n)
	for range n {
		start := time.Now()
		tm := openTerminal(t, mustDial(t, srv.Addr(), alice))
		if err := tm.waitFor("hello alice", 5*time.Second); err != nil {
			t.Fatal(err)
		}
		frames = append(frames, time.Since(start))
	}
	h1, g1 := heap(), runtime.NumGoroutine()
	sort.Slice(frames, func(i, j int) bool { return frames[i] < frames[j] })
	t.Logf("%d sessions: first frame (dial+auth+pty+frame) p50 %s p99 %s max %s", n,
		frames[n/2].Round(time.Microsecond), frames[n*99/100].Round(time.Microsecond), frames[n-1].Round(time.Microsecond))
	t.Logf("per idle session, client and server together: %.0f KB heap, %.1f goroutines",
		float64(h1-h0)/float64(n)/1024, float64(g1-g0)/float64(n))
}
