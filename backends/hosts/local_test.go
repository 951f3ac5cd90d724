package hosts

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/shirou/gopsutil/v3/cpu"
)

func TestLocalSourcePlausible(t *testing.T) {
	s := NewSampler(Options{})
	first := s.Sample(time.Now())
	if first.Err != "" {
		t.Fatalf("first sample error: %s", first.Err)
	}
	if first.NetRxBps != -1 || first.DiskReadBps != -1 || first.CPUPercent != -1 {
		t.Errorf("first sample has rates: net %v disk %v cpu %v", first.NetRxBps, first.DiskReadBps, first.CPUPercent)
	}
	if first.MemTotal == 0 || first.MemUsed > first.MemTotal || first.MemPercent < 0 || first.MemPercent > 100 {
		t.Errorf("memory %d/%d %v%%", first.MemUsed, first.MemTotal, first.MemPercent)
	}
	if first.Load1 < 0 || first.Load5 < 0 || first.Load15 < 0 {
		t.Errorf("load %v %v %v", first.Load1, first.Load5, first.Load15)
	}
	if first.DiskPercent <= 0 || first.DiskPercent > 100 {
		t.Errorf("disk usage of / = %v%%", first.DiskPercent)
	}

	// Readings closer than a kernel tick leave CPU unknown; read until the
	// CPU counters move (two cores tick every 10 ms), bounded.
	var next Sample
	for i := 0; i < 10000; i++ {
		next = s.Sample(time.Now())
		if next.CPUPercent != -1 {
			break
		}
	}
	if next.Err != "" {
		t.Fatalf("second sample error: %s", next.Err)
	}
	if next.CPUPercent < 0 || next.CPUPercent > 100 {
		t.Errorf("CPUPercent = %v, want 0–100", next.CPUPercent)
	}
	for name, v := range map[string]float64{
		"NetRxBps": next.NetRxBps, "NetTxBps": next.NetTxBps,
		"DiskReadBps": next.DiskReadBps, "DiskWriteBps": next.DiskWriteBps,
	} {
		if v < 0 {
			t.Errorf("second sample %s = %v, want ≥ 0", name, v)
		}
	}
}

func TestLocalSourceMarksLoopback(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("interface names are Linux's")
	}
	ns, err := NewLocalSource().NetIO()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ns {
		if n.Name == "lo" && !n.Loopback {
			t.Error(`"lo" not marked loopback`)
		}
		if n.Name != "lo" && n.Loopback {
			t.Errorf("%q marked loopback", n.Name)
		}
	}
}

func TestPhysicalDisks(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"sda/device", "nvme0n1/device", "loop0", "dm-0", "zram0"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	got := physicalDisks(dir)
	slices.Sort(got)
	if want := []string{"nvme0n1", "sda"}; !slices.Equal(got, want) {
		t.Errorf("physicalDisks = %v, want %v", got, want)
	}
	if got := physicalDisks(filepath.Join(dir, "missing")); got != nil {
		t.Errorf("missing dir: %v, want nil (sum all devices)", got)
	}
}

func TestCPUTimesFromExcludesGuestAndIdle(t *testing.T) {
	got := cpuTimesFrom(cpu.TimesStat{
		User: 10, Nice: 2, System: 3, Idle: 50, Iowait: 5, Irq: 1, Softirq: 1, Steal: 3,
		Guest: 4, GuestNice: 1, // already inside User and Nice
	})
	if got.Total != 75 || got.Busy != 20 {
		t.Errorf("cpuTimesFrom = %+v, want Busy 20 Total 75", got)
	}
}

func BenchmarkSample(b *testing.B) {
	s := NewSampler(Options{})
	s.Sample(time.Now())
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if x := s.Sample(time.Now()); x.Err != "" {
			b.Fatal(x.Err)
		}
	}
}
