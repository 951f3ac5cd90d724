package room

import (
	"warroom/backends/config"
	"warroom/backends/hosts"
)

// HostBreaches says which of a host's figures are over their threshold
// for the sustain time (an alert is raised for each).
type HostBreaches struct {
	CPU, Memory, Disk, DiskLatency bool
}

// HostLimits are the thresholds a host's figures are held to: percentages,
// and seconds for the disk I/O latency.
type HostLimits struct {
	CPU, Memory, Disk, DiskLatency float64
}

// fleetHosts are the exporters' hosts, in the config's order.
type fleetHosts struct {
	order []*hostState
	by    map[string]*hostState
}

func newFleetHosts(cfg *config.Config, history int) fleetHosts {
	f := fleetHosts{by: make(map[string]*hostState, len(cfg.Hosts.Exporters))}
	for _, e := range cfg.Hosts.Exporters {
		h := newHostState(cfg, history)
		f.order = append(f.order, h)
		f.by[e.Name] = h
	}
	return f
}

// ObserveFleet queues a reading of one of the fleet's hosts (named by its
// exporter's name in the config); readings of other names are dropped.
func (r *Room) ObserveFleet(s hosts.Sample) {
	r.inbox <- func() { r.st.observeFleet(s) }
}

func (st *state) observeFleet(s hosts.Sample) {
	h := st.fleet.by[s.Host]
	if h == nil {
		return
	}
	s.Err = st.clean.Line(s.Err) // an exporter's answer is outside text
	h.observe(s)
	st.dirty = true
	if s.NoAnswer {
		return // nothing known: the breaches stay as they were
	}
	for _, c := range h.conditions(s) {
		st.setAlert(s.At, c.id, c.on, Warning, s.Host, c.text)
	}
}

// fleetViews is every host's row: this machine first, then the exporters'
// in the config's order, each once it has had a reading.
func (st *state) fleetViews() []*HostView {
	out := make([]*HostView, 0, len(st.fleet.order)+1)
	if v := st.host.view(); v != nil {
		out = append(out, v)
	}
	for _, h := range st.fleet.order {
		if v := h.view(); v != nil {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// HostOf is the row of the host the mirror runs on (its host:), nil when
// it names none or that host has had no reading yet.
func (s *Snapshot) HostOf(m *MirrorView) *HostView {
	if m == nil || m.Host == "" {
		return nil
	}
	for _, h := range s.Fleet {
		if (m.Host == config.LocalHost && h.Local) || (!h.Local && h.Name == m.Host) {
			return h
		}
	}
	if m.Host == config.LocalHost {
		return s.Host
	}
	return nil
}
