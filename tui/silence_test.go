package tui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

func (f *fakeRoom) Silence(_ context.Context, req room.SilenceRequest, a room.Actor) (string, error) {
	if err := f.incident(room.PermAck, a, fmt.Sprintf("silence %q for %s: %q", req.Matcher, req.For, req.Reason)); err != nil {
		return "", err
	}
	return "sil-7", nil
}

func (f *fakeRoom) ExpireSilence(_ context.Context, id string, a room.Actor) error {
	return f.incident(room.PermAck, a, "expire "+id)
}

// silenceModel is ana (an operator) on the fixture with the Alerts pane
// focused and its cursor on row down (0: tokyo's escalated alert, 4: the
// silence sil-1, 5: the maintenance window).
func silenceModel(t *testing.T, role room.Role, down int) (*Model, *fakeRoom) {
	t.Helper()
	m, r := incModel(t, "ana", role, panestest.Snapshot(), 120, 40)
	press(m, m.paneKey(paneAlerts))
	for range down {
		press(m, m.km.Down)
	}
	return m, r
}

func TestSilenceDialogPrefillsTheAlertAndNeedsAReason(t *testing.T) {
	m, r := silenceModel(t, room.RoleOperator, 0)
	press(m, m.km.Silence)
	mustShow(t, m, "Silence alerts", "Alert: tokyo down", "mirror=tokyo,kind=mirror-down", "1h", "Reason (required")
	run(m, press(m, m.km.Confirm))
	if !m.flashBad || !strings.Contains(m.flash, "needs a reason") {
		t.Fatalf("an empty reason was not refused: %q", m.flash)
	}
	mustCalls(t, r)
	typeKeys(m, "disks rebuilding, back by noon")
	run(m, press(m, m.km.Confirm))
	mustCalls(t, r, `silence "mirror=tokyo,kind=mirror-down" for 1h0m0s: "disks rebuilding, back by noon" by ana`)
	if m.modals.top() != nil {
		t.Fatal("the dialog stayed open after the room took the silence")
	}
	if !strings.Contains(m.flash, "silenced mirror=tokyo,kind=mirror-down for 1h (sil-7)") {
		t.Fatalf("the notice says %q", m.flash)
	}
}

// A wrong length is refused in the dialog, naming it, and the cursor goes
// to the field; the room is asked nothing.
func TestSilenceDialogRefusesABadLength(t *testing.T) {
	for _, c := range []struct{ typed, want string }{
		{"2x", `"2x" is not a length`},
		{"8d", "at most 7d"},
		{"0s", "must last some time"},
		{"", "type how long"},
	} {
		t.Run(c.typed, func(t *testing.T) {
			m, r := silenceModel(t, room.RoleOperator, 0)
			press(m, m.km.Silence)
			typeKeys(m, "planned work")
			press(m, m.km.Up) // to the length
			f := openOf[*incidentDialog](&m.modals).form.(*silenceForm)
			f.fields[silFor].Set(c.typed)
			press(m, m.km.Down)
			run(m, press(m, m.km.Confirm))
			if !m.flashBad || !strings.Contains(m.flash, c.want) {
				t.Fatalf("length %q: notice %q, want %q", c.typed, m.flash, c.want)
			}
			if f.focus != silFor || m.modals.top() == nil {
				t.Fatalf("the dialog did not stay open on the length (focus %d)", f.focus)
			}
			mustCalls(t, r)
		})
	}
}

