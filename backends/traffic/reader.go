package traffic

import (
	"context"
	"fmt"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/actions"
	"warroom/backends/config"
)

// Reader meters one haproxy executor's backend. Its servers map to mirrors
// as the executor maps them: servers: first, else the mirror's own name.
type Reader struct {
	name, address, backend string
	mirrorOf               map[string]string // server → mirror
	mask                   func(string) string
	meter                  Meter
	// fetch reads show stat; tests replace it.
	fetch func(ctx context.Context, address, backend string) (string, error)
}

// NewReader reads the backend of the haproxy executor named name, for the
// mirrors named. mask hides secrets in error texts (nil: none).
func NewReader(name string, c config.HAProxyExecutor, mirrors []string, mask func(string) string) *Reader {
	if mask == nil {
		mask = func(s string) string { return s }
	}
	r := &Reader{name: name, address: c.Address, backend: c.Backend, mirrorOf: map[string]string{},
		mask: mask, fetch: actions.HAProxyStat}
	for _, m := range mirrors {
		srv := m
		if s, ok := c.Servers[m]; ok {
			srv = s
		}
		r.mirrorOf[srv] = m
	}
	return r
}

// Read takes one reading at time at and returns a sample for each mirror
// metered since the previous reading. When HAProxy cannot be read, every
// mirror gets an unknown sample saying why.
func (r *Reader) Read(ctx context.Context, at time.Time) []Sample {
	stats, err := r.stat(ctx)
	if err != nil {
		why := r.mask(fmt.Sprintf("haproxy executor %s: %v", r.name, err))
		out := make([]Sample, 0, len(r.mirrorOf))
		for _, m := range r.mirrorOf {
			out = append(out, Unknown(m, at, why))
		}
		return out
	}
	return r.meter.Observe(at, stats, func(server string) string { return r.mirrorOf[server] })
}

func (r *Reader) stat(ctx context.Context) ([]ServerStat, error) {
	reply, err := r.fetch(ctx, r.address, r.backend)
	if err != nil {
		return nil, err
	}
	all, err := ParseStat(reply)
	if err != nil {
		return nil, fmt.Errorf("show stat %s: %v", r.backend, err)
	}
	own := all[:0]
	for _, s := range all {
		if s.Proxy == r.backend {
			own = append(own, s)
		}
	}
	if len(own) == 0 {
		return nil, fmt.Errorf("show stat %s: backend %q has no servers", r.backend, r.backend)
	}
	return own, nil
}

// Interval is how often a live room reads each backend: often enough for
// the sustain time (30s) to span several readings, rarely enough for a
// reading to hold a few dozen answers on a quiet mirror.
const Interval = 5 * time.Second

// readTimeout bounds one reading; HAProxy answers in milliseconds.
const readTimeout = 5 * time.Second

// Run reads every interval on clock's ticker and hands each reading's
// samples to sink until ctx is done; the first reading only sets the
// counters the next one is measured from. Ticks that come while a reading
// or the sink is busy are dropped.
func (r *Reader) Run(ctx context.Context, clock clockwork.Clock, every time.Duration, sink func([]Sample)) {
	if ctx.Err() != nil {
		return
	}
	read := func() []Sample {
		c, cancel := context.WithTimeout(ctx, min(every, readTimeout))
		defer cancel()
		return r.Read(c, clock.Now())
	}
	read()
	t := clock.NewTicker(every)
	defer t.Stop()
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-t.Chan():
			if s := read(); ctx.Err() == nil && len(s) > 0 {
				sink(s)
			}
		}
	}
}
