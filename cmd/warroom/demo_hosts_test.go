package main

import (
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/hosts"
	"warroom/backends/sim"
)

// The demo's fleet: every mirror on one of four simulated hosts, each an
// exporter the config lists (and passes the checks); host-b runs hot (CPU
// near 92 %, disk latency near 80 ms), the others within the playbook.
func TestDemoHostsHaveOneRunningHot(t *testing.T) {
	fleet, err := sim.Start(sim.Options{Mirrors: 6})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = fleet.Close() })
	clock := clockwork.NewFakeClockAt(time.Date(2026, 8, 22, 14, 0, 0, 0, time.UTC))
	d, err := startDemoHosts(clock)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	cfg := demoConfig(fleet, t.TempDir())
	d.apply(cfg)
	if err := cfg.Validate(); err != nil {
		t.Fatalf("demo config: %v", err)
	}
	if len(cfg.Hosts.Exporters) != 4 || cfg.Mirrors[0].Host != "host-a" || cfg.Mirrors[5].Host != "host-b" {
		t.Fatalf("exporters %+v, first mirror on %q, sixth on %q", cfg.Hosts.Exporters, cfg.Mirrors[0].Host, cfg.Mirrors[5].Host)
	}
	th := cfg.Thresholds
	for _, e := range cfg.Hosts.Exporters {
		s := hosts.NewSampler(hosts.Options{Host: e.Name, Source: hosts.NewExporter(hosts.ExporterOptions{URL: e.URL})})
		s.Sample(clock.Now())
		clock.Advance(cfg.Hosts.ScrapeInterval)
		got := s.Sample(clock.Now())
		if got.Err != "" {
			t.Fatalf("%s: %s", e.Name, got.Err)
		}
		hot := got.CPUPercent > th.CPUPercent || got.DiskLatency > th.DiskLatency.Seconds() || got.MemPercent > th.MemoryPercent
		if hot != (e.Name == "host-b") {
			t.Errorf("%s: cpu %.1f %% latency %.1f ms memory %.1f %%; only host-b should run hot", e.Name, got.CPUPercent, got.DiskLatency*1000, got.MemPercent)
		}
		if e.Name == "host-b" && (got.CPUPercent < 88 || got.CPUPercent > 96 || got.DiskLatency < 0.075 || got.DiskLatency > 0.085) {
			t.Errorf("host-b: cpu %.1f %% latency %.1f ms, want about 92 %% and 80 ms", got.CPUPercent, got.DiskLatency*1000)
		}
	}
}