func TestSilenceFor(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
	}{
		{"1h", time.Hour}, {"90m", 90 * time.Minute}, {" 2h30m ", 150 * time.Minute},
		{"1d", 24 * time.Hour}, {"1d12h", 36 * time.Hour}, {"7d", 7 * 24 * time.Hour},
	} {
		if got, err := silenceFor(c.in); err != nil || got != c.want {
			t.Errorf("silenceFor(%q) = %s, %v; want %s", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "d", "1x", "-1h", "0m", "7d1m", "8d", "1.5d", "h1d"} {
		if got, err := silenceFor(bad); err == nil {
			t.Errorf("silenceFor(%q) = %s, want an error", bad, got)
		}
	}
	for d, want := range map[time.Duration]string{time.Hour: "1h", 36 * time.Hour: "1d12h", 90 * time.Minute: "1h30m", 30 * time.Minute: "30m"} {
		if got := forText(d); got != want {
			t.Errorf("forText(%s) = %q, want %q", d, got, want)
		}
	}
}

// From another pane the key opens an empty matcher; a silence may be for
// an alert that has cleared, so the dialog stays open when it does.
func TestSilenceDialogFromAnywhereAndAfterTheAlertClears(t *testing.T) {
	m, r := incModel(t, "ana", room.RoleOperator, panestest.Snapshot(), 120, 40)
	press(m, m.paneKey(paneMirrors))
	press(m, m.km.Silence)
	f := openOf[*incidentDialog](&m.modals).form.(*silenceForm)
	if f.fields[silMatcher].String() != "" || f.focus != silMatcher {
		t.Fatalf("from the Mirrors pane the matcher is %q, focus %d", f.fields[silMatcher].String(), f.focus)
	}
	typeKeys(m, "kind=mirror-lag")
	press(m, m.km.Confirm)
	press(m, m.km.Confirm)
	typeKeys(m, "origin resync")
	s := panestest.Snapshot()
	s.Alerts = s.Alerts[:1]
	m.Update(SnapshotMsg{Snap: s})
	if m.modals.top() == nil {
		t.Fatal("the dialog closed when the alerts changed")
	}
	run(m, press(m, m.km.Confirm))
	mustCalls(t, r, `silence "kind=mirror-lag" for 1h0m0s: "origin resync" by ana`)
}

func TestSilenceKeyIsRefusedToObservers(t *testing.T) {
	m, r := silenceModel(t, room.RoleObserver, 0)
	run(m, press(m, m.km.Silence))
	if m.modals.top() != nil || !m.flashBad || !strings.Contains(m.flash, "acknowledge alerts") {
		t.Fatalf("an observer's silence key: modal %v, notice %q", m.modals.top() != nil, m.flash)
	}
	mustCalls(t, r)
}

// On a silence row the key offers to end it: n keeps it, y ends it; a
// maintenance window from the config cannot be ended here.
func TestSilenceRowOffersToEndIt(t *testing.T) {
	m, r := silenceModel(t, room.RoleOperator, 4)
	press(m, m.km.Silence)
	mustShow(t, m, "End silence sil-1?", "mirror=sao-paulo,kind=mirror-lag · by ana", "full resync")
	press(m, m.km.No)
	if m.modals.top() != nil {
		t.Fatal("no did not close the dialog")
	}
	mustCalls(t, r)
	press(m, m.km.Silence)
	run(m, press(m, m.km.Yes))
	mustCalls(t, r, "expire sil-1 by ana")

	m, r = silenceModel(t, room.RoleOperator, 5)
	press(m, m.km.Silence)
	mustShow(t, m, "End silence maint-1?", "change alerting.maintenance")
	run(m, press(m, m.km.Yes))
	mustCalls(t, r)
}

// The dialog to end a silence closes, saying so, once the silence ended
// by itself or by someone else.
func TestEndSilenceDialogClosesWhenTheSilenceEnds(t *testing.T) {
	m, r := silenceModel(t, room.RoleOperator, 4)
	press(m, m.km.Silence)
	s := panestest.Snapshot()
	s.Silences = s.Silences[1:]
	m.Update(SnapshotMsg{Snap: s})
	if m.modals.top() != nil || !strings.Contains(m.flash, "sil-1 has ended meanwhile") {
		t.Fatalf("modal open %v, notice %q", m.modals.top() != nil, m.flash)
	}
	mustCalls(t, r)
}
