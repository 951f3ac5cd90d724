package simdrill

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/drill"
	"warroom/backends/notify"
	"warroom/backends/sim"
	"warroom/examples/drills"
)

var t0 = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

// demoFleet is the demo's fleet (8 mirrors, seed 1: the shipped drills'
// names) on its own fake clock, every mirror in step with the origin so a
// drifted manifest is the only reason two manifests differ.
func demoFleet(t *testing.T) (*sim.Fleet, *clockwork.FakeClock) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(t0)
	f, err := sim.Start(sim.Options{Mirrors: 8, Seed: 1, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	for _, m := range f.Mirrors() {
		m.SetLagBehind(0)
	}
	return f, clock
}

// answer is one GET: ok when a 200 came back.
type answer struct {
	ok      bool
	refused bool
	body    string
}

func fetch(c *http.Client, n *sim.Node, path string) answer {
	resp, err := c.Get(n.URL + strings.TrimPrefix(path, "/"))
	if err != nil {
		return answer{refused: errors.Is(err, syscall.ECONNREFUSED)}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return answer{ok: err == nil && resp.StatusCode == 200, body: string(b)}
}

func newClient(t *testing.T) *http.Client {
	tr := &http.Transport{DisableKeepAlives: true, DialContext: (&net.Dialer{}).DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}

func blockUntil(t *testing.T, clock *clockwork.FakeClock, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, n); err != nil {
		t.Fatalf("waiting for %d timer(s): %v", n, err)
	}
}

// settle waits until the runner sleeps on its one timer, or has ended.
func settle(t *testing.T, clock *clockwork.FakeClock, r *drill.Runner) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	idle := make(chan error, 1)
	go func() { idle <- clock.BlockUntilContext(ctx, 1) }()
	select {
	case err := <-idle:
		if err != nil {
			t.Fatalf("runner never went idle: %v", err)
		}
	case <-r.Done():
	}
}

// acceptAll is an announcement channel that accepts every post.
type acceptAll struct{}

func (acceptAll) Name() string                            { return "ops-slack" }
func (acceptAll) Kind() string                            { return "slack" }
func (acceptAll) Target() string                          { return "https://hooks.slack.invalid/…" }
func (acceptAll) Payload(notify.Post) ([]byte, error)     { return []byte("{}"), nil }
func (acceptAll) Warnings(notify.Post) []string           { return nil }
func (acceptAll) Send(context.Context, notify.Post) error { return nil }

// expected is what the faults applied at off do to one mirror.
type expected struct {
	down, drift bool
	slow        time.Duration
	flap        time.Duration
}

func expect(faults []drill.Fault, d, off time.Duration) map[string]expected {
	out := map[string]expected{}
	for _, f := range faults {
		if off < f.At || off >= f.Until(d) {
			continue
		}
		for _, m := range f.Mirrors {
			e := out[m]
			switch f.Kind {
			case drill.KindMirrorDown, drill.KindRegionDown:
				e.down = true
			case drill.KindDrift:
				e.drift = true
			case drill.KindSlow:
				e.slow += f.Delay
			case drill.KindFlapping:
				e.flap = f.Period
			}
			out[m] = e
		}
	}
	return out
}

// checkFleet asserts over HTTP that each mirror shows exactly what the
// faults applied now should do to it.
func checkFleet(t *testing.T, f *sim.Fleet, clock *clockwork.FakeClock, want map[string]expected, when string) {
	t.Helper()
	c := newClient(t)
	origin := fetch(c, f.Origin(), "/manifest").body
	for _, m := range f.Mirrors() {
		e := want[m.Name]
		if e.down {
			if a := fetch(c, m, "/health"); !a.refused {
				t.Errorf("%s: %s is down in the drill but answers (ok=%v)", when, m.Name, a.ok)
			}
			continue
		}
		if e.slow > 0 || e.flap > 0 {
			continue // below: they need the fleet's clock
		}
		if a := fetch(c, m, "/health"); !a.ok {
			t.Errorf("%s: %s should answer at once but did not (refused=%v)", when, m.Name, a.refused)
		}
		if drifted := fetch(c, m, "/manifest").body != origin; drifted != e.drift {
			t.Errorf("%s: %s drifted=%v, want %v", when, m.Name, drifted, e.drift)
		}
	}
	for _, m := range f.Mirrors() {
		e := want[m.Name]
		if e.down || e.slow == 0 || e.flap > 0 {
			continue
		}
		done := make(chan answer, 1)
		go func() { done <- fetch(c, m, "/health") }()
		blockUntil(t, clock, 1)
		select {
		case <-done:
			t.Errorf("%s: slowed %s answered before its delay", when, m.Name)
		default:
		}
		clock.Advance(e.slow)
		if a := <-done; !a.ok {
			t.Errorf("%s: slowed %s did not answer after %v", when, m.Name, e.slow)
		}
	}
	for _, m := range f.Mirrors() {
		e := want[m.Name]
		if e.down || e.flap == 0 {
			continue
		}
		first := fetch(c, m, "/health").ok
		clock.Advance(e.flap)
		if second := fetch(c, m, "/health").ok; second == first {
			t.Errorf("%s: flapping %s did not change state over one %v period (ok=%v)", when, m.Name, e.flap, first)
		}
	}
}

// TestShippedDrillsBreakTheSimulatedFleet runs every shipped scenario with
// nobody at the keys on the demo's fleet: at each change of the plan the
// faulted mirrors really fail over HTTP (refused, held, drifted, flapping)
// and the others answer; when the drill ends every mirror answers as
// before and nothing is left broken.
func TestShippedDrillsBreakTheSimulatedFleet(t *testing.T) {
	for _, name := range drills.Names() {
		t.Run(name, func(t *testing.T) {
			s, err := drills.Load(name)
			if err != nil {
				t.Fatal(err)
			}
			fleet, fleetClock := demoFleet(t)
			sim := New(fleet)
			filter := drill.NewFilter(drill.FilterOptions{})
			filter.Channel(acceptAll{})
			clock := clockwork.NewFakeClockAt(t0)
			r, err := drill.Start(context.Background(), s, drill.Compose(sim, filter), clock, drill.WithFleet(fleet.Places()))
			if err != nil {
				t.Fatal(err)
			}
			var stops []time.Duration
			for _, f := range r.Faults() {
				stops = append(stops, f.At, f.Until(s.Duration))
			}
			slices.Sort(stops)
			stops = slices.Compact(stops)
			faulted := 0
			for _, off := range stops {
				if off >= s.Duration {
					break
				}
				clock.Advance(off - clock.Since(t0))
				settle(t, clock, r)
				want := expect(r.Faults(), s.Duration, off)
				faulted += len(want)
				checkFleet(t, fleet, fleetClock, want, "at "+off.String())
			}
			if faulted == 0 {
				t.Fatal("no mirror was ever faulted: the scenario or the fleet names are off")
			}
			clock.Advance(s.Duration - clock.Since(t0))
			select {
			case <-r.Done():
			case <-time.After(10 * time.Second):
				t.Fatal("drill did not end at its time limit")
			}
			if c := r.Scorecard(); c.EndReason != drill.EndTimeLimit {
				t.Errorf("ended with %q, want the time limit (nobody drilled)", c.EndReason)
			}
			if sim.Broken() != 0 || filter.Applied() != 0 {
				t.Fatalf("after the drill: %d nodes broken, %d filtered faults", sim.Broken(), filter.Applied())
			}
			checkFleet(t, fleet, fleetClock, nil, "after the drill")
		})
	}
}

func TestInjectTranslatesEachKind(t *testing.T) {
	f, clock := demoFleet(t)
	in := New(f)
	m := f.Mirrors()[0]
	c := newClient(t)
	for _, k := range drill.Kinds() {
		if want := (drill.Fault{Kind: k}).TouchesMirrors(); in.Handles(k) != want {
			t.Errorf("Handles(%s) = %v, want %v", k, !want, want)
		}
	}
	if _, err := in.Inject(drill.Fault{Kind: drill.KindHostCPU, Percent: 90, Line: 4}); err == nil || !strings.Contains(err.Error(), "drill.Filter") {
		t.Errorf("host fault: %v, want a pointer to the filter", err)
	}
	remove, err := in.Inject(drill.Fault{Kind: drill.KindMirrorDown, Mirror: m.Name})
	if err != nil {
		t.Fatal(err)
	}
	if !fetch(c, m, "/health").refused {
		t.Error("mirror-down without Fault.Mirrors: still answering")
	}
	remove()
	// A region without Fault.Mirrors: the injector expands it itself.
	remove, err = in.Inject(drill.Fault{Kind: drill.KindRegionDown, Region: m.Region})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range f.Mirrors() {
		if down := fetch(c, n, "/health").refused; down != (n.Region == m.Region) {
			t.Errorf("region %s down: %s (region %s) refused=%v", m.Region, n.Name, n.Region, down)
		}
	}
	remove()
	remove, err = in.Inject(drill.Fault{Kind: drill.KindFlapping, Mirror: m.Name}) // default period
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(drill.DefaultFlapPeriod)
	if fetch(c, m, "/health").ok {
		t.Errorf("flapping with the default period answered %v in", drill.DefaultFlapPeriod)
	}
	remove()
	for _, bad := range []drill.Fault{
		{Kind: drill.KindRegionDown, Region: "mars", Line: 3},
		{Kind: drill.KindSlow, Mirror: "atlantis", Delay: time.Second, Line: 3},
		{Kind: drill.KindDrift, Line: 3},
	} {
		if _, err := in.Inject(bad); err == nil || !strings.Contains(err.Error(), "line 3") {
			t.Errorf("%+v: %v, want an error with its line", bad, err)
		}
	}
	if in.Broken() != 0 {
		t.Errorf("%d nodes broken after every removal", in.Broken())
	}
}
