package room

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/hosts"
)

func fleetConfig() *config.Config {
	cfg := testConfig()
	cfg.Hosts.Exporters = []config.Exporter{{Name: "web1"}, {Name: "web2"}}
	cfg.Mirrors[0].Host = "web2"
	cfg.Mirrors[1].Host = config.LocalHost
	return cfg
}

func fleetSample(host string, at time.Time, cpu, mem, latency float64) hosts.Sample {
	return hosts.Sample{Host: host, At: at, CPUPercent: cpu, MemPercent: mem, DiskPercent: 40, DiskPath: "/",
		DiskLatency: latency, Load1: 1, NetRxBps: 10, NetTxBps: 10, DiskReadBps: 1, DiskWriteBps: 1}
}

// The local machine is the first row, the exporters follow in the config's
// order; each host's figures raise its own alerts after the sustain time,
// disk I/O latency included; a mirror names its host's row.
func TestFleetRowsAndTheirAlerts(t *testing.T) {
	h := startRoom(t, Options{Config: fleetConfig(), Journal: &memJournal{}})
	sustain := testConfig().Thresholds.Sustain
	h.r.ObserveFleet(fleetSample("web2", t0, 10, 10, 0.002))
	h.r.ObserveHost(fleetSample("bastion", t0, 10, 10, 0.001))
	h.r.ObserveFleet(fleetSample("web1", t0, 95, 95, 0.080))
	h.r.ObserveFleet(fleetSample("web9", t0, 95, 95, 0.080)) // not configured
	s := h.settle()
	var names []string
	for _, v := range s.Fleet {
		names = append(names, v.Name)
	}
	if got := strings.Join(names, " "); got != "bastion web1 web2" || !s.Fleet[0].Local || s.Fleet[1].Local || s.Fleet[0] != s.Host {
		t.Fatalf("rows %q (local first, then the config's order; web9 is not configured)", got)
	}
	if hv := s.HostOf(mirrorView(s, "tokyo")); hv == nil || hv.Name != "web2" {
		t.Errorf("tokyo's host row = %+v, want web2", hv)
	}
	if hv := s.HostOf(mirrorView(s, "osaka")); hv == nil || !hv.Local {
		t.Errorf("osaka's host row = %+v, want the local one", hv)
	}
	if len(s.Alerts) != 0 {
		t.Fatalf("alerts before the sustain time: %+v", s.Alerts)
	}
	h.r.ObserveFleet(fleetSample("web1", t0.Add(sustain), 92, 96, 0.081))
	s = h.settle()
	for id, want := range map[string]string{
		"host-cpu/web1":          "web1 CPU 92 % (over 80 % for 30s)",
		"host-memory/web1":       "web1 memory 96 % (over 90 % for 30s)",
		"host-disk-latency/web1": "web1 disk I/O latency 81 ms (over 50ms for 30s)",
	} {
		if a := alertByID(s, id); a == nil || a.Text != want || a.Subject != "web1" || a.Severity != Warning {
			t.Errorf("%s = %+v, want the text %q", id, a, want)
		}
	}
	if a := alertByID(s, "host-disk/web1"); a != nil {
		t.Errorf("disk use under its limit alerted: %+v", a)
	}
	web1 := s.Fleet[1]
	if !web1.Over.CPU || !web1.Over.Memory || !web1.Over.DiskLatency || web1.Over.Disk || web1.Limits.DiskLatency != 0.05 {
		t.Errorf("web1 breaches %+v limits %+v", web1.Over, web1.Limits)
	}
	if len(web1.DiskLatency) != 2 || web1.DiskLatency[1] != 0.081 {
		t.Errorf("web1 latency history %v", web1.DiskLatency)
	}
	h.r.ObserveFleet(fleetSample("web1", t0.Add(sustain+15*time.Second), 20, 20, 0.004))
	if s := h.settle(); alertByID(s, "host-cpu/web1") != nil || alertByID(s, "host-disk-latency/web1") != nil {
		t.Errorf("back under the limits, alerts stay: %+v", s.Alerts)
	}
}

