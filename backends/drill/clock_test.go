package drill

import (
	"testing"
	"time"
)

// The clock's time runs Speed times the real time, however loaded the
// machine: the bounds come from real readings taken around it.
func TestFastClockRunsSpeedTimesFaster(t *testing.T) {
	const speed = 20
	c, err := NewFastClock(speed)
	if err != nil {
		t.Fatal(err)
	}
	r0 := time.Now()
	f0 := c.Now()
	r1 := time.Now()
	for time.Since(r1) < 5*time.Millisecond {
	}
	r2 := time.Now()
	f1 := c.Now()
	r3 := time.Now()
	got := f1.Sub(f0)
	if lo, hi := r2.Sub(r1)*speed, r3.Sub(r0)*speed; got < lo || got > hi {
		t.Fatalf("%v passed on the clock, want between %v and %v", got, lo, hi)
	}
	if c.Speed() != speed || c.Real(time.Minute) != 3*time.Second {
		t.Fatalf("Speed %d, Real(1m) %v", c.Speed(), c.Real(time.Minute))
	}
}

// Timers, tickers and AfterFunc wait the clock's time, which at 200× is
// a 200th of the real time, and deliver the clock's time.
func TestFastClockTimersWaitItsTime(t *testing.T) {
	c, err := NewFastClock(200)
	if err != nil {
		t.Fatal(err)
	}
	const d = 10 * time.Second // 50 ms real
	limit := time.After(5 * time.Second)
	start := c.Now()
	realStart := time.Now()
	select {
	case at := <-c.NewTimer(d).Chan():
		if at.Sub(start) < d {
			t.Fatalf("timer for %v delivered %v after start", d, at.Sub(start))
		}
		if real := time.Since(realStart); real < d/200 {
			t.Fatalf("timer fired after %v real, before %v", real, d/200)
		}
	case <-limit:
		t.Fatal("a 10s timer at 200× did not fire within 5s real")
	}

	called := make(chan time.Time, 1)
	start = c.Now()
	c.AfterFunc(d, func() { called <- c.Now() })
	select {
	case at := <-called:
		if at.Sub(start) < d {
			t.Fatalf("AfterFunc ran %v after start, want %v", at.Sub(start), d)
		}
	case <-limit:
		t.Fatal("AfterFunc(10s) at 200× did not run within 5s real")
	}

	start = c.Now()
	tk := c.NewTicker(d)
	defer tk.Stop()
	for k := 1; k <= 3; k++ {
		select {
		case at := <-tk.Chan():
			if at.Sub(start) < time.Duration(k)*d {
				t.Fatalf("tick %d at %v, want at least %v", k, at.Sub(start), time.Duration(k)*d)
			}
		case <-limit:
			t.Fatalf("tick %d of a 10s ticker at 200× not within 5s real", k)
		}
	}
}

// A stopped or reset timer leaves no stale tick in its channel.
func TestFastClockTimerStopAndResetDrain(t *testing.T) {
	c, err := NewFastClock(1000)
	if err != nil {
		t.Fatal(err)
	}
	tm := c.NewTimer(time.Millisecond) // 1 µs real
	deadline := time.Now().Add(5 * time.Second)
	for len(tm.(*fastTimer).ch) == 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if tm.Stop() {
		t.Error("Stop reported a fired timer active")
	}
	select {
	case <-tm.Chan():
		t.Fatal("a stopped timer kept its tick")
	default:
	}
	if tm.Reset(time.Hour) { // 3.6 s real: stays pending through the test
		t.Error("Reset reported a stopped timer active")
	}
	if !tm.Stop() {
		t.Error("Stop reported a pending timer inactive")
	}
}

func TestFastClockRefusesSpeedBelowOne(t *testing.T) {
	for _, s := range []int{0, -3} {
		if _, err := NewFastClock(s); err == nil {
			t.Errorf("NewFastClock(%d) accepted", s)
		}
	}
}
