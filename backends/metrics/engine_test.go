package metrics

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"warroom/backends/hosts"
	"warroom/backends/room"
)

// TestEngineFiguresSayWhetherTheRoomKeepsUp: the inbox, the age of this
// machine's sample and each probe's start lateness reach /metrics.
func TestEngineFiguresSayWhetherTheRoomKeepsUp(t *testing.T) {
	snap := fixed()
	snap.Host = &room.HostView{Latest: hosts.Sample{At: time.Now().Add(-3 * time.Second)}}
	m := New(Options{Snapshot: func() *room.Snapshot { return snap }, Inbox: func() int { return 7 }})
	m.ObserveProbeStart("tokyo", time.Now().Add(-300*time.Millisecond))
	m.ObserveProbeStart("osaka", time.Now().Add(time.Second)) // early: counted as 0
	if got := testutil.CollectAndCount(m.lateS); got != 1 {
		t.Fatalf("lateness series %d, want 1", got)
	}
	fams, err := m.Gatherer().Gather()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range fams {
		switch f.GetName() {
		case "warroom_room_inbox_queued":
			seen[f.GetName()] = f.Metric[0].GetGauge().GetValue() == 7
		case "warroom_host_sample_age_seconds":
			age := f.Metric[0].GetGauge().GetValue()
			seen[f.GetName()] = age >= 3 && age < 60
		case "warroom_probe_start_lateness_seconds":
			h := f.Metric[0].GetHistogram()
			seen[f.GetName()] = h.GetSampleCount() == 2 && h.GetBucket()[0].GetCumulativeCount() == 1 // the early one ≤ 1 ms
		}
	}
	for _, name := range []string{"warroom_room_inbox_queued", "warroom_host_sample_age_seconds", "warroom_probe_start_lateness_seconds"} {
		if !seen[name] {
			t.Errorf("%s missing or wrong", name)
		}
	}
}
