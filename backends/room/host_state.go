package room

import (
	"fmt"
	"math"
	"strings"

	"warroom/backends/config"
	"warroom/backends/hosts"
)

// staleAfter missed readings in a row mark a host's row stale.
const staleAfter = 3

// hostState keeps one host's latest sample, short histories for
// sparklines and the sustained-breach trackers behind its alerts: the
// local machine's, and each exporter's (host_fleet.go).
type hostState struct {
	th                               config.Thresholds
	local                            bool
	latest                           *hosts.Sample // the last answer; a NoAnswer one only until there is one
	missed                           int           // readings without an answer since the last one
	reason                           string        // why the last reading had no answer, cleaned
	cpu, mem, disk, rx, tx, rd, wr   *ring
	lat                              *ring
	cpuBreach, memBreach, diskBreach hosts.Breach
	latBreach                        hosts.Breach
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
		lat: newRing(history),
	}
}

// rate turns the sampler's "no sample" (any negative figure) into a gap in the sparkline.
func rate(v float64) float64 {
	if v < 0 {
		return math.NaN()
	}
	return v
}

// observe takes a reading; one without an answer keeps the last figures
// and leaves a gap in every history.
func (h *hostState) observe(s hosts.Sample) {
	h.cached = nil
	if s.NoAnswer {
		h.missed++
		h.reason = strings.TrimPrefix(s.Err, fmt.Sprintf("host %q: ", s.Host)) // the row names it
		if h.latest == nil {
			h.latest = &s
		}
	} else {
		h.latest, h.missed, h.reason = &s, 0, ""
	}
	h.cpu.push(rate(s.CPUPercent))
	h.mem.push(rate(s.MemPercent))
	h.disk.push(rate(s.DiskPercent))
	h.rx.push(rate(s.NetRxBps))
	h.tx.push(rate(s.NetTxBps))
	h.rd.push(rate(s.DiskReadBps))
	h.wr.push(rate(s.DiskWriteBps))
	h.lat.push(rate(s.DiskLatency))
}

type hostCondition struct {
	id   string
	on   bool
	text string
}

// conditions evaluates the playbook thresholds (CPU > 80 %, memory > 90 %,
// disk > 90 %, disk I/O latency > 50 ms), each sustained for the
// configured time.
func (h *hostState) conditions(s hosts.Sample) []hostCondition {
	check := func(kind string, b *hosts.Breach, v, limit float64, text string) hostCondition {
		on := b.Active() // an unreadable figure (-1) neither starts nor ends a breach
		if v >= 0 {
			on, _ = b.Observe(s.At, v, hosts.Threshold{Limit: limit, Sustain: h.th.Sustain})
		}
		return hostCondition{id: "host-" + kind + "/" + s.Host, on: on, text: text}
	}
	pct := func(label string, v, limit float64) string {
		return fmt.Sprintf("%s %s %.0f %% (over %.0f %% for %s)", s.Host, label, v, limit, h.th.Sustain)
	}
	latMS, limitMS := s.DiskLatency*1000, float64(h.th.DiskLatency.Microseconds())/1000
	return []hostCondition{
		check("cpu", &h.cpuBreach, s.CPUPercent, h.th.CPUPercent, pct("CPU", s.CPUPercent, h.th.CPUPercent)),
		check("memory", &h.memBreach, s.MemPercent, h.th.MemoryPercent, pct("memory", s.MemPercent, h.th.MemoryPercent)),
		check("disk", &h.diskBreach, s.DiskPercent, h.th.DiskPercent, pct("disk "+s.DiskPath, s.DiskPercent, h.th.DiskPercent)),
		check("disk-latency", &h.latBreach, latMS, limitMS,
			fmt.Sprintf("%s disk I/O latency %.0f ms (over %s for %s)", s.Host, latMS, h.th.DiskLatency, h.th.Sustain)),
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
		th := h.th
		h.cached = &HostView{
			Name:   h.latest.Host,
			Local:  h.local,
			Latest: *h.latest,
			CPU:    h.cpu.values(), Memory: h.mem.values(), Disk: h.disk.values(),
			NetRx: h.rx.values(), NetTx: h.tx.values(),
			DiskRead: h.rd.values(), DiskWrite: h.wr.values(),
			DiskLatency: h.lat.values(),
			Missed:      h.missed,
			Stale:       h.missed >= staleAfter,
			Reason:      h.reason,
			Over: HostBreaches{CPU: h.cpuBreach.Active(), Memory: h.memBreach.Active(),
				Disk: h.diskBreach.Active(), DiskLatency: h.latBreach.Active()},
			Limits: HostLimits{CPU: th.CPUPercent, Memory: th.MemoryPercent, Disk: th.DiskPercent,
				DiskLatency: th.DiskLatency.Seconds()},
		}
	}
	return h.cached
}
