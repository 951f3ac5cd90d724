package sim

import (
	"math"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/hosts"
)

// The simulated exporter's page, read by warroom's own exporter Source,
// gives back the model's figures.
func TestExporterPageGivesTheModelsFigures(t *testing.T) {
	clock := clockwork.NewFakeClockAt(time.Date(2026, 8, 22, 14, 0, 0, 0, time.UTC))
	hot := HostModel{CPUs: 8, CPUBusy: 0.92, MemUsed: 0.5, DiskUsed: 0.7, IOPS: 400, DiskLatency: 80 * time.Millisecond,
		NetRx: 2e6, NetTx: 3e7, Load: 7.5}
	e, err := StartExporter(clock, hot)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	s := hosts.NewSampler(hosts.Options{Host: "edge-1", Source: hosts.NewExporter(hosts.ExporterOptions{URL: e.URL()})})
	if first := s.Sample(clock.Now()); first.Err != "" || math.Abs(first.MemPercent-50) > 1e-6 {
		t.Fatalf("first reading: %+v", first)
	}
	clock.Advance(15 * time.Second)
	got := s.Sample(clock.Now())
	for name, c := range map[string][2]float64{
		"CPUPercent": {got.CPUPercent, 92}, "MemPercent": {got.MemPercent, 50}, "DiskPercent": {got.DiskPercent, 70},
		"DiskLatency": {got.DiskLatency, 0.080}, "NetRxBps": {got.NetRxBps, 2e6}, "NetTxBps": {got.NetTxBps, 3e7},
		"Load1": {got.Load1, 7.5}, "DiskReadBps": {got.DiskReadBps, 200 * 16384},
	} {
		if math.Abs(c[0]-c[1]) > 1e-6*math.Max(1, c[1]) {
			t.Errorf("%s = %v, want %v", name, c[0], c[1])
		}
	}
	if got.Err != "" {
		t.Errorf("err %q", got.Err)
	}
	e.Set(HostModel{CPUs: 8, CPUBusy: 0.2, IOPS: 400, DiskLatency: 2 * time.Millisecond})
	clock.Advance(15 * time.Second)
	if got := s.Sample(clock.Now()); math.Abs(got.CPUPercent-20) > 1e-6 || math.Abs(got.DiskLatency-0.002) > 1e-9 {
		t.Errorf("after Set: cpu %v latency %v", got.CPUPercent, got.DiskLatency)
	}
}
