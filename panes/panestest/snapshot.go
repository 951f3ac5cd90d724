package panestest

import (
	"fmt"
	"math"
	"time"

	"warroom/backends/hosts"
	"warroom/backends/room"
)

// Now is the fixed "now" of the snapshots built here (the snapshot's At).
func Now() time.Time { return time.Date(2026, 8, 22, 14, 4, 20, 0, time.UTC) }

// wave is a deterministic wiggle around base (integer arithmetic, so the
// same on every platform): n values, oldest first.
func wave(n int, base, spread float64, seed int) []float64 {
	out := make([]float64, n)
	x := uint32(seed*2654435761 + 1)
	for i := range out {
		x = x*1664525 + 1013904223
		out[i] = base + spread*float64(x>>24)/255
	}
	return out
}

// Snapshot is the fixture: eight mirrors, one in every state and with every
// sync flag, a busy host, four alerts (one acknowledged, one escalated,
// one silenced), a silence and a scheduled maintenance window, and 30
// events.
func Snapshot() *room.Snapshot {
	at := Now()
	s := &room.Snapshot{Seq: 42, At: at, Site: "mirrors.example.org", LastEventSeq: 30}
	s.Origin = &room.MirrorView{Name: "origin", Role: "origin", State: room.StateUp, Serial: 2026082203, SerialKnown: true}
	s.Mirrors = Mirrors()
	s.Host = Host()
	s.Alerts = Alerts()
	s.Silences = Silences()
	s.Timeline = Events(30)
	return s
}

