package drill

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// world plays the room (and, when drilled, a team) against what the fake
// injector has applied: a fault is alerted 10 s after it lands, its
// mirrors go down (or degraded) then, and come up 6 s after their last
// fault is removed. A drilled team acknowledges that alert 20 s later,
// fails over at 2 m, rolls back at 2 m 30 s and announces at 4 m.
type world struct {
	fi      *fakeInjector
	drilled bool
	origin  time.Time
	done    map[string]bool // events already sent, by key
	alerted time.Time
	first   string // subject of the first alert
}

func (w *world) once(key string) bool {
	if w.done[key] {
		return false
	}
	w.done[key] = true
	return true
}

func (w *world) tick(now time.Time) []Event {
	var out []Event
	log := w.fi.snapshot()
	down := map[string]bool{} // mirrors with a fault applied now
	for _, in := range log {
		if in.removes == 0 {
			for _, m := range in.fault.Mirrors {
				down[m] = true
			}
		}
	}
	for i, in := range log {
		key := string(rune('a' + i))
		if now.Sub(in.appliedAt) >= 10*time.Second && in.fault.Kind != KindWebhookFail && w.once("alert"+key) {
			subject, to := "bastion", "down"
			switch in.fault.Kind {
			case KindSlow, KindLag, KindDrift:
				to = "degraded"
			}
			for _, m := range in.fault.Mirrors {
				subject = in.fault.Mirrors[0]
				out = append(out, Event{At: now, Kind: EvMirrorState, Subject: m, To: to})
			}
			out = append(out, Event{At: now, Kind: EvAlertRaised, Subject: subject})
			if w.alerted.IsZero() {
				w.alerted, w.first = now, subject
			}
		}
		if in.removes > 0 && now.Sub(in.removedAt) >= 6*time.Second && w.once("up"+key) {
			for _, m := range in.fault.Mirrors {
				if !down[m] {
					out = append(out, Event{At: now, Kind: EvMirrorState, Subject: m, To: "up"})
				}
			}
		}
	}
	if !w.drilled {
		return out
	}
	since := now.Sub(w.origin)
	if !w.alerted.IsZero() && now.Sub(w.alerted) >= 20*time.Second && w.once("ack") {
		out = append(out, Event{At: now, Kind: EvAlertAcked, Subject: w.first})
	}
	if since >= 2*time.Minute && w.once("failover") {
		out = append(out, Event{At: now, Kind: EvActionSucceeded, Action: "failover"})
	}
	if since >= 150*time.Second && w.once("rollback") {
		out = append(out, Event{At: now, Kind: EvActionSucceeded, Action: "rollback"})
	}
	if since >= 4*time.Minute && w.once("announce") {
		out = append(out, Event{At: now, Kind: EvPostSent, Subject: "slack"})
	}
	return out
}

// runShipped runs one shipped scenario on a fake clock, a second at a time,
// against the demo fleet's names.
func runShipped(t *testing.T, file string, fleet map[string]string, drilled bool) (*Runner, *Scenario, *fakeInjector) {
	t.Helper()
	s, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	clock := clockwork.NewFakeClockAt(t0)
	fi := &fakeInjector{clock: clock}
	r, err := Start(context.Background(), s, fi, clock, WithFleet(fleet))
	if err != nil {
		t.Fatal(err)
	}
	w := &world{fi: fi, drilled: drilled, origin: t0.Add(s.firstAt()), done: map[string]bool{}}
	settle(t, clock, r)
	for i := 0; i <= int(s.Duration/time.Second); i++ {
		for _, e := range w.tick(clock.Now()) {
			r.Observe(e)
		}
		select {
		case <-r.Done():
			return r, s, fi
		default:
		}
		clock.Advance(time.Second)
		settle(t, clock, r)
	}
	waitDone(t, r)
	return r, s, fi
}

// TestShippedScenariosRunToAScorecard runs each shipped scenario at full
// speed: with a drilled team every goal is met and the drill ends at
// recovery; with nobody at the keys it runs to its time limit. Either way
// each fault lands at its time and is removed exactly once.
func TestShippedScenariosRunToAScorecard(t *testing.T) {
	fleet := demoFleet(t)
	for _, file := range shipped(t) {
		t.Run(file[len("../../examples/drills/"):], func(t *testing.T) {
			began := time.Now()
			r, s, fi := runShipped(t, file, fleet, true)
			c := r.Scorecard()
			if c.EndReason != EndGoalsMet {
				t.Errorf("drilled team: ended with %q, want %q\n%s", c.EndReason, EndGoalsMet, c.Markdown())
			}
			log := fi.snapshot()
			if len(log) != len(s.Faults) {
				t.Fatalf("%d faults applied, want %d", len(log), len(s.Faults))
			}
			// The drill ends at recovery: the last mirror up, 6 s after the
			// last removal of a mirror fault, or the last removal itself.
			var recovered time.Time
			for i, in := range log {
				f := s.Faults[i]
				if !in.appliedAt.Equal(t0.Add(f.At)) || !in.removedAt.Equal(t0.Add(f.At+f.For)) {
					t.Errorf("fault at line %d: in %v–%v, want %v–%v", f.Line, in.appliedAt.Sub(t0), in.removedAt.Sub(t0), f.At, f.At+f.For)
				}
				end := in.removedAt
				if f.TouchesMirrors() {
					end = end.Add(6 * time.Second)
				}
				if end.After(recovered) {
					recovered = end
				}
			}
			if !c.Ended.Equal(recovered) {
				t.Errorf("ended at %v, want at recovery %v", c.Ended.Sub(t0), recovered.Sub(t0))
			}
			assertAllRemovedOnce(t, fi)
			t.Logf("%s: %v of drill in %v", s.Name, c.Ended.Sub(c.Started), time.Since(began))

			r, s, fi = runShipped(t, file, fleet, false)
			c = r.Scorecard()
			if c.EndReason != EndTimeLimit || c.Ended.Sub(c.Started) != s.Duration {
				t.Errorf("idle team: ended %q after %v, want the time limit", c.EndReason, c.Ended.Sub(c.Started))
			}
			for _, g := range c.Goals {
				world := g.Name == GoalDetect || g.Name == GoalRecover
				if g.Met != world || g.Reached != world {
					t.Errorf("idle team: %+v; only detect and recover come without the team", g)
				}
			}
			assertAllRemovedOnce(t, fi)
		})
	}
}
