package hosts

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 8, 22, 14, 0, 0, 0, time.UTC)

func newFake() *fakeSource {
	return &fakeSource{
		cpu:     CPUTimes{Busy: 100, Total: 400},
		mem:     Memory{Used: 3 << 30, Total: 8 << 30, Percent: 37.5},
		load:    LoadAvg{Load1: 0.5, Load5: 0.25, Load15: 0.125},
		diskPct: 42,
		disks: []DiskCounters{
			{Name: "sda", ReadBytes: 1000, WriteBytes: 2000},
			{Name: "nvme0n1", ReadBytes: 10, WriteBytes: 20},
		},
		nets: []NetCounters{
			{Name: "lo", Loopback: true, RxBytes: 5000, TxBytes: 5000},
			{Name: "eth0", RxBytes: 100, TxBytes: 200},
			{Name: "wlan0", RxBytes: 1, TxBytes: 2},
		},
	}
}

func checkNoRates(t *testing.T, s Sample) {
	t.Helper()
	for name, v := range map[string]float64{
		"CPUPercent": s.CPUPercent, "DiskReadBps": s.DiskReadBps, "DiskWriteBps": s.DiskWriteBps,
		"NetRxBps": s.NetRxBps, "NetTxBps": s.NetTxBps,
	} {
		if v != -1 {
			t.Errorf("%s = %v, want -1 (no sample)", name, v)
		}
	}
}

func TestFirstSampleHasStaticFiguresButNoRates(t *testing.T) {
	f := newFake()
	s := NewSampler(Options{Host: "db1", DiskPath: "/var", Source: f})
	got := s.Sample(t0)
	checkNoRates(t, got)
	if got.Host != "db1" || !got.At.Equal(t0) || got.DiskPath != "/var" || f.usedPath != "/var" {
		t.Errorf("identity: host %q at %v path %q (asked %q)", got.Host, got.At, got.DiskPath, f.usedPath)
	}
	if got.MemUsed != 3<<30 || got.MemTotal != 8<<30 || got.MemPercent != 37.5 {
		t.Errorf("memory = %d/%d %v%%", got.MemUsed, got.MemTotal, got.MemPercent)
	}
	if got.Load1 != 0.5 || got.Load5 != 0.25 || got.Load15 != 0.125 {
		t.Errorf("load = %v %v %v", got.Load1, got.Load5, got.Load15)
	}
	if got.DiskPercent != 42 || got.Err != "" {
		t.Errorf("disk %v err %q", got.DiskPercent, got.Err)
	}
}

func TestDefaults(t *testing.T) {
	f := newFake()
	s := NewSampler(Options{Source: f})
	got := s.Sample(t0)
	if got.DiskPath != "/" || f.usedPath != "/" {
		t.Errorf("default disk path = %q (asked %q), want /", got.DiskPath, f.usedPath)
	}
	if got.Host == "" {
		t.Error("default host is empty; want os.Hostname or \"local\"")
	}
}

func TestRatesFromDeltas(t *testing.T) {
	f := newFake()
	s := NewSampler(Options{Host: "h", Source: f})
	s.Sample(t0)
	f.set(func(f *fakeSource) {
		f.cpu = CPUTimes{Busy: 100 + 3, Total: 400 + 4} // 3 of 4 seconds busy
		f.disks = []DiskCounters{
			{Name: "nvme0n1", ReadBytes: 10 + 400, WriteBytes: 20},
			{Name: "sda", ReadBytes: 1000 + 600, WriteBytes: 2000 + 2000},
		}
		f.nets = []NetCounters{
			{Name: "eth0", RxBytes: 100 + 1500, TxBytes: 200 + 300},
			{Name: "lo", Loopback: true, RxBytes: 9e9, TxBytes: 9e9},
			{Name: "wlan0", RxBytes: 1 + 500, TxBytes: 2 + 100},
		}
	})
	got := s.Sample(t0.Add(2 * time.Second))
	want := map[string][2]float64{
		"CPUPercent":   {got.CPUPercent, 75},
		"DiskReadBps":  {got.DiskReadBps, 500},   // (400+600)/2
		"DiskWriteBps": {got.DiskWriteBps, 1000}, // 2000/2
		"NetRxBps":     {got.NetRxBps, 1000},     // (1500+500)/2, loopback ignored
		"NetTxBps":     {got.NetTxBps, 200},      // (300+100)/2
	}
	for name, gw := range want {
		if gw[0] != gw[1] {
			t.Errorf("%s = %v, want %v", name, gw[0], gw[1])
		}
	}
	if got.Err != "" {
		t.Errorf("Err = %q", got.Err)
	}
}

