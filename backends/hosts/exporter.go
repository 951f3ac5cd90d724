package hosts

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// MaxExporterPage caps the page read from an exporter: node_exporter's is
// a few hundred KiB; anything far larger is not one and is refused.
const MaxExporterPage = 8 << 20

// ExporterOptions configure an exporter Source.
type ExporterOptions struct {
	URL     string        // the page, e.g. http://10.0.0.11:9100/metrics
	Timeout time.Duration // per scrape; 0 means 5s
	Client  *http.Client  // nil: a client of its own
}

// Exporter is a Source reading a Prometheus node_exporter: Refresh fetches
// and parses the page, the other methods read the families it held. A
// family missing from the page is that part's error, not the page's.
type Exporter struct {
	url     string
	timeout time.Duration
	client  *http.Client

	mu   sync.Mutex
	page map[string]*dto.MetricFamily
}

var _ interface {
	Source
	Refresher
} = (*Exporter)(nil)

// NewExporter returns an exporter Source; nothing is read until Refresh.
func NewExporter(opts ExporterOptions) *Exporter {
	e := &Exporter{url: opts.URL, timeout: opts.Timeout, client: opts.Client}
	if e.timeout <= 0 {
		e.timeout = 5 * time.Second
	}
	if e.client == nil {
		e.client = &http.Client{}
	}
	return e
}

// Refresh scrapes the page. Its errors say what went wrong without the
// URL, which may hold credentials.
func (e *Exporter) Refresh(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	page, err := e.fetch(ctx)
	if err != nil && ctx.Err() == context.DeadlineExceeded {
		err = fmt.Errorf("no answer within %s", e.timeout)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.page = page
	if err != nil {
		return fmt.Errorf("exporter: %w", err)
	}
	return nil
}

func (e *Exporter) fetch(ctx context.Context) (map[string]*dto.MetricFamily, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.url, nil)
	if err != nil {
		return nil, errors.New("bad URL")
	}
	req.Header.Set("Accept", "text/plain;version=0.0.4")
	resp, err := e.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("answered %s", resp.Status)
	}
	body := &io.LimitedReader{R: resp.Body, N: MaxExporterPage + 1}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	page, err := parser.TextToMetricFamilies(body)
	if body.N <= 0 {
		return nil, fmt.Errorf("page larger than %d MiB", MaxExporterPage>>20)
	}
	if err != nil {
		return nil, fmt.Errorf("not the Prometheus text format: %v", err)
	}
	return page, nil
}

// family returns the named family's metrics, or an error naming it.
func (e *Exporter) family(name string) ([]*dto.Metric, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.page == nil {
		return nil, errors.New("no page read yet")
	}
	mf, ok := e.page[name]
	if !ok || len(mf.GetMetric()) == 0 {
		return nil, fmt.Errorf("no %s on the page", name)
	}
	return mf.GetMetric(), nil
}

// value is a counter's, gauge's or untyped metric's value.
func value(m *dto.Metric) float64 {
	switch {
	case m.GetCounter() != nil:
		return m.GetCounter().GetValue()
	case m.GetGauge() != nil:
		return m.GetGauge().GetValue()
	}
	return m.GetUntyped().GetValue()
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// single is the one value of a family without labels that matter.
func (e *Exporter) single(name string) (float64, error) {
	ms, err := e.family(name)
	if err != nil {
		return 0, err
	}
	return value(ms[0]), nil
}

// byLabel sums a family's values per value of one label.
func (e *Exporter) byLabel(name, key string) (map[string]float64, error) {
	ms, err := e.family(name)
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(ms))
	for _, m := range ms {
		out[label(m, key)] += value(m)
	}
	return out, nil
}

// CPUTimes sums node_cpu_seconds_total over every core; idle and iowait
// are not busy (node_exporter counts guest time in its own family).
func (e *Exporter) CPUTimes() (CPUTimes, error) {
	modes, err := e.byLabel("node_cpu_seconds_total", "mode")
	if err != nil {
		return CPUTimes{}, err
	}
	var t CPUTimes
	for mode, v := range modes {
		t.Total += v
		if mode != "idle" && mode != "iowait" {
			t.Busy += v
		}
	}
	return t, nil
}

