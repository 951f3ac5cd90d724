package sim

import (
	"errors"
	"net"
	"net/http"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// refused reports whether nothing listens on the node's port.
func refused(n *Node) bool {
	c, err := net.Dial("tcp", n.addr)
	if err == nil {
		c.Close()
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// drifted reports whether the node's manifest differs from the origin's at
// the serial the node holds, as read over HTTP.
func drifted(t *testing.T, c *http.Client, n *Node) bool {
	t.Helper()
	body := get(t, c, n, "/manifest").body
	return body != string(n.fleet.model.state(n.State().Step, false).Manifest)
}

// TestBreakEachKindOverHTTP: every breakage shows to an HTTP client while
// applied, and the node answers as before once it is removed.
func TestBreakEachKindOverHTTP(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 3})
	br := NewBreaker(f)
	c := client(t, 5*time.Second)
	m := f.Mirrors()[1]
	m.SetLagBehind(0)

	t.Run("down", func(t *testing.T) {
		undo, err := br.Break([]string{m.Name}, Breakage{Down: true})
		if err != nil {
			t.Fatal(err)
		}
		if !refused(m) {
			t.Fatal("a down node still accepts connections")
		}
		if r := get(t, c, f.Mirrors()[0], "/health"); r.status != 200 {
			t.Errorf("another mirror answered %d", r.status)
		}
		undo()
		if r := get(t, c, m, "/health"); r.status != 200 {
			t.Errorf("after removal: %d, want 200", r.status)
		}
	})

	t.Run("slow", func(t *testing.T) {
		undo, err := br.Break([]string{m.Name}, Breakage{Delay: 1500 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan response, 1)
		go func() { r, _ := fetch(c, http.MethodGet, m.URL+"health"); done <- r }()
		blockUntilTimers(t, clock, 1)
		select {
		case r := <-done:
			t.Fatalf("slowed node answered before the delay: %d", r.status)
		default:
		}
		clock.Advance(1500 * time.Millisecond)
		if r := <-done; r.status != 200 {
			t.Errorf("slowed answer: %d, want 200", r.status)
		}
		undo()
		if r := get(t, c, m, "/health"); r.status != 200 { // no timer: answers at once
			t.Errorf("after removal: %d", r.status)
		}
	})

	t.Run("lag", func(t *testing.T) {
		clock.Advance(5 * time.Minute)
		undo, err := br.Break([]string{m.Name}, Breakage{Behind: 2 * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		origin := beaconOf(t, get(t, c, f.Origin(), "/lastsync"))
		if lag := origin.Sub(beaconOf(t, get(t, c, m, "/lastsync"))); lag < 2*time.Minute || lag > 2*time.Minute+30*time.Second {
			t.Errorf("lag %v while 2m behind, want 2m to 2m30s", lag)
		}
		undo()
		if got := beaconOf(t, get(t, c, m, "/lastsync")); !got.Equal(origin) {
			t.Errorf("after removal: beacon %v, want the origin's %v", got, origin)
		}
	})

	t.Run("drift", func(t *testing.T) {
		undo, err := br.Break([]string{m.Name}, Breakage{Drift: true})
		if err != nil {
			t.Fatal(err)
		}
		if !drifted(t, c, m) {
			t.Error("no drift while drifting")
		}
		undo()
		if drifted(t, c, m) {
			t.Error("still drifted after removal")
		}
	})

	t.Run("flapping", func(t *testing.T) {
		undo, err := br.Break([]string{m.Name}, Breakage{FlapPeriod: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if r := get(t, c, m, "/health"); r.status != 200 {
			t.Errorf("first phase: %d, want healthy", r.status)
		}
		clock.Advance(10 * time.Second)
		if r, err := fetch(c, http.MethodGet, m.URL+"health"); err == nil {
			t.Errorf("failing phase answered %d, want a reset", r.status)
		}
		undo() // inside the failing phase: healthy at once
		if r := get(t, c, m, "/health"); r.status != 200 {
			t.Errorf("after removal: %d", r.status)
		}
	})
	if br.Broken() != 0 {
		t.Errorf("%d nodes still broken after every removal", br.Broken())
	}
}

// TestBreakRestoresTheDemoExactly: overlapping breakages on the demo's
// own misbehaving mirrors, removed out of order, leave every node exactly
// as the demo had it, listening again.
func TestBreakRestoresTheDemoExactly(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 6})
	undoDemo := f.ApplyDemo()
	defer undoDemo()
	clock.Advance(7 * time.Second)
	ms := f.Mirrors()
	before := map[string]faults{}
	for _, n := range ms {
		before[n.Name] = n.faults()
	}
	br := NewBreaker(f)
	var undos []func()
	breakOrFail := func(names []string, b Breakage) {
		undo, err := br.Break(names, b)
		if err != nil {
			t.Fatal(err)
		}
		undos = append(undos, undo)
	}
	breakOrFail([]string{ms[0].Name, ms[2].Name}, Breakage{Down: true}) // a "region"
	breakOrFail([]string{ms[0].Name}, Breakage{FlapPeriod: 5 * time.Second})
	breakOrFail([]string{ms[2].Name}, Breakage{Delay: time.Second, Drift: true})
	breakOrFail([]string{ms[2].Name}, Breakage{Delay: 500 * time.Millisecond})
	breakOrFail([]string{ms[1].Name}, Breakage{Behind: time.Hour})
	breakOrFail([]string{ms[0].Name}, Breakage{Down: true})
	clock.Advance(3 * time.Second)

	if got := ms[2].faults().delay; got != before[ms[2].Name].delay+1500*time.Millisecond {
		t.Errorf("two slow breakages: delay %v, want the demo's %v + 1.5s", got, before[ms[2].Name].delay)
	}
	if !refused(ms[0]) || !refused(ms[2]) {
		t.Fatal("broken-down nodes still listen")
	}
	// Out of order: the region first, so ms[0] stays down for its own fault.
	for _, i := range []int{0, 3, 1} {
		undos[i]()
	}
	if !refused(ms[0]) {
		t.Error("ms[0] listens again while its own down breakage is on")
	}
	if refused(ms[2]) {
		t.Error("ms[2] still refused after its only down breakage was removed")
	}
	for _, i := range []int{5, 4, 2, 2} { // one twice: a second undo does nothing
		undos[i]()
	}
	for _, n := range ms {
		if got := n.faults(); !reflect.DeepEqual(got, before[n.Name]) {
			t.Errorf("%s after the drill:\n got %+v\nwant %+v", n.Name, got, before[n.Name])
		}
		if refused(n) {
			t.Errorf("%s is left down", n.Name)
		}
	}
	if br.Broken() != 0 {
		t.Errorf("Broken() = %d after every removal", br.Broken())
	}
}

// TestBreakDownInsideAScheduledOutage: the demo's outage window is not the
// drill's to end: when a drill's down ends inside it, the node resets
// connections until the window closes, then answers.
func TestBreakDownInsideAScheduledOutage(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 2})
	m := f.Mirrors()[0]
	m.ScheduleOutage(10*time.Second, time.Minute)
	c := client(t, 5*time.Second)
	undo, err := NewBreaker(f).Break([]string{m.Name}, Breakage{Down: true})
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(20 * time.Second)
	undo()
	if refused(m) {
		t.Fatal("the node does not listen after the drill")
	}
	if r, err := fetch(c, http.MethodGet, m.URL+"health"); err == nil {
		t.Errorf("inside the demo's outage window: %d, want a reset connection", r.status)
	}
	clock.Advance(time.Minute)
	if r := get(t, c, m, "/health"); r.status != 200 {
		t.Errorf("after the outage window: %d, want 200", r.status)
	}
}

// TestBreakNodeAlreadyDown: a node down before the drill stays down after.
func TestBreakNodeAlreadyDown(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 1})
	m := f.Mirrors()[0]
	m.SetDown(true)
	undo, err := NewBreaker(f).Break([]string{m.Name}, Breakage{Down: true})
	if err != nil {
		t.Fatal(err)
	}
	undo()
	if !refused(m) {
		t.Error("the drill brought up a node that was down before it")
	}
}