// Mirrors are the fixture's mirrors in config order.
func Mirrors() []*room.MirrorView {
	at := Now()
	ago := func(d time.Duration) time.Time { return at.Add(-d) }
	lat := wave(60, 38, 10, 1)
	failing := wave(60, 45, 15, 3)
	for i := 48; i < 60; i++ {
		failing[i] = math.NaN()
	}
	slow := wave(60, 150, 40, 4)
	for i := 40; i < 60; i++ {
		slow[i] = 300 + float64(i-40)*10
	}
	return []*room.MirrorView{
		{Name: "fra-1", URL: "https://fra-1.example.org", Region: "eu-central", Role: "active", Priority: 1,
			State: room.StateUp, Since: ago(3 * time.Hour), Status: 200, Latency: 42 * time.Millisecond,
			Baseline: 40 * time.Millisecond, LastProbe: ago(2 * time.Second), TLSExpiry: at.Add(90 * 24 * time.Hour),
			LatencyHistory: lat, Lag: 12 * time.Second, LagKnown: true, SerialKnown: true, Serial: 2026082203,
			LagHistory: wave(60, 10, 20, 11)},
		{Name: "ams-2", URL: "https://ams-2.example.org", Region: "eu-west", Role: "backup", Priority: 2,
			State: room.StateUp, Since: ago(5 * time.Hour), Status: 200, Latency: 55 * time.Millisecond,
			Baseline: 50 * time.Millisecond, LastProbe: ago(time.Second), TLSExpiry: at.Add(10*24*time.Hour + time.Hour),
			LatencyHistory: wave(60, 50, 12, 2), Lag: 4*time.Minute + 5*time.Second, LagKnown: true,
			SerialsBehind: 1, SerialKnown: true, Serial: 2026082202, Syncing: true, LagHistory: wave(60, 60, 200, 12)},
		{Name: "tokyo", URL: "https://tokyo.example.org", Region: "ap-northeast", Role: "backup", Priority: 3,
			State: room.StateDown, Since: ago(6 * time.Minute), Reason: "unreachable: dial tcp 203.0.113.9:443: connect: connection refused",
			ErrorRate: 1, LastProbe: ago(3 * time.Second), TLSExpiry: at.Add(40 * 24 * time.Hour), LatencyHistory: failing,
			SyncErr: "lastsync: get https://tokyo.example.org/lastsync: connection refused", LagHistory: wave(60, 30, 30, 13)},
		{Name: "sao-paulo", URL: "https://sao-paulo.example.org", Region: "sa-east", Role: "backup", Priority: 4,
			State: room.StateDegraded, Since: ago(25 * time.Minute), Reason: "latency 3.2× baseline",
			Status: 200, Latency: 480 * time.Millisecond, Baseline: 150 * time.Millisecond, ErrorRate: 0.08,
			LastProbe: ago(4 * time.Second), TLSExpiry: at.Add(2 * 24 * time.Hour), LatencyHistory: slow,
			Lag: 2*time.Hour + 10*time.Minute, LagKnown: true, SerialsBehind: 14, SerialKnown: true, Serial: 2026081901,
			LagHistory: wave(60, 7000, 1000, 14), SerialHistory: wave(60, 16, 4, 19),
			CatchUp: room.CatchUp{Trend: room.TrendShrinking, ETA: 12 * time.Minute, Rate: -10.7, At: ago(15 * time.Second)}},
		{Name: "nyc-3", URL: "http://nyc-3.example.org", Region: "us-east", Role: "backup", Priority: 5,
			State: room.StateUp, Since: ago(26 * time.Hour), Status: 200, Latency: 88 * time.Millisecond,
			Baseline: 85 * time.Millisecond, LastProbe: ago(time.Second), LatencyHistory: wave(60, 85, 8, 5),
			Lag: 58 * time.Second, LagKnown: true, SerialKnown: true, Serial: 2026082203, Drift: true,
			LagHistory: wave(60, 40, 30, 15), CatchUp: room.CatchUp{Trend: room.TrendSteady, At: ago(time.Second)},
			Manifest:       "9f2c41d07be83a5563e0c1ad4f7b2e9d06c58a1f3e7d2b9a4c60f18e5d3b7a21",
			OriginManifest: "4be07a9d13c2f85e6a01d9c7b3e4f5a2d8c61b0e9f7a3d5c2b4e8f1a6c0d9e37"},
		{Name: "syd", URL: "https://syd.example.org", Region: "ap-southeast", Role: "backup", Priority: 6,
			State: room.StateUnknown},
		{Name: "lon-edge", URL: "https://lon-edge.example.org", Region: "eu-west", Role: "backup", Priority: 7,
			State: room.StateDegraded, Since: ago(9 * time.Minute), Reason: "got status 503", Status: 503,
			Latency: 120 * time.Millisecond, Baseline: 45 * time.Millisecond, ErrorRate: 0.35, LastProbe: ago(2 * time.Second),
			TLSExpiry: at.Add(200 * 24 * time.Hour), LatencyHistory: wave(60, 60, 80, 7), Lag: 12 * time.Minute,
			LagKnown: true, SerialsBehind: 2, SerialKnown: true, Serial: 2026082201, LagHistory: wave(60, 600, 200, 17),
			CatchUp: room.CatchUp{Trend: room.TrendGrowing, Rate: 0.4, At: ago(2 * time.Second)}},
		{Name: "mirror-with-a-very-long-name-indeed", URL: "https://long.example.org", Region: "us-west-2-backup-zone",
			Role: "backup", Priority: 8, State: room.StateUp, Since: ago(48 * time.Hour), Status: 200,
			Latency: 1240 * time.Millisecond, Baseline: 1100 * time.Millisecond, ErrorRate: 0.004, LastProbe: ago(time.Second),
			TLSExpiry: at.Add(-time.Hour), LatencyHistory: wave(60, 1100, 300, 8), Lag: 3 * time.Second, LagKnown: true,
			SerialKnown: true, Serial: 2026082203, LagHistory: wave(60, 3, 5, 18)},
	}
}

// Host is a busy host with a minute of history.
func Host() *room.HostView {
	at := Now()
	rx := wave(60, 1.2e6, 4e5, 21)
	rx[0] = -1 // no sample yet
	return &room.HostView{
		Latest: hosts.Sample{Host: "mirror-gw", At: at.Add(-time.Second), CPUPercent: 87.2, MemPercent: 61,
			MemUsed: 10200547328, MemTotal: 16749801472, Load1: 3.52, Load5: 2.61, Load15: 1.7, DiskPath: "/srv",
			DiskPercent: 96.4, DiskReadBps: 52_428_800, DiskWriteBps: 3_145_728, NetRxBps: 1_268_000, NetTxBps: 48_300_000},
		CPU:       wave(60, 40, 55, 20),
		Memory:    wave(60, 58, 5, 22),
		Disk:      wave(60, 96, 0.5, 23),
		NetRx:     rx,
		NetTx:     wave(60, 4e7, 1e7, 24),
		DiskRead:  wave(60, 4e7, 2e7, 25),
		DiskWrite: wave(60, 2e6, 2e6, 26),
	}
}