// Memory is used = total − available, as free(1) reports it.
func (e *Exporter) Memory() (Memory, error) {
	total, err := e.single("node_memory_MemTotal_bytes")
	if err != nil {
		return Memory{}, err
	}
	avail, err := e.single("node_memory_MemAvailable_bytes")
	if err != nil {
		return Memory{}, err
	}
	if total <= 0 || avail < 0 || avail > total {
		return Memory{}, fmt.Errorf("memory figures make no sense: %.0f available of %.0f", avail, total)
	}
	return Memory{Used: uint64(total - avail), Total: uint64(total), Percent: (total - avail) / total * 100}, nil
}

func (e *Exporter) Load() (LoadAvg, error) {
	var l LoadAvg
	for name, dst := range map[string]*float64{"node_load1": &l.Load1, "node_load5": &l.Load5, "node_load15": &l.Load15} {
		v, err := e.single(name)
		if err != nil {
			return LoadAvg{}, err
		}
		*dst = v
	}
	return l, nil
}

// DiskUsage is the used share of the file system mounted at path, from
// the space left to ordinary users, as df's Use% nearly is.
func (e *Exporter) DiskUsage(path string) (float64, error) {
	size, err := e.byLabel("node_filesystem_size_bytes", "mountpoint")
	if err != nil {
		return 0, err
	}
	avail, err := e.byLabel("node_filesystem_avail_bytes", "mountpoint")
	if err != nil {
		return 0, err
	}
	s, ok := size[path]
	a, okA := avail[path]
	if !ok || !okA || s <= 0 {
		return 0, fmt.Errorf("no file system mounted at %s on the page", path)
	}
	return min(100, max(0, (s-a)/s*100)), nil
}

// DiskIO lists the whole disks; partitions (which node_exporter leaves
// out by default) and virtual devices over disks (device-mapper, md,
// loop) would count the same I/O twice.
func (e *Exporter) DiskIO() ([]DiskCounters, error) {
	families := []string{"node_disk_read_bytes_total", "node_disk_written_bytes_total",
		"node_disk_reads_completed_total", "node_disk_writes_completed_total",
		"node_disk_read_time_seconds_total", "node_disk_write_time_seconds_total"}
	per := make([]map[string]float64, len(families))
	for i, f := range families {
		m, err := e.byLabel(f, "device")
		if err != nil {
			return nil, err
		}
		per[i] = m
	}
	out := make([]DiskCounters, 0, len(per[0]))
	for dev := range per[0] {
		if virtualDisk(dev) {
			continue
		}
		out = append(out, DiskCounters{Name: dev,
			ReadBytes: uint64(per[0][dev]), WriteBytes: uint64(per[1][dev]),
			Reads: uint64(per[2][dev]), Writes: uint64(per[3][dev]),
			ReadSeconds: per[4][dev], WriteSeconds: per[5][dev]})
	}
	return out, nil
}

func virtualDisk(dev string) bool {
	for _, p := range []string{"dm-", "md", "loop", "ram", "zram", "nbd", "sr", "fd"} {
		if strings.HasPrefix(dev, p) {
			return true
		}
	}
	return false
}

// NetIO lists every interface; the Sampler skips loopback.
func (e *Exporter) NetIO() ([]NetCounters, error) {
	rx, err := e.byLabel("node_network_receive_bytes_total", "device")
	if err != nil {
		return nil, err
	}
	tx, err := e.byLabel("node_network_transmit_bytes_total", "device")
	if err != nil {
		return nil, err
	}
	out := make([]NetCounters, 0, len(rx))
	for dev, r := range rx {
		out = append(out, NetCounters{Name: dev, Loopback: dev == "lo", RxBytes: uint64(r), TxBytes: uint64(tx[dev])})
	}
	return out, nil
}