// TestBreakUnknownNodeChangesNothing: all or nothing, and the error names
// the node and lists the mirrors.
func TestBreakUnknownNodeChangesNothing(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 2})
	m := f.Mirrors()[0]
	br := NewBreaker(f)
	_, err := br.Break([]string{m.Name, "atlantis"}, Breakage{Down: true, Delay: time.Second})
	if err == nil || !strings.Contains(err.Error(), `"atlantis"`) || !strings.Contains(err.Error(), m.Name) {
		t.Fatalf("Break with an unknown node: %v, want an error naming it and listing %s", err, m.Name)
	}
	if refused(m) || m.faults().delay != 0 || br.Broken() != 0 {
		t.Error("a failed Break changed a node")
	}
	if _, err := br.Break(nil, Breakage{Down: true}); err == nil {
		t.Error("Break of no node succeeded")
	}
}

func TestPlacesListsEveryMirror(t *testing.T) {
	f, _ := startFake(t, Options{Mirrors: 5})
	p := f.Places()
	if len(p) != 5 {
		t.Fatalf("Places() has %d mirrors, want 5 (the origin is not a mirror)", len(p))
	}
	for _, m := range f.Mirrors() {
		if p[m.Name] != m.Region {
			t.Errorf("Places()[%s] = %q, want %q", m.Name, p[m.Name], m.Region)
		}
	}
}
