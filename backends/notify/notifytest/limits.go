package notifytest

import (
	"time"
)

// rule is one of a platform's rate limits and how it answers past it.
type rule struct {
	n    int
	per  time.Duration
	lock time.Duration // DingTalk blocks the robot this long once exceeded
	deny func(r *Receiver, retry time.Duration) reply
}

// limiter is a sliding log of accepted requests against a platform's rules.
type limiter struct {
	rules  []rule
	stamps []time.Time
	locked time.Time // refused until then
}

// check returns the refusal for a request at now, or nil when allowed (and
// then records it).
func (l *limiter) check(r *Receiver, now time.Time) *reply {
	if now.Before(l.locked) {
		rp := l.rules[0].deny(r, l.locked.Sub(now))
		return &rp
	}
	for _, ru := range l.rules {
		used := 0
		var oldest time.Time
		for i := len(l.stamps) - 1; i >= 0 && l.stamps[i].After(now.Add(-ru.per)); i-- {
			used++
			oldest = l.stamps[i]
		}
		if used >= ru.n {
			if ru.lock > 0 {
				l.locked = now.Add(ru.lock)
			}
			rp := ru.deny(r, oldest.Add(ru.per).Sub(now))
			return &rp
		}
	}
	l.stamps = append(l.stamps, now)
	if keep := 200; len(l.stamps) > 2*keep {
		l.stamps = append(l.stamps[:0], l.stamps[len(l.stamps)-keep:]...)
	}
	return nil
}
