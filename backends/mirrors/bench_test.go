package mirrors

import (
	"context"
	"io"
	"net/http"
	"testing"

	"warroom/backends/config"
)

// BenchmarkProbe is one full pooled probe (health, trace, manifest, syncing
// marker: four requests) of a loopback sim mirror.
func BenchmarkProbe(b *testing.B) {
	f, clk := startFleet(b, 1)
	m := simMirror(b, f.Mirrors()[0])
	p := NewProber(ProberOptions{Clock: clk, FreshEvery: -1})
	defer p.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if o := p.Probe(ctx, m); !o.OK() || o.Sync.Err != "" {
			b.Fatalf("probe: %+v", o)
		}
	}
}

// BenchmarkProbeHealthOnly is the health request alone.
func BenchmarkProbeHealthOnly(b *testing.B) {
	f, clk := startFleet(b, 1)
	m := simMirror(b, f.Mirrors()[0])
	m.Lag, m.Manifest, m.Syncing = config.Lag{}, "", ""
	p := NewProber(ProberOptions{Clock: clk, FreshEvery: -1})
	defer p.Close()
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if o := p.Probe(ctx, m); !o.OK() {
			b.Fatalf("probe: %+v", o)
		}
	}
}

// BenchmarkBareRequests is the floor: the same four requests with a plain
// shared http.Client, bodies discarded, nothing parsed.
func BenchmarkBareRequests(b *testing.B) {
	f, _ := startFleet(b, 1)
	base := f.Mirrors()[0].URL
	c := &http.Client{}
	defer c.CloseIdleConnections()
	urls := []string{base + "health", base + "project/trace/master", base + "manifest", base + "Archive-Update-in-Progress"}
	b.ReportAllocs()
	for b.Loop() {
		for _, u := range urls {
			resp, err := c.Get(u)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	}
}
