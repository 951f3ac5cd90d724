package sim

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// HostModel is what a simulated host does; its exporter's counters follow
// it, so rates computed from them come out as the model says.
type HostModel struct {
	CPUs        int     // default 4
	CPUBusy     float64 // share of every core, 0–1
	IOWait      float64 // share of every core waiting on disk, 0–1
	MemTotal    float64 // bytes; default 16 GiB
	MemUsed     float64 // share, 0–1
	DiskSize    float64 // bytes of the file system on /; default 500 GB
	DiskUsed    float64 // share, 0–1
	IOPS        float64 // completed I/Os a second, half reads
	DiskLatency time.Duration
	NetRx       float64 // bytes/s
	NetTx       float64
	Load        float64
	// Wiggle moves CPU, memory and latency by up to this share of
	// themselves, slowly, so the demo's sparklines live; 0 for tests.
	Wiggle float64
}

// Exporter serves a node_exporter page (/metrics, text format 0.0.4) of a
// simulated host, counters integrated from its model on each scrape.
type Exporter struct {
	clock clockwork.Clock
	srv   *http.Server
	ln    net.Listener

	mu                      sync.Mutex
	model                   HostModel
	last                    time.Time
	busy, idle, iowait      float64 // CPU seconds, all cores
	reads, writes           float64
	readSecs, writeSecs     float64
	readBytes, writtenBytes float64
	rx, tx                  float64
}

// StartExporter listens on 127.0.0.1 and serves model's page.
func StartExporter(clock clockwork.Clock, model HostModel) (*Exporter, error) {
	if clock == nil {
		clock = clockwork.NewRealClock()
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("sim: exporter: %w", err)
	}
	e := &Exporter{clock: clock, ln: ln, last: clock.Now(),
		// A host up for a while: counters far from zero, as real ones are.
		busy: 86400, idle: 4 * 86400, reads: 1e6, writes: 2e6, readSecs: 900, writeSecs: 2100,
		readBytes: 4e10, writtenBytes: 9e10, rx: 3e11, tx: 8e11}
	e.Set(model)
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", e.serve)
	e.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = e.srv.Serve(ln) }()
	return e, nil
}

// URL is the page's address.
func (e *Exporter) URL() string { return "http://" + e.ln.Addr().String() + "/metrics" }

// Close stops serving.
func (e *Exporter) Close() error { return e.srv.Close() }

// Set changes the model from now on; the counters so far stay.
func (e *Exporter) Set(m HostModel) {
	if m.CPUs <= 0 {
		m.CPUs = 4
	}
	if m.MemTotal <= 0 {
		m.MemTotal = 16 << 30
	}
	if m.DiskSize <= 0 {
		m.DiskSize = 500e9
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.advance()
	e.model = m
}

// advance integrates the counters up to now; the caller holds mu.
func (e *Exporter) advance() {
	now := e.clock.Now()
	dt := now.Sub(e.last).Seconds()
	if dt <= 0 {
		return
	}
	e.last = now
	m, w := e.model, e.wiggle(now)
	cores := float64(m.CPUs) * dt
	busy := math.Min(1, m.CPUBusy*w)
	e.busy += busy * cores
	e.iowait += m.IOWait * cores
	e.idle += math.Max(0, 1-busy-m.IOWait) * cores
	ops := m.IOPS * dt / 2
	lat := m.DiskLatency.Seconds() * w
	e.reads, e.writes = e.reads+ops, e.writes+ops
	e.readSecs, e.writeSecs = e.readSecs+ops*lat, e.writeSecs+ops*lat
	e.readBytes, e.writtenBytes = e.readBytes+ops*16384, e.writtenBytes+ops*65536
	e.rx, e.tx = e.rx+m.NetRx*dt, e.tx+m.NetTx*dt
}

// wiggle is a slow factor around 1 (two minutes a period).
func (e *Exporter) wiggle(now time.Time) float64 {
	return 1 + e.model.Wiggle*math.Sin(float64(now.UnixMilli())/120000*2*math.Pi)
}

func (e *Exporter) serve(w http.ResponseWriter, _ *http.Request) {
	e.mu.Lock()
	e.advance()
	page := e.page()
	e.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = w.Write([]byte(page))
}

// page writes the families warroom reads, as node_exporter names them;
// the caller holds mu.
func (e *Exporter) page() string {
	m, wg := e.model, e.wiggle(e.clock.Now())
	var b strings.Builder
	family := func(name, typ string, lines ...string) {
		fmt.Fprintf(&b, "# HELP %s Simulated by warroom's demo.\n# TYPE %s %s\n", name, name, typ)
		for _, l := range lines {
			b.WriteString(name + l + "\n")
		}
	}
	n := float64(m.CPUs)
	var cpu []string
	for i := 0; i < m.CPUs; i++ {
		for _, mode := range []struct {
			name string
			v    float64
		}{{"idle", e.idle / n}, {"iowait", e.iowait / n}, {"system", e.busy / n / 4}, {"user", e.busy / n * 3 / 4}} {
			cpu = append(cpu, fmt.Sprintf(`{cpu="%d",mode="%s"} %g`, i, mode.name, mode.v))
		}
	}
	family("node_cpu_seconds_total", "counter", cpu...)
	disk := func(v float64) string { return fmt.Sprintf(`{device="vda"} %g`, v) }
	family("node_disk_read_bytes_total", "counter", disk(e.readBytes))
	family("node_disk_read_time_seconds_total", "counter", disk(e.readSecs))
	family("node_disk_reads_completed_total", "counter", disk(e.reads))
	family("node_disk_write_time_seconds_total", "counter", disk(e.writeSecs))
	family("node_disk_writes_completed_total", "counter", disk(e.writes))
	family("node_disk_written_bytes_total", "counter", disk(e.writtenBytes))
	fs := func(v float64) string { return fmt.Sprintf(`{device="/dev/vda1",fstype="ext4",mountpoint="/"} %g`, v) }
	family("node_filesystem_avail_bytes", "gauge", fs(m.DiskSize*(1-m.DiskUsed)))
	family("node_filesystem_size_bytes", "gauge", fs(m.DiskSize))
	family("node_load1", "gauge", fmt.Sprintf(" %g", m.Load*wg))
	family("node_load15", "gauge", fmt.Sprintf(" %g", m.Load))
	family("node_load5", "gauge", fmt.Sprintf(" %g", m.Load))
	used := math.Min(1, m.MemUsed*wg)
	family("node_memory_MemAvailable_bytes", "gauge", fmt.Sprintf(" %g", m.MemTotal*(1-used)))
	family("node_memory_MemTotal_bytes", "gauge", fmt.Sprintf(" %g", m.MemTotal))
	family("node_network_receive_bytes_total", "counter", fmt.Sprintf(`{device="eth0"} %g`, e.rx), `{device="lo"} 1e+09`)
	family("node_network_transmit_bytes_total", "counter", fmt.Sprintf(`{device="eth0"} %g`, e.tx), `{device="lo"} 1e+09`)
	return b.String()
}
