package hosts

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"
)

var errNoCPUTimes = errors.New("no totals returned")

// Options configure a Sampler.
type Options struct {
	Host     string // name shown; "" means os.Hostname(), read once
	DiskPath string // mount point whose usage is reported; "" means "/"
	Disk     string // block device whose I/O latency is reported; "" means all
	Source   Source // nil means this machine through gopsutil
}

// Refresher is a Source that reads everything at once (one HTTP request
// to an exporter) before the Sampler asks for the parts.
type Refresher interface {
	Refresh(ctx context.Context) error
}

// Sampler takes readings of one host and turns cumulative counters into
// rates. Keep one per host per process: each reading is relative to the
// previous one. It is safe for concurrent use, though readings interleaved
// from two callers shorten each other's intervals.
//
// A figure that could not be read or computed is -1 (uint64 memory figures
// are 0) and Sample.Err says why; the other figures are still filled.
type Sampler struct {
	host     string
	diskPath string
	src      Source

	mu      sync.Mutex
	cpu     cpuPercent
	disk    *pairRates
	net     *pairRates
	latency *ioLatency
}

// NewSampler builds a Sampler. It reads the host name once, if not given.
func NewSampler(opts Options) *Sampler {
	s := &Sampler{
		host:     opts.Host,
		diskPath: opts.DiskPath,
		src:      opts.Source,
		disk:     newPairRates(),
		net:      newPairRates(),
		latency:  newIOLatency(opts.Disk),
	}
	if s.host == "" {
		if h, err := os.Hostname(); err == nil && h != "" {
			s.host = h
		} else {
			s.host = "local"
		}
	}
	if s.diskPath == "" {
		s.diskPath = "/"
	}
	if s.src == nil {
		s.src = NewLocalSource()
	}
	return s
}

// Sample takes one reading, stamped now; rates cover the time since the
// previous reading.
func (s *Sampler) Sample(now time.Time) Sample {
	return s.SampleContext(context.Background(), now)
}

// SampleContext is Sample for a source that reads over the network: ctx
// ends its read. A source that does not answer gives a NoAnswer sample and
// leaves the rates' baselines as they were.
func (s *Sampler) SampleContext(ctx context.Context, now time.Time) Sample {
	s.mu.Lock()
	defer s.mu.Unlock()

	out := Sample{
		Host: s.host, At: now, DiskPath: s.diskPath,
		CPUPercent: -1, MemPercent: -1, Load1: -1, Load5: -1, Load15: -1,
		DiskPercent: -1, DiskReadBps: -1, DiskWriteBps: -1, NetRxBps: -1, NetTxBps: -1,
		DiskLatency: -1,
	}
	if r, ok := s.src.(Refresher); ok {
		if err := r.Refresh(ctx); err != nil {
			out.NoAnswer, out.Err = true, fmt.Sprintf("host %q: %v", s.host, err)
			return out
		}
	}
	var errs []string
	fail := func(part string, err error) {
		errs = append(errs, fmt.Sprintf("%s: %v", part, err))
	}

	if t, err := s.src.CPUTimes(); err != nil {
		fail("cpu times", err)
	} else {
		out.CPUPercent = s.cpu.next(t)
	}

	if m, err := s.src.Memory(); err != nil {
		fail("memory", err)
	} else {
		out.MemUsed, out.MemTotal, out.MemPercent = m.Used, m.Total, m.Percent
	}

	if l, err := s.src.Load(); err != nil {
		fail("load average", err)
	} else {
		out.Load1, out.Load5, out.Load15 = l.Load1, l.Load5, l.Load15
	}

	if p, err := s.src.DiskUsage(s.diskPath); err != nil {
		fail(fmt.Sprintf("disk usage of %q (check the disk path)", s.diskPath), err)
	} else {
		out.DiskPercent = p
	}

	// On a failed read the previous counters are kept, so the next good
	// reading gives the average over the longer interval.
	if ds, err := s.src.DiskIO(); err != nil {
		fail("disk io counters", err)
	} else {
		s.disk.begin()
		for _, d := range ds {
			s.disk.add(d.Name, d.ReadBytes, d.WriteBytes)
		}
		out.DiskReadBps, out.DiskWriteBps = s.disk.finish(now)
		out.DiskLatency = s.latency.next(ds)
	}

	if ns, err := s.src.NetIO(); err != nil {
		fail("network io counters", err)
	} else {
		s.net.begin()
		for _, n := range ns {
			if !n.Loopback {
				s.net.add(n.Name, n.RxBytes, n.TxBytes)
			}
		}
		out.NetRxBps, out.NetTxBps = s.net.finish(now)
	}

	if len(errs) > 0 {
		out.Err = fmt.Sprintf("host %q: %s", s.host, strings.Join(errs, "; "))
	}
	return out
}