func TestLoopbackNeverCounted(t *testing.T) {
	f := newFake()
	f.nets = []NetCounters{{Name: "lo", Loopback: true, RxBytes: 1, TxBytes: 1}}
	s := NewSampler(Options{Host: "h", Source: f})
	s.Sample(t0)
	// Loopback resets and grows; neither may show.
	f.set(func(f *fakeSource) { f.nets[0].RxBytes, f.nets[0].TxBytes = 0, 1e9 })
	got := s.Sample(t0.Add(time.Second))
	if got.NetRxBps != 0 || got.NetTxBps != 0 {
		t.Errorf("loopback only: rx %v tx %v, want 0 0", got.NetRxBps, got.NetTxBps)
	}
}

func TestCounterResetGivesNoSampleThenRecovers(t *testing.T) {
	f := newFake()
	s := NewSampler(Options{Host: "h", Source: f})
	s.Sample(t0)
	// eth0's rx counter went back (driver reload); tx kept growing.
	f.set(func(f *fakeSource) { f.nets[1].RxBytes, f.nets[1].TxBytes = 50, 300 })
	got := s.Sample(t0.Add(time.Second))
	if got.NetRxBps != -1 {
		t.Errorf("after rx reset NetRxBps = %v, want -1", got.NetRxBps)
	}
	if got.NetTxBps != 100 {
		t.Errorf("tx unaffected by rx reset: NetTxBps = %v, want 100", got.NetTxBps)
	}
	f.set(func(f *fakeSource) { f.nets[1].RxBytes = 150 })
	got = s.Sample(t0.Add(2 * time.Second))
	if got.NetRxBps != 100 {
		t.Errorf("after reset, next NetRxBps = %v, want 100 from the new baseline", got.NetRxBps)
	}
}

func TestVanishedDeviceGivesNoSampleAppearedIsBaselined(t *testing.T) {
	f := newFake()
	s := NewSampler(Options{Host: "h", Source: f})
	s.Sample(t0)
	// wlan0 disappears: its last interval is unknown.
	f.set(func(f *fakeSource) { f.nets = f.nets[:2] })
	got := s.Sample(t0.Add(time.Second))
	if got.NetRxBps != -1 || got.NetTxBps != -1 {
		t.Errorf("vanished interface: rx %v tx %v, want -1 -1", got.NetRxBps, got.NetTxBps)
	}
	// A new disk appears with history; only growth from now on counts.
	f.set(func(f *fakeSource) {
		f.disks = append(f.disks, DiskCounters{Name: "sdb", ReadBytes: 1e12, WriteBytes: 1e12})
	})
	got = s.Sample(t0.Add(2 * time.Second))
	if got.DiskReadBps != 0 || got.DiskWriteBps != 0 {
		t.Errorf("appeared disk: read %v write %v, want 0 0", got.DiskReadBps, got.DiskWriteBps)
	}
	f.set(func(f *fakeSource) { f.disks[2].ReadBytes += 4096 })
	got = s.Sample(t0.Add(3 * time.Second))
	if got.DiskReadBps != 4096 {
		t.Errorf("appeared disk next interval: read %v, want 4096", got.DiskReadBps)
	}
}

func TestZeroOrNegativeElapsedGivesNoSample(t *testing.T) {
	f := newFake()
	s := NewSampler(Options{Host: "h", Source: f})
	s.Sample(t0)
	got := s.Sample(t0)
	if got.NetRxBps != -1 || got.DiskReadBps != -1 {
		t.Errorf("zero elapsed: net %v disk %v, want -1", got.NetRxBps, got.DiskReadBps)
	}
	got = s.Sample(t0.Add(-time.Second))
	if got.NetTxBps != -1 || got.DiskWriteBps != -1 {
		t.Errorf("clock stepped back: net %v disk %v, want -1", got.NetTxBps, got.DiskWriteBps)
	}
}

