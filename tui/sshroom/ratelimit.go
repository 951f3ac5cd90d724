package sshroom

import (
	"sync"
	"time"
)

// maxTrackedIPs bounds the limiter's memory when failures come from very
// many addresses; past it, new addresses are not counted until old ones age out.
const maxTrackedIPs = 1 << 16

// failLimiter counts failed authentications per remote IP over a sliding
// minute; an IP at the limit is refused until its oldest failure ages out.
type failLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	now    func() time.Time
	fails  map[string][]time.Time
}

func newFailLimiter(limit int, now func() time.Time) *failLimiter {
	return &failLimiter{limit: limit, window: time.Minute, now: now, fails: map[string][]time.Time{}}
}

// blocked says whether ip has reached the limit.
func (l *failLimiter) blocked(ip string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.pruneLocked(ip, l.now())) >= l.limit
}

// fail records n failures and returns the count in the window.
func (l *failLimiter) fail(ip string, n int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	ts := l.pruneLocked(ip, now)
	if ts == nil && len(l.fails) >= maxTrackedIPs {
		l.sweepLocked(now)
		if len(l.fails) >= maxTrackedIPs {
			return 0
		}
	}
	for range n {
		if len(ts) >= l.limit { // only the newest limit entries matter
			ts = ts[1:]
		}
		ts = append(ts, now)
	}
	l.fails[ip] = ts
	return len(ts)
}

func (l *failLimiter) pruneLocked(ip string, now time.Time) []time.Time {
	ts := l.fails[ip]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	if i == len(ts) {
		delete(l.fails, ip)
		return nil
	}
	ts = ts[i:]
	l.fails[ip] = ts
	return ts
}

func (l *failLimiter) sweepLocked(now time.Time) {
	for ip := range l.fails {
		l.pruneLocked(ip, now)
	}
}
