package mirrors

import (
	"time"

	"warroom/backends/config"
)

// confirmer follows one mirror's failing and recovering streaks the way
// its Tracker counts them, so the scheduler knows when a failure still
// needs confirming. Only the way down is hurried: "down" is what pages
// people and starts failover, while coming back up is deliberately slow
// (failback waits anyway) and hurrying it would let a flapping mirror
// go down and up again sooner. A mirror already flapping (down FlapDowns
// times within FlapWindow probes, as the Tracker judges) is not retried
// either: its next outage is confirmed at the interval, as without
// retries, so retries do not turn every short outage into a "down".
type confirmer struct {
	every                   time.Duration // 0: no retries
	failAfter, recoverAfter int
	fails, oks              int
	down                    bool
	probes                  int
	downsAt                 [FlapDowns]int // probe numbers of the last downs, 0 = none
}

func newConfirmer(h config.Health, interval time.Duration) *confirmer {
	c := &confirmer{failAfter: max(h.FailAfter, 1), recoverAfter: max(h.RecoverAfter, 1)}
	if h.RetryInterval > 0 && h.RetryInterval < interval {
		c.every = h.RetryInterval
	}
	return c
}

// retry takes a probe's outcome and says whether to probe again after
// the retry interval instead of waiting for the next slot.
func (c *confirmer) retry(ok bool) bool {
	c.probes++
	if ok {
		c.fails = 0
		c.oks++
		if c.down && c.oks >= c.recoverAfter {
			c.down = false
		}
		return false
	}
	c.oks = 0
	c.fails++
	if !c.down && c.fails >= c.failAfter {
		c.down = true
		copy(c.downsAt[:], c.downsAt[1:])
		c.downsAt[len(c.downsAt)-1] = c.probes
	}
	return !c.down && c.every > 0 && !c.flapping()
}

// hurried says whether news of the mirror's death (its kept connection
// closed, see watch.go) is acted on before its next slot: the same cases
// as retries, while it is not down already.
func (c *confirmer) hurried() bool {
	return c.every > 0 && !c.down && !c.flapping()
}

func (c *confirmer) flapping() bool {
	oldest := c.downsAt[0]
	return oldest > 0 && c.probes-oldest < FlapWindow
}