// An exporter that stops answering keeps its last figures, says why at
// once, and is stale from the third missed reading; its breaches neither
// start nor end meanwhile, and an answer makes it fresh again.
func TestFleetHostGoesStaleAfterThreeMissedScrapes(t *testing.T) {
	h := startRoom(t, Options{Config: fleetConfig(), Journal: &memJournal{}})
	sustain := testConfig().Thresholds.Sustain
	h.r.ObserveFleet(fleetSample("web1", t0, 95, 40, 0.001))
	h.r.ObserveFleet(fleetSample("web1", t0.Add(sustain), 95, 40, 0.001))
	if alertByID(h.settle(), "host-cpu/web1") == nil {
		t.Fatal("no CPU alert")
	}
	missed := func(i int) hosts.Sample {
		return hosts.Sample{Host: "web1", At: t0.Add(sustain + time.Duration(i)*15*time.Second), NoAnswer: true,
			CPUPercent: -1, MemPercent: -1, DiskPercent: -1, DiskLatency: -1,
			Err: `host "web1": exporter: connection refused` + "\x1b[2J"}
	}
	for i := 1; i <= 3; i++ {
		h.r.ObserveFleet(missed(i))
		s := h.settle()
		row := fleetRow(t, s, "web1")
		if row.Missed != i || row.Stale != (i == 3) || row.Reason != "exporter: connection refused" {
			t.Fatalf("after %d missed: missed %d stale %v reason %q", i, row.Missed, row.Stale, row.Reason)
		}
		if row.Latest.CPUPercent != 95 || alertByID(s, "host-cpu/web1") == nil {
			t.Fatalf("after %d missed: figures %v, the alert %v", i, row.Latest.CPUPercent, alertByID(s, "host-cpu/web1"))
		}
	}
	h.r.ObserveFleet(fleetSample("web1", t0.Add(2*time.Minute), 10, 40, 0.001))
	s := h.settle()
	if row := fleetRow(t, s, "web1"); row.Stale || row.Missed != 0 || row.Reason != "" || alertByID(s, "host-cpu/web1") != nil {
		t.Errorf("answering again: %+v, alert %v", row, alertByID(s, "host-cpu/web1"))
	}
}

// A host that never answered still has a row, saying why.
func TestFleetHostThatNeverAnsweredShowsWhy(t *testing.T) {
	h := startRoom(t, Options{Config: fleetConfig(), Journal: &memJournal{}})
	h.r.ObserveFleet(hosts.Sample{Host: "web2", At: t0, NoAnswer: true, CPUPercent: -1, Err: "exporter: no answer within 5s"})
	s := h.settle()
	if len(s.Fleet) != 1 || s.Fleet[0].Name != "web2" || s.Fleet[0].Reason != "exporter: no answer within 5s" || s.Fleet[0].Missed != 1 {
		t.Fatalf("fleet = %+v", s.Fleet)
	}
}

func fleetRow(t *testing.T, s *Snapshot, name string) *HostView {
	t.Helper()
	for _, v := range s.Fleet {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no row %s in %+v", name, s.Fleet)
	return nil
}

// After a restart, host alerts nothing would clear are cleared once this
// machine's first sample names it (until then an unknown name may be this
// machine's): an exporter taken out of the config, and this machine's under
// its old name; the configured exporter's stays for its next reading.
func TestReplayedHostAlertsOfGoneHostsClear(t *testing.T) {
	j := &memJournal{}
	h := startRoom(t, Options{Config: fleetConfig(), Journal: j})
	sustain := testConfig().Thresholds.Sustain
	for _, at := range []time.Time{t0, t0.Add(sustain)} {
		h.r.ObserveHost(fleetSample("bastion", at, 95, 10, 0.001))
		h.r.ObserveFleet(fleetSample("web1", at, 95, 10, 0.001))
		h.r.ObserveFleet(fleetSample("web2", at, 95, 10, 0.001))
	}
	s := h.settle()
	for _, id := range []string{"host-cpu/bastion", "host-cpu/web1", "host-cpu/web2"} {
		if alertByID(s, id) == nil {
			t.Fatalf("%s was not raised: %+v", id, s.Alerts)
		}
	}

	cfg := fleetConfig()
	cfg.Hosts.Exporters = cfg.Hosts.Exporters[1:] // web1 is gone
	h2 := startRoomAt(t, Options{Config: cfg, Journal: &memJournal{}, Replay: j.records()}, t0.Add(time.Hour))
	s = h2.settle()
	if alertByID(s, "host-cpu/bastion") == nil || alertByID(s, "host-cpu/web2") == nil {
		t.Fatalf("alerts that may still hold were cleared before anything was known: %+v", s.Alerts)
	}
	h2.r.ObserveHost(fleetSample("bastion-2", t0.Add(time.Hour), 10, 10, 0.001))
	s = h2.settle()
	if alertByID(s, "host-cpu/bastion") != nil || alertByID(s, "host-cpu/web1") != nil {
		t.Errorf("alerts of hosts gone survived this machine's first sample: %+v", s.Alerts)
	}
	if alertByID(s, "host-cpu/web2") == nil {
		t.Errorf("the configured exporter's alert was cleared without a reading: %+v", s.Alerts)
	}
}
