package notify

import (
	"time"

	"warroom/backends/config"
)

// Rate is at most N sends in any window of length Per.
type Rate struct {
	N   int
	Per time.Duration
}

// Limit is the rates a channel must keep to, all at once; none = unlimited.
type Limit struct{ Rates []Rate }

// DefaultLimit is each platform's documented limit. DingTalk locks a robot
// for ten minutes when it is exceeded, so these are kept strictly.
func DefaultLimit(kind string) Limit {
	switch kind {
	case config.ChannelSlack:
		return Limit{Rates: []Rate{{1, time.Second}}}
	case config.ChannelDingTalk, config.ChannelWeCom:
		return Limit{Rates: []Rate{{20, time.Minute}}}
	case config.ChannelFeishu:
		return Limit{Rates: []Rate{{5, time.Second}, {100, time.Minute}}}
	case config.ChannelPager:
		return Limit{Rates: []Rate{{120, time.Minute}}} // per routing key
	}
	return Limit{}
}

// window is a sliding-window log for one Limit. A send is stamped when its
// answer arrives: the platform saw it no later than that, so spacing sends
// from their answers keeps the spacing the platform sees at least as wide.
type window struct {
	rates  []Rate
	stamps []time.Time // newest last, at most max N kept
	keep   int
}

func newWindow(l Limit) *window {
	w := &window{}
	for _, r := range l.Rates {
		if r.N > 0 && r.Per > 0 {
			w.rates = append(w.rates, r)
			w.keep = max(w.keep, r.N)
		}
	}
	return w
}

// record notes one send.
func (w *window) record(t time.Time) {
	if w.keep == 0 {
		return
	}
	w.stamps = append(w.stamps, t)
	if len(w.stamps) > w.keep {
		w.stamps = append(w.stamps[:0], w.stamps[len(w.stamps)-w.keep:]...)
	}
}

// next is the earliest time a send is allowed: now if the window has room.
func (w *window) next(now time.Time) time.Time {
	at := now
	for _, r := range w.rates {
		if len(w.stamps) >= r.N {
			// The N-th newest send must have left the window.
			if free := w.stamps[len(w.stamps)-r.N].Add(r.Per); free.After(at) {
				at = free
			}
		}
	}
	return at
}

// room is how many sends are allowed now without waiting (large when
// unlimited).
func (w *window) room(now time.Time) int {
	n := 1 << 30
	for _, r := range w.rates {
		used := 0
		for i := len(w.stamps) - 1; i >= 0 && w.stamps[i].After(now.Add(-r.Per)); i-- {
			used++
		}
		n = min(n, r.N-used)
	}
	return max(n, 0)
}
