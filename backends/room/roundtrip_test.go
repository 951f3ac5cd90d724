package room

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/actions"
	"warroom/backends/actions/actionstest"
	"warroom/backends/config"
	"warroom/backends/journal"
	"warroom/backends/sim"
)

// timedExec notes when the executor is entered.
type timedExec struct {
	actions.Executor
	started chan time.Time
}

func (e timedExec) Run(ctx context.Context, op actions.Op, out func(string)) (string, error) {
	e.started <- time.Now()
	return e.Executor.Run(ctx, op, out)
}

// roundTrip measures, for n failovers back and forth through a real
// executor and a synced journal, the time from the confirming call to the
// executor starting, and to the read-back success appearing in a snapshot.
func roundTrip(t testing.TB, kind string, n int) (toStart, toConfirmed []time.Duration) {
	fleet, err := sim.Start(sim.Options{Mirrors: 2, SyncEvery: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fleet.Close() })
	a, b := fleet.Mirrors()[0], fleet.Mirrors()[1]
	cfg := testConfig()
	cfg.Mirrors[0].Name, cfg.Mirrors[1].Name = a.Name, b.Name
	cfg.Mirrors[0].URL, cfg.Mirrors[1].URL = mustParseURL(t, a.URL), mustParseURL(t, b.URL)
	exe := config.Executor{Name: "edge", Timeout: 10 * time.Second}
	switch kind {
	case "haproxy":
		h := actionstest.StartHAProxy(t, "mirrors", map[string]string{a.Name: a.URL, b.Name: b.URL}, a.Name)
		exe.HAProxy = &config.HAProxyExecutor{Address: h.SocketPath, Backend: "mirrors"}
	case "dns":
		secret := actionstest.NewSecret()
		d := actionstest.StartNamed(t, "example.org.", "mirror.example.org.", "CNAME", a.Name+".example.org.", "warroom.", secret)
		exe.DNS = &config.DNSExecutor{Server: d.Addr, Zone: "example.org.", Record: "mirror.example.org.",
			Values: map[string]string{a.Name: a.Name + ".example.org.", b.Name: b.Name + ".example.org."},
			TSIG:   &config.TSIG{Name: "warroom.", Secret: secret}}
	}
	cfg.Actions.Executors = []config.Executor{exe}
	cfg.Actions.Failover = "edge"
	cfg.ApplyDefaults()
	mirrorsByName := map[string]config.Mirror{a.Name: cfg.Mirrors[0], b.Name: cfg.Mirrors[1]}
	x, err := actions.New(cfg.Actions.Executors[0], mirrorsByName, nil)
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan time.Time, 1)
	j, _, err := journal.Open(filepath.Join(t.TempDir(), "journal.jsonl"), journal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	r, err := New(Options{Config: cfg, Journal: j, Clock: clockwork.NewRealClock(),
		Executors: map[string]actions.Executor{"edge": timedExec{x, started}}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	sub := r.Subscribe()
	defer sub.Close()
	from, to := a.Name, b.Name
	for i := 0; i < n; i++ {
		t0 := time.Now()
		id, err := r.Act(ctx, Request{Kind: Failover, From: from, To: to}, commander("bench"))
		if err != nil {
			t.Fatal(err)
		}
		ts := <-started
	wait:
		for {
			s := <-sub.C()
			for _, v := range s.Actions {
				if v.ID == id && v.State.Ended() {
					if v.State != ActionSucceeded {
						t.Fatalf("%s: %s %s", id, v.State, v.Err)
					}
					if s.Timeline[len(s.Timeline)-1].Kind != EvActionSucceeded {
						t.Fatalf("timeline does not end with the success: %+v", s.Timeline[len(s.Timeline)-1])
					}
					break wait
				}
			}
		}
		toStart = append(toStart, ts.Sub(t0))
		toConfirmed = append(toConfirmed, time.Since(t0))
		from, to = to, from
	}
	return toStart, toConfirmed
}

func mustParseURL(t testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func quantiles(ds []time.Duration) string {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	q := func(p float64) time.Duration { return s[min(len(s)-1, int(p*float64(len(s))))] }
	return fmt.Sprintf("median %s, p99 %s, max %s", q(0.5).Round(time.Microsecond), q(0.99).Round(time.Microsecond), s[len(s)-1].Round(time.Microsecond))
}

// TestFailoverRoundTripFigures prints the figures when
// WARROOM_FIGURES=1; otherwise it runs a few round trips as a check that
// the whole path works against the real servers.
func TestFailoverRoundTripFigures(t *testing.T) {
	n := 5
	if os.Getenv("WARROOM_FIGURES") == "1" {
		n = 200
	}
	for _, kind := range []string{"haproxy", "dns"} {
		start, confirmed := roundTrip(t, kind, n)
		t.Logf("%s, %d failovers: confirm→executor start %s; confirm→read-back in snapshot %s",
			kind, n, quantiles(start), quantiles(confirmed))
	}
}
