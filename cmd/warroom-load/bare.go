package main

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"

	"warroom/backends/mirrors"
)

// runBare is the baseline: per target, the same four requests as a probe
// (health, trace, manifest, syncing marker) on the same schedule, with one
// shared plain http.Client, bodies discarded and nothing parsed.
func runBare(ctx context.Context, o options, ts []target, rec *recorder) {
	tr := &http.Transport{MaxIdleConns: 0, MaxIdleConnsPerHost: 2, DisableCompression: true}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	paths := []string{"health", "project/trace/master", "manifest", "Archive-Update-in-Progress"}
	if o.checks == "health" {
		paths = paths[:1]
	}
	now := time.Now()
	var wg sync.WaitGroup
	for _, t := range ts {
		first := mirrors.FirstSlot(now, t.name, o.interval) // the scheduler's slots, for a like-for-like load
		wg.Add(1)
		go func() {
			defer wg.Done()
			timer := time.NewTimer(0)
			defer timer.Stop()
			<-timer.C
			for k := 0; ; k++ {
				due := first.Add(time.Duration(k) * o.interval)
				timer.Reset(time.Until(due))
				select {
				case <-ctx.Done():
					return
				case <-timer.C:
				}
				rec.onStart(t.name, due)
				obs := mirrors.Observation{Mirror: t.name, Start: time.Now()}
				pctx, cancel := context.WithTimeout(ctx, o.timeout)
				for _, p := range paths {
					req, _ := http.NewRequestWithContext(pctx, http.MethodGet, t.url+p, nil)
					resp, err := c.Do(req)
					if err != nil {
						obs.Err = err.Error()
						break
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				cancel()
				if ctx.Err() != nil {
					return
				}
				rec.sink(obs)
			}
		}()
	}
	wg.Wait()
}
