package hosts

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Target is one of the fleet's hosts, read from its node_exporter.
type Target struct {
	Name    string
	URL     string
	Disk    string // device for the I/O latency; "" = all disks
	Mount   string // mount point for the disk usage; "" = "/"
	Timeout time.Duration
}

// RunFleet scrapes every target every interval, each in a goroutine of its
// own so a slow exporter never delays the others, and hands each Sample to
// sink (from those goroutines) until ctx is done; it returns once they all
// have. Unlike Run it delivers the first reading: memory, load and disk
// use show at once, the rates from the second on. A tick that comes while
// a scrape is still under way is dropped.
func RunFleet(ctx context.Context, clock clockwork.Clock, targets []Target, every time.Duration, sink func(Sample)) {
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: 1, // one scrape at a time per host
		IdleConnTimeout:     2 * every,
	}}
	defer client.CloseIdleConnections()
	var wg sync.WaitGroup
	for _, t := range targets {
		s := NewSampler(Options{Host: t.Name, DiskPath: t.Mount, Disk: t.Disk,
			Source: NewExporter(ExporterOptions{URL: t.URL, Timeout: t.Timeout, Client: client})})
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.scrapeEvery(ctx, clock, every, sink)
		}()
	}
	wg.Wait()
}

func (s *Sampler) scrapeEvery(ctx context.Context, clock clockwork.Clock, every time.Duration, sink func(Sample)) {
	if every <= 0 {
		every = 15 * time.Second
	}
	t := clock.NewTicker(every)
	defer t.Stop()
	for ctx.Err() == nil {
		sample := s.SampleContext(ctx, clock.Now())
		if ctx.Err() != nil {
			return // a scrape cut short by shutting down is no reading
		}
		sink(sample)
		select {
		case <-ctx.Done():
			return
		case <-t.Chan():
		}
	}
}