func TestCPUPercentEdges(t *testing.T) {
	f := newFake()
	s := NewSampler(Options{Host: "h", Source: f})
	s.Sample(t0)
	cases := []struct {
		name string
		cpu  CPUTimes
		want float64
	}{
		{"idle", CPUTimes{Busy: 100, Total: 410}, 0},
		{"counters did not move", CPUTimes{Busy: 100, Total: 410}, -1},
		{"fully busy", CPUTimes{Busy: 110, Total: 420}, 100},
		{"busy stepped back a little", CPUTimes{Busy: 109, Total: 430}, 0},
		{"quarter busy", CPUTimes{Busy: 110, Total: 434}, 25},
	}
	for i, c := range cases {
		f.set(func(f *fakeSource) { f.cpu = c.cpu })
		if got := s.Sample(t0.Add(time.Duration(i+1) * time.Second)).CPUPercent; got != c.want {
			t.Errorf("%s: CPUPercent = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestPartialErrorsNamePartsAndKeepTheRest(t *testing.T) {
	f := newFake()
	s := NewSampler(Options{Host: "db1", DiskPath: "/data", Source: f})
	s.Sample(t0)
	f.set(func(f *fakeSource) {
		f.errs = map[string]error{
			"usage": errors.New("no such file or directory"),
			"netio": errors.New("open /proc/net/dev: permission denied"),
		}
		f.cpu = CPUTimes{Busy: 101, Total: 402}
		f.disks[0].ReadBytes += 100
	})
	got := s.Sample(t0.Add(time.Second))
	for _, want := range []string{`host "db1"`, `disk usage of "/data"`, "no such file", "network io counters", "permission denied"} {
		if !strings.Contains(got.Err, want) {
			t.Errorf("Err = %q, want it to mention %q", got.Err, want)
		}
	}
	if strings.Contains(got.Err, "\n") {
		t.Errorf("Err spans lines: %q", got.Err)
	}
	if got.DiskPercent != -1 || got.NetRxBps != -1 || got.NetTxBps != -1 {
		t.Errorf("failed parts: disk %v rx %v tx %v, want -1", got.DiskPercent, got.NetRxBps, got.NetTxBps)
	}
	if got.CPUPercent != 50 || got.DiskReadBps != 100 || got.MemTotal != 8<<30 || got.Load1 != 0.5 {
		t.Errorf("good parts lost: cpu %v diskread %v memtotal %d load1 %v",
			got.CPUPercent, got.DiskReadBps, got.MemTotal, got.Load1)
	}

	// Net recovers: the rate spans both intervals since the last good read.
	f.set(func(f *fakeSource) {
		f.errs = nil
		f.nets[1].RxBytes += 600
	})
	got = s.Sample(t0.Add(3 * time.Second))
	if got.Err != "" || got.NetRxBps != 200 {
		t.Errorf("after recovery: rx %v err %q, want 200 (600 bytes over 3 s) and no error", got.NetRxBps, got.Err)
	}
}

func TestEveryPartFailing(t *testing.T) {
	boom := errors.New("boom")
	f := newFake()
	f.errs = map[string]error{"cpu": boom, "mem": boom, "load": boom, "usage": boom, "diskio": boom, "netio": boom}
	got := NewSampler(Options{Host: "h", Source: f}).Sample(t0)
	checkNoRates(t, got)
	if got.MemTotal != 0 || got.MemPercent != -1 || got.Load1 != -1 || got.DiskPercent != -1 {
		t.Errorf("unknown figures: mem %d %v load %v disk %v", got.MemTotal, got.MemPercent, got.Load1, got.DiskPercent)
	}
	if n := strings.Count(got.Err, "boom"); n != 6 {
		t.Errorf("Err names %d failures, want 6: %q", n, got.Err)
	}
}