// Alerts are three open alerts and one acknowledged, in the room's order:
// tokyo's went unacknowledged past ack_within and escalated, sao-paulo's
// is silenced (Silences' first).
func Alerts() []room.Alert {
	at := Now()
	ago := func(d time.Duration) time.Time { return at.Add(-d) }
	sil := Silences()[0]
	return []room.Alert{
		{ID: "mirror-drift/nyc-3", Severity: room.Critical, Subject: "nyc-3", Text: "nyc-3 content differs from origin at serial 2026082203", Raised: ago(2 * time.Minute),
			Paged: []string{"ops-slack", "pd-oncall"}},
		{ID: "mirror-down/tokyo", Severity: room.Critical, Subject: "tokyo", Text: "tokyo down: unreachable: connection refused", Raised: ago(6 * time.Minute),
			Paged: []string{"ops-slack", "pd-oncall"}, EscalatedTo: []string{"pd-managers", "oncall-mail"}, EscalatedAt: ago(time.Minute)},
		{ID: "mirror-lag/sao-paulo", Severity: room.Warning, Subject: "sao-paulo", Text: "sao-paulo 2h10m behind origin", Raised: ago(25 * time.Minute),
			Silence: &sil},
		{ID: "mirror-degraded/lon-edge", Severity: room.Warning, Subject: "lon-edge", Text: "lon-edge degraded: got status 503", Raised: ago(9 * time.Minute),
			Acked: true, AckedBy: "ana", AckedAt: ago(3 * time.Minute)},
	}
}

// Silences are ana's silence of sao-paulo's lag, 1h12m left, and the
// config's weekly maintenance window for syd, starting in 3h.
func Silences() []room.SilenceView {
	at := Now()
	return []room.SilenceView{
		{ID: "sil-1", Matcher: "mirror=sao-paulo,kind=mirror-lag", By: "ana", Reason: "full resync from origin, slow until done",
			Start: at.Add(-48 * time.Minute), End: at.Add(72 * time.Minute)},
		{ID: "maint-1", Matcher: "mirror=syd", By: "config", Reason: "weekly rsync window",
			Start: at.Add(3 * time.Hour), End: at.Add(5 * time.Hour)},
	}
}

// Events are n events, oldest first, one every 90 seconds up to At, cycling
// through the kinds the room records.
func Events(n int) []room.Event {
	at := Now()
	kinds := []struct{ kind, subject, level, text, actor string }{
		{room.EvMirrorState, "tokyo", "down", "tokyo down: unreachable: connection refused", ""},
		{room.EvAlertRaised, "tokyo", "critical", "mirror tokyo is down", ""},
		{room.EvAlertAcked, "tokyo", "info", "ana acknowledged: mirror tokyo is down", "ana"},
		{room.EvMirrorState, "lon-edge", "degraded", "lon-edge degraded: got status 503", ""},
		{room.EvAlertRaised, "sao-paulo", "warning", "sao-paulo 2h10m behind origin", ""},
		{room.EvMirrorState, "fra-1", "up", "fra-1 up again after 4m", ""},
		{room.EvAlertCleared, "fra-1", "ok", "cleared: mirror fra-1 is down", ""},
		{"mirror.drift", "nyc-3", "critical", "nyc-3 content differs from origin at serial 2026082203", ""},
		{room.EvRoomOpened, "", "info", "room opened with 8 mirrors", "bob"},
	}
	ev := make([]room.Event, n)
	for i := range ev {
		k := kinds[i%len(kinds)]
		ev[i] = room.Event{Seq: uint64(i + 1), At: at.Add(-time.Duration(n-1-i) * 90 * time.Second), Kind: k.kind,
			Subject: k.subject, Actor: k.actor, Level: k.level, Text: fmt.Sprintf("%s (#%d)", k.text, i+1)}
	}
	return ev
}

// Big is a snapshot of n mirrors in every state with a minute of history
// each, for benchmarks and scrolling tests.
func Big(n int) *room.Snapshot {
	s := Snapshot()
	base := Mirrors()
	s.Mirrors = make([]*room.MirrorView, n)
	for i := range s.Mirrors {
		m := *base[i%len(base)]
		m.Name = fmt.Sprintf("mirror-%04d", i)
		m.LatencyHistory = wave(60, 40, 30, i)
		m.LagHistory = wave(60, 20, 60, i+7)
		if i > 0 && m.Role == "active" {
			m.Role = "backup"
		}
		s.Mirrors[i] = &m
	}
	s.Timeline = Events(n)
	return s
}
