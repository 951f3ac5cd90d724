package room

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"warroom/backends/actions"
	"warroom/backends/config"
	"warroom/backends/mirrors"
)

// vantageRoom is a room probing from eu-west (node a) with an active-down
// rule that proposes after 30s, every mirror seen up from here.
func vantageRoom(t *testing.T) (*harness, time.Time) {
	t.Helper()
	cfg := actionConfig()
	cfg.Actions.Rules = []config.Rule{{Name: "active-down", When: config.WhenActiveDown, For: 30 * time.Second, Propose: Failover}}
	h := startRoom(t, Options{Config: cfg, Journal: &memJournal{}, Node: "a", Region: "eu-west",
		Executors: map[string]actions.Executor{"edge": &fakeExec{}}})
	at := t0
	for i := 0; i < 3; i++ {
		h.probeAll(at)
		at = at.Add(time.Second)
	}
	return h, at
}

func (h *harness) probeAll(at time.Time) {
	for _, m := range []string{"origin", "tokyo", "osaka"} {
		h.r.ObserveProbe(ok(m, at, mirrors.SyncInfo{}))
	}
}

// verdicts sends node's verdict on each mirror named, "up" for the rest.
func (h *harness) verdicts(node, region string, at time.Time, down ...string) {
	h.t.Helper()
	for _, m := range []string{"origin", "tokyo", "osaka"} {
		v := Verdict{Node: node, Region: region, Mirror: m, State: "up", At: at}
		for _, d := range down {
			if d == m {
				v.State, v.Reason = "down", "unreachable: connection refused"
			}
		}
		if err := h.r.ObserveVerdict(v); err != nil {
			h.t.Fatal(err)
		}
	}
}

func mirrorEvents(evs []Event, name string) []Event {
	var out []Event
	for _, e := range evs {
		if e.Kind == EvMirrorState && e.Subject == name {
			out = append(out, e)
		}
	}
	return out
}

func TestOneRegionDownIsPartialAndProposesNothing(t *testing.T) {
	h, at := vantageRoom(t)
	h.verdicts("b", "us-east", at)
	h.verdicts("c", "ap-south", at)
	h.verdicts("b", "us-east", at, "tokyo")
	for i := 0; i < 60; i++ { // a minute of tokyo answering here
		h.probeAll(at)
		at = at.Add(time.Second)
	}
	s := h.settle()
	tokyo := mirrorView(s, "tokyo")
	if tokyo.State != StatePartial || tokyo.Reason != "down from us-east: unreachable: connection refused" ||
		!reflect.DeepEqual(tokyo.DownFrom, []string{"us-east"}) {
		t.Fatalf("tokyo: state %s, reason %q, down from %v", tokyo.State, tokyo.Reason, tokyo.DownFrom)
	}
	if len(s.Proposals) != 0 {
		t.Fatalf("a partial outage proposed: %+v", s.Proposals)
	}
	if a := alertByID(s, "mirror-partial/tokyo"); a == nil || a.Severity != Warning || alertByID(s, "mirror-down/tokyo") != nil {
		t.Fatalf("alerts: %+v", s.Alerts)
	}
	if len(s.Vantages) != 3 || s.Vantages[0].Region != "ap-south" || !s.Vantages[1].Own || len(tokyo.Votes) != 3 {
		t.Fatalf("vantages %+v, votes %+v", s.Vantages, tokyo.Votes)
	}
	evs := mirrorEvents(h.j.events(t), "tokyo")
	if len(evs) != 1 || evs[0].Text != "tokyo down from us-east: unreachable: connection refused" {
		t.Fatalf("tokyo's events: %+v", evs)
	}
	f := evs[0].MirrorFacts()
	if f.To != StatePartial || len(f.Votes) != 3 || f.Votes[2] != (Vote{Node: "b", Region: "us-east", State: StateDown,
		Reason: "unreachable: connection refused", Counted: true}) {
		t.Fatalf("evidence: %+v", f)
	}
	// Partial still serves the other regions: ranked after the healthy
	// ones, not left out.
	h.verdicts("c", "ap-south", at, "osaka")
	cands := Rank(h.settle(), "tokyo")
	if len(cands) != 1 || !cands[0].Fit() || !strings.Contains(strings.Join(cands[0].Warnings, "; "), "osaka is down from ap-south") {
		t.Fatalf("candidates: %+v", cands)
	}
}

func TestTwoOfThreeRegionsDownIsDownAndProposesAfterFor(t *testing.T) {
	h, at := vantageRoom(t)
	h.verdicts("b", "us-east", at, "tokyo")
	h.verdicts("c", "ap-south", at, "tokyo")
	down := at
	for at.Sub(down) < 20*time.Second {
		h.probeAll(at)
		at = at.Add(time.Second)
	}
	s := h.settle()
	if tokyo := mirrorView(s, "tokyo"); tokyo.State != StateDown || tokyo.Reason != "2 of 3 regions: unreachable: connection refused" {
		t.Fatalf("tokyo: %s %q", tokyo.State, tokyo.Reason)
	}
	if len(s.Proposals) != 0 {
		t.Fatalf("proposed before the rule's 30s: %+v", s.Proposals)
	}
	h.probeAll(down.Add(31 * time.Second))
	s = h.settle()
	if len(s.Proposals) != 1 || s.Proposals[0].Request != (Request{Kind: Failover, From: "tokyo", To: "osaka", Rule: "active-down"}) {
		t.Fatalf("proposals: %+v", s.Proposals)
	}
	// The verdicts arrive one by one: down from one region, then from two.
	evs := mirrorEvents(h.j.events(t), "tokyo")
	if len(evs) != 2 || evs[0].MirrorFacts().To != StatePartial || evs[1].Text != "tokyo down: 2 of 3 regions: unreachable: connection refused" {
		t.Fatalf("tokyo's events: %+v", evs)
	}
	if f := evs[1].MirrorFacts(); f.From != StatePartial || len(f.Votes) != 3 || !f.Votes[0].Counted || f.Votes[1].State != StateUp {
		t.Fatalf("evidence: %+v", f)
	}
}

