package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"warroom/backends/room"
)

// A mirror whose server dies is down long before its next slot: the real
// `warroom serve` hears the connection it keeps to the mirror close, finds
// the mirror refusing new ones, probes at once and retries. At a 20 s
// interval without this, the first failure waits for the next slot (about
// 19 s after the kill here, since the kill follows the first probe).
func TestKilledMirrorIsDownBeforeItsNextSlot(t *testing.T) {
	bin := buildBinary(t)
	f := startFleet(t, 3)
	cfg := fleetConfig(t, f)
	replaceInFile(t, cfg, "interval: 2s, timeout: 1s", "interval: 20s, timeout: 1s, retry_interval: 300ms, fail_after: 3, recover_after: 1")
	metrics := fmt.Sprintf("127.0.0.1:%d", loopbackPorts(t, 1)[0])
	appendFile(t, cfg, "metrics:\n  listen: "+metrics+"\n")
	jpath := stateDirOf(t, cfg) + "/journal.jsonl"
	startRoomProcess(t, bin, cfg)
	victim := f.Mirrors()[1]
	// The room's first probe of it, at its phase of the interval, done.
	probed := fmt.Sprintf(`warroom_mirror_up{mirror=%q,region=%q} 1`, victim.Name, victim.Region)
	if !pollEvery(30*time.Second, 100*time.Millisecond, func() bool { return strings.Contains(scrape(t, metrics), probed) }) {
		t.Fatalf("/metrics never said %s", probed)
	}

	killed := time.Now()
	victim.SetDown(true) // listener and connections closed, as a dying process's are
	down := waitForRecord(t, jpath, victim.Name+" down", func(ev room.Event) bool {
		return ev.Kind == room.EvMirrorState && ev.Subject == victim.Name && ev.MirrorFacts().To == room.StateDown
	})
	took := down.At.Sub(killed)
	t.Logf("kill → down %s at a 20 s interval", took.Round(time.Millisecond))
	if took > 10*time.Second {
		t.Fatalf("down %s after the kill: it waited for the next slot", took)
	}
}

// scrape is the room's /metrics page ("" while it does not answer).
func scrape(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}
