package hosts

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// Each exporter is scraped on its own: the first reading at once, then one
// per tick, and a hung exporter never holds up the others; cancelling ends
// every scrape, the hung one included.
func TestRunFleetScrapesEachOnItsOwn(t *testing.T) {
	good := newStandIn(t, readPage(t, "node_t0.prom"))
	hung := newStandIn(t, readPage(t, "node_t0.prom"))
	hung.hang = make(chan struct{})
	t.Cleanup(func() { close(hung.hang) })

	clock := clockwork.NewFakeClockAt(t0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan Sample, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		RunFleet(ctx, clock, []Target{
			{Name: "web1", URL: good.URL, Disk: "sda", Timeout: time.Hour}, // only its ctx ends the hung scrape
			{Name: "web2", URL: hung.URL, Timeout: time.Hour},
		}, 15*time.Second, func(s Sample) { got <- s })
	}()

	first := waitFor(t, got, "web1's first reading")
	if first.Host != "web1" || first.MemPercent != 75 || first.CPUPercent != -1 || !first.At.Equal(t0) {
		t.Fatalf("first reading = %+v", first)
	}
	good.set(readPage(t, "node_t10.prom"), http.StatusOK)
	// Both goroutines' tickers, then one tick for the good one.
	bctx, bcancel := context.WithTimeout(ctx, 10*time.Second)
	defer bcancel()
	if err := clock.BlockUntilContext(bctx, 2); err != nil {
		t.Fatalf("tickers: %v", err)
	}
	clock.Advance(15 * time.Second)
	second := waitFor(t, got, "web1's second reading")
	if second.Host != "web1" || !near(second.CPUPercent, 80) || !near(second.DiskLatency, 0.02) {
		t.Errorf("second reading = %+v", second)
	}
	cancel()
	waitFor(t, done, "RunFleet to return")
	select {
	case s := <-got:
		t.Errorf("a reading after shutting down: %+v", s)
	default:
	}
}