func TestIsolatedVantageDoesNotCount(t *testing.T) {
	h, at := vantageRoom(t)
	h.verdicts("b", "us-east", at)
	h.verdicts("c", "ap-south", at, "origin", "tokyo", "osaka")
	s := h.settle()
	if v := s.Vantages[0]; v.Node != "c" || !v.Isolated {
		t.Fatalf("vantages: %+v", s.Vantages)
	}
	for _, m := range s.Mirrors {
		if m.State != StateUp || m.Votes[0].Counted {
			t.Fatalf("%s: %s, votes %+v", m.Name, m.State, m.Votes)
		}
	}

	// This room's own network fails: it sees everything down, the others
	// see it answer. Nothing is proposed, and its errors are not the mirrors'.
	h.verdicts("c", "ap-south", at)
	for i := 0; i < 60; i++ {
		for _, m := range []string{"origin", "tokyo", "osaka"} {
			h.r.ObserveProbe(fail(m, at))
		}
		at = at.Add(time.Second)
	}
	s = h.settle()
	if !s.Vantages[1].Own || !s.Vantages[1].Isolated || s.Vantages[0].Isolated {
		t.Fatalf("vantages: %+v", s.Vantages)
	}
	tokyo := mirrorView(s, "tokyo")
	if tokyo.State != StateUp || len(s.Proposals) != 0 || tokyo.ErrorsHigh != "" || tokyo.Flapping != "" {
		t.Fatalf("tokyo %s (errors %q), proposals %+v", tokyo.State, tokyo.ErrorsHigh, s.Proposals)
	}
}

func TestForgottenVantageIsCountedNoMore(t *testing.T) {
	h, at := vantageRoom(t)
	h.verdicts("b", "us-east", at, "tokyo")
	h.verdicts("c", "ap-south", at, "tokyo")
	if s := h.settle(); mirrorView(s, "tokyo").State != StateDown {
		t.Fatalf("tokyo: %s", mirrorView(s, "tokyo").State)
	}
	h.r.ForgetVantage("c") // its lease expired
	s := h.settle()
	if tokyo := mirrorView(s, "tokyo"); tokyo.State != StatePartial || len(s.Vantages) != 2 {
		t.Fatalf("after c left: tokyo %s, vantages %+v", tokyo.State, s.Vantages)
	}
	h.r.ForgetVantage("b") // alone again: the room's own probes decide
	s = h.settle()
	if tokyo := mirrorView(s, "tokyo"); tokyo.State != StateUp || tokyo.Votes != nil || s.Vantages != nil {
		t.Fatalf("alone: tokyo %s, votes %+v, vantages %+v", tokyo.State, tokyo.Votes, s.Vantages)
	}
	evs := mirrorEvents(h.j.events(t), "tokyo")
	var to []State
	for _, e := range evs {
		to = append(to, e.MirrorFacts().To)
	}
	if !reflect.DeepEqual(to, []State{StatePartial, StateDown, StatePartial, StateUp}) {
		t.Fatalf("tokyo went %v", to)
	}
}

func TestOwnVerdictsAndBadVerdicts(t *testing.T) {
	h, at := vantageRoom(t)
	h.r.ObserveProbe(fail("tokyo", at))
	h.r.ObserveProbe(fail("tokyo", at.Add(time.Second)))
	s := h.settle()
	if len(s.Own) != 3 || s.Own[1] != (Verdict{Node: "a", Region: "eu-west", Mirror: "tokyo", State: "down",
		Reason: "unreachable: connection refused", At: at.Add(time.Second)}) {
		t.Fatalf("own verdicts: %+v", s.Own)
	}
	for _, v := range []Verdict{{Mirror: "tokyo", State: "up"}, {Node: "b", Mirror: "tokyo", State: "sideways"}} {
		if err := h.r.ObserveVerdict(v); err == nil || !strings.Contains(err.Error(), `mirror "tokyo"`) {
			t.Errorf("verdict %+v: error %v", v, err)
		}
	}
}

func TestVotesSurviveTheJournal(t *testing.T) {
	want := MirrorFacts{From: StateUp, To: StatePartial, Reason: "down from us-east", Votes: []Vote{
		{Node: "a", Region: "eu-west", State: StateUp, Counted: true},
		{Node: "b", Region: "us-east", State: StateDown, Reason: `refused; "x", y`, Counted: true}}}
	if got := throughJournal(t, EvMirrorState, want.Fields(), Event.MirrorFacts); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
}

// A vantage that says its region late moves in the order of every
// mirror's votes, not only the mirror its verdict was about.
func TestVantageRenamedReordersEveryMirrorsVotes(t *testing.T) {
	h, at := vantageRoom(t)
	h.verdicts("b", "", at)
	if err := h.r.ObserveVerdict(Verdict{Node: "b", Region: "us-east", Mirror: "tokyo", State: "up", At: at}); err != nil {
		t.Fatal(err)
	}
	s := h.settle()
	if s.Vantages[1].Region != "us-east" {
		t.Fatalf("vantages %+v", s.Vantages)
	}
	for _, m := range s.Mirrors {
		for i, v := range m.Votes {
			if v.Node != s.Vantages[i].Node {
				t.Fatalf("%s's votes %+v, vantages %+v", m.Name, m.Votes, s.Vantages)
			}
		}
	}
}
