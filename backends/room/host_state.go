package room

import (
	"fmt"
	"math"

	"warroom/backends/config"
	"warroom/backends/hosts"
)

// hostState keeps the local host's latest sample, short histories for
// sparklines and the sustained-breach trackers behind host alerts.
type hostState struct {
	th                               config.Thresholds
	latest                           *hosts.Sample
	cpu, mem, disk, rx, tx, rd, wr   *ring
	cpuBreach, memBreach, diskBreach hosts.Breach
	cached                           *HostView
}

func newHostState(cfg *config.Config, history int) *hostState {
	if cfg.Hosts.History > 0 {
		history = cfg.Hosts.History
	}
	return &hostState{
		th:  cfg.Thresholds,
		cpu: newRing(history), mem: newRing(history), disk: newRing(history),
		rx: newRing(history), tx: newRing(history), rd: newRing(history), wr: newRing(history),
	}
}

// rate turns the sampler's "no sample" (any negative figure) into a gap in the sparkline.
func rate(v float64) float64 {
	if v < 0 {
		return math.NaN()
	}
	return v
}

func (h *hostState) observe(s hosts.Sample) {
	h.latest = &s
	h.cpu.push(rate(s.CPUPercent))
	h.mem.push(rate(s.MemPercent))
	h.disk.push(rate(s.DiskPercent))
	h.rx.push(rate(s.NetRxBps))
	h.tx.push(rate(s.NetTxBps))
	h.rd.push(rate(s.DiskReadBps))
	h.wr.push(rate(s.DiskWriteBps))
	h.cached = nil
}

type hostCondition struct {
	id   string
	on   bool
	text string
}

// conditions evaluates the playbook thresholds (CPU > 80 %, memory > 90 %,
// disk > 90 %), each sustained for the configured time.
func (h *hostState) conditions(s hosts.Sample) []hostCondition {
	check := func(kind, label string, b *hosts.Breach, v, limit float64) hostCondition {
		on := b.Active() // an unreadable figure (-1) neither starts nor ends a breach
		if v >= 0 {
			on, _ = b.Observe(s.At, v, hosts.Threshold{Limit: limit, Sustain: h.th.Sustain})
		}
		return hostCondition{
			id: "host-" + kind + "/" + s.Host, on: on,
			text: fmt.Sprintf("%s %s %.0f %% (over %.0f %% for %s)", s.Host, label, v, limit, h.th.Sustain),
		}
	}
	return []hostCondition{
		check("cpu", "CPU", &h.cpuBreach, s.CPUPercent, h.th.CPUPercent),
		check("memory", "memory", &h.memBreach, s.MemPercent, h.th.MemoryPercent),
		check("disk", "disk "+s.DiskPath, &h.diskBreach, s.DiskPercent, h.th.DiskPercent),
	}
}

func isHostAlert(id string) bool {
	return len(id) > 5 && id[:5] == "host-"
}

func (h *hostState) view() *HostView {
	if h.latest == nil {
		return nil
	}
	if h.cached == nil {
		h.cached = &HostView{
			Latest: *h.latest,
			CPU:    h.cpu.values(), Memory: h.mem.values(), Disk: h.disk.values(),
			NetRx: h.rx.values(), NetTx: h.tx.values(),
			DiskRead: h.rd.values(), DiskWrite: h.wr.values(),
		}
	}
	return h.cached
}
