package main

import (
	"os"
	"testing"
	"time"
)

func TestFidelity(t *testing.T) {
	start := time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC)
	ts := []target{{name: "a"}, {name: "b"}, {name: "never"}}
	r := newRecorder(ts, start)
	const iv = 10 * time.Second
	at := func(d time.Duration) time.Time { return start.Add(d) }
	// a: on time at 1s, 11s, 21s, 31s; b: first at 2s, misses 12s and 22s.
	for _, d := range []time.Duration{1, 11, 21, 31} {
		r.starts[0] = append(r.starts[0], at(d*time.Second))
	}
	r.starts[1] = []time.Time{at(32 * time.Second), at(2 * time.Second)} // unsorted on purpose
	f := r.fidelity(at(40*time.Second), iv, 100*time.Millisecond)
	if f.expected != 4+4+4 || f.missing != 2+4 || f.holes != 1 || f.allProbedAfter != 40*time.Second {
		t.Errorf("fidelity %+v", f)
	}
}

func TestPercentiles(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	p50, p99, mx := percentiles(ds)
	if p50 != 51*time.Millisecond || p99 != 100*time.Millisecond || mx != 100*time.Millisecond {
		t.Errorf("p50 %v p99 %v max %v", p50, p99, mx)
	}
	if a, b, c := percentiles(nil); a != 0 || b != 0 || c != 0 {
		t.Error("empty input should give zeros")
	}
}

func TestProcCPU(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if _, ok := procCPU(os.Getpid()); !ok {
		t.Error("cannot read own CPU time from /proc")
	}
	if _, ok := procCPU(0); ok {
		t.Error("pid 0 should not be readable")
	}
}

func TestValidate(t *testing.T) {
	good := options{mirrors: 10, interval: time.Second, timeout: time.Second, duration: time.Second}
	if err := good.validate(); err != nil {
		t.Fatal(err)
	}
	bad := good
	bad.blackhole = 10
	if bad.validate() == nil {
		t.Error("black-holing every mirror must be refused")
	}
	bad = good
	bad.retry = good.interval
	if bad.validate() == nil {
		t.Error("a retry interval as long as the interval must be refused")
	}
}

func TestSpreadOf(t *testing.T) {
	const iv = 10 * time.Second
	var even, burst []time.Duration
	for i := range 100 {
		even = append(even, time.Duration(i)*iv/100)
		burst = append(burst, (9*time.Second+time.Duration(i)*20*time.Millisecond)%iv) // 9–11 s: wraps round
	}
	if s, w := spreadOf(even, iv); s != 0.10 || w != 9400*time.Millisecond {
		t.Errorf("even: max second %.2f, 95%% within %v; want 0.10 and 9.4s", s, w)
	}
	if s, w := spreadOf(burst, iv); s != 0.5 || w > 2*time.Second {
		t.Errorf("burst across the wrap: max second %.2f, 95%% within %v; want 0.5 and under 2s", s, w)
	}
}
