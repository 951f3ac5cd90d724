package main

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"
	"time"

	"warroom/backends/journal"
	"warroom/backends/room"
	"warroom/backends/sim"
)

// TestFleetHostsEndToEnd: the real `warroom serve` scrapes a real
// prometheus-node-exporter and a stand-in exporter running hot. The real
// host's row shows its figures; the hot one raises CPU, memory and disk
// latency alerts only after the sustain time; killing the real exporter
// makes its row say why and go stale.
func TestFleetHostsEndToEnd(t *testing.T) {
	nodeExporter := needTool(t, "prometheus-node-exporter", "prometheus-node-exporter")
	bin := buildBinary(t)
	port := loopbackPorts(t, 1)[0]
	real := exec.Command(nodeExporter, fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port),
		"--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.loadavg",
		"--collector.filesystem", "--collector.diskstats", "--collector.netdev")
	realURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", port)
	realLog := startDaemon(t, "prometheus-node-exporter", real, realURL)

	hot, err := sim.StartExporter(nil, sim.HostModel{CPUs: 2, CPUBusy: 0.95, MemUsed: 0.96, DiskUsed: 0.4,
		IOPS: 300, DiskLatency: 80 * time.Millisecond, Load: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hot.Close() })

	f := startFleet(t, 2)
	cfg := fleetConfig(t, f)
	const sustain = 4 * time.Second
	appendFile(t, cfg, serveSection(newPerson(t, "ana", "commander"))+fmt.Sprintf(`thresholds: {sustain: %s}
hosts:
  scrape_interval: 1s
  exporters:
    - {name: real1, url: %q, timeout: 800ms}
    - {name: hot1, url: %q, timeout: 800ms}
`, sustain, realURL, hot.URL()))
	rp := startRoomProcess(t, bin, cfg)

	var st statusJSON
	row := func(name string) *hostJSON {
		for i := range st.Hosts {
			if st.Hosts[i].Name == name {
				return &st.Hosts[i]
			}
		}
		return nil
	}
	status := func() bool {
		var err error
		st, err = roomStatus(t, cfg)
		return err == nil
	}
	if !pollEvery(30*time.Second, 100*time.Millisecond, func() bool {
		r := row("real1")
		return status() && r != nil && r.CPUPercent != nil && r.MemoryPercent != nil && r.DiskPercent != nil && r.Load1 != nil
	}) {
		t.Fatalf("no figures for the real exporter's host: %+v\n%s\n%s", st.Hosts, rp.out.String(), realLog.String())
	}
	if r := row("real1"); *r.MemoryPercent <= 0 || *r.MemoryPercent > 100 || *r.CPUPercent < 0 || *r.CPUPercent > 100 || r.Stale || r.Reason != "" {
		t.Errorf("real1 = %+v", r)
	}
	if len(st.Hosts) == 0 || !st.Hosts[0].Local {
		t.Errorf("the local machine is not the first row: %+v", st.Hosts)
	}

	want := []string{"host-cpu/hot1", "host-memory/hot1", "host-disk-latency/hot1"}
	raised := map[string]room.Alert{}
	if !pollEvery(30*time.Second, 100*time.Millisecond, func() bool {
		if !status() {
			return false
		}
		for _, a := range st.Alerts {
			raised[a.ID] = a
		}
		return hasAll(raised, want)
	}) {
		t.Fatalf("alerts %v, want %v:\n%s", st.Alerts, want, rp.out.String())
	}
	if a := raised["host-disk-latency/hot1"]; !strings.Contains(a.Text, "hot1 disk I/O latency 80 ms (over 50ms for 4s)") {
		t.Errorf("latency alert text %q", a.Text)
	}
	if r := row("hot1"); r == nil || r.DiskLatencyMS == nil || *r.DiskLatencyMS < 79 || *r.DiskLatencyMS > 81 {
		t.Errorf("hot1 = %+v", r)
	}
	opened := roomOpenedAt(t, cfg)
	for _, id := range want {
		if early := raised[id].Raised.Sub(opened); early < sustain {
			t.Errorf("%s raised %s after the room opened, before the sustain time %s", id, early, sustain)
		}
	}
	if _, ok := raised["host-cpu/real1"]; ok {
		t.Logf("this machine is busy: host-cpu/real1 is up")
	}

	_ = real.Process.Kill()
	if !pollEvery(30*time.Second, 100*time.Millisecond, func() bool {
		r := row("real1")
		return status() && r != nil && r.Stale
	}) {
		t.Fatalf("real1 never went stale: %+v", row("real1"))
	}
	if r := row("real1"); !strings.Contains(r.Reason, "connection refused") || r.Missed < 3 || r.CPUPercent == nil {
		t.Errorf("stale real1 = %+v, want the reason and its last figures", r)
	}
}

func hasAll(m map[string]room.Alert, ids []string) bool {
	for _, id := range ids {
		if _, ok := m[id]; !ok {
			return false
		}
	}
	return true
}

// roomOpenedAt is when the room's journal says it opened.
func roomOpenedAt(t *testing.T, cfg string) time.Time {
	t.Helper()
	records, err := journal.Read(stateDirOf(t, cfg) + "/journal.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range decodeEvents(t, records) {
		if ev.Kind == room.EvRoomOpened {
			return ev.At
		}
	}
	t.Fatal("no room opened event in the journal")
	return time.Time{}
}
