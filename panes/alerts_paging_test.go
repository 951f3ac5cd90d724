package panes

import (
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// rowOf is the line of out that holds want, or "".
func rowOf(out []string, want string) string {
	for _, l := range out {
		if strings.Contains(l, want) {
			return l
		}
	}
	return ""
}

// An escalated alert says how long it waited and who was paged past the
// deadline; a silenced one who silenced it and for how long still, and
// the silences count down as the room's clock moves.
func TestAlertsShowEscalationsSilencesAndTheirCountdowns(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewAlerts()
	p.Sync(s, 200, 12)
	out := plain(p.View(s, th, 200, 12, false))
	for row, wants := range map[string][]string{
		"tokyo down":      {"⇑ escalated", "tokyo down: unreachable: connection refused · unacked 6m — escalated to pd-managers, oncall-mail · → ops-slack, pd-oncall"},
		"nyc-3 content":   {"nyc-3 content differs from origin at serial 2026082203 · → ops-slack, pd-oncall"},
		"sao-paulo 2h10m": {"⊘ silenced", "sao-paulo 2h10m behind origin · silenced by ana · 1h12m left"},
		"kind=mirror-lag": {"⊘ silence", " 48m ana ", "1h12m left · mirror=sao-paulo,kind=mirror-lag · full resync from origin"},
		"mirror=syd":      {"⊘ silence", "config", "maintenance starts in 3h · mirror=syd · weekly rsync window"},
		"4 open":          {"4 open  ✖ 2 critical  ⇑ 1 escalated  ▲ 1 warning  ⊘ 1 silenced  ✓ 1 acknowledged"},
	} {
		line := rowOf(out, row)
		for _, want := range wants {
			if !strings.Contains(line, want) {
				t.Errorf("the %q row %q lacks %q", row, line, want)
			}
		}
	}

	later := panestest.Snapshot()
	later.At = later.At.Add(12*time.Minute + 30*time.Second)
	out = plain(p.View(later, th, 200, 12, false))
	for _, want := range []string{"silenced by ana · 59m left", "unacked 18m — escalated to", "maintenance starts in 2h47m"} {
		if rowOf(out, want) == "" {
			t.Errorf("12m30s later the pane lacks %q:\n%s", want, strings.Join(out, "\n"))
		}
	}
	later.At = panestest.Now().Add(73 * time.Minute)
	if row := rowOf(plain(p.View(later, th, 200, 12, false)), "sao-paulo 2h10m"); !strings.Contains(row, "silenced by ana · ending") {
		t.Errorf("past its end (the room expires it on its next tick) the silence says %q", row)
	}

	// Acknowledged, tokyo's alert is no longer marked escalated.
	acked := panestest.Snapshot()
	acked.Alerts[1].Acked, acked.Alerts[1].AckedBy = true, "li.wei"
	if row := rowOf(plain(p.View(acked, th, 200, 12, false)), "tokyo down"); strings.Contains(row, "escalated") || !strings.Contains(row, "✓ li.wei") {
		t.Errorf("an acknowledged escalated alert reads %q", row)
	}
}

// Silenced alerts sink below those still needing a person, like
// acknowledged ones.
func TestSilencedAlertsSortWithTheHandledOnes(t *testing.T) {
	s := panestest.Snapshot()
	s.Alerts[1].Silence = &s.Silences[0] // tokyo's, the older critical
	s.Alerts[2].Silence = nil            // sao-paulo's lag needs a person again
	var got []string
	for _, i := range alertOrder(s) {
		got = append(got, s.Alerts[i].Subject)
	}
	if strings.Join(got, " ") != "nyc-3 tokyo sao-paulo lon-edge" {
		t.Fatalf("order %v, want nyc-3 tokyo sao-paulo lon-edge", got)
	}
}

// The silence key asks to silence the alert under the cursor, or, on a
// silence, to end it; when the silences do not fit they are counted.
func TestAlertsSilenceIntentsAndHiddenSilences(t *testing.T) {
	km := keymaps.Default()
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewAlerts()
	p.Sync(s, 120, 5)
	if in := p.Update(panestest.Press(km.Silence), km, s); in != (Intent{Kind: IntentSilence, AlertID: "mirror-down/tokyo"}) {
		t.Fatalf("silence on tokyo's alert = %+v", in)
	}
	out := plain(p.View(s, th, 120, 5, true))
	if last := out[len(out)-1]; !strings.Contains(last, "+2 more · +2 silences") {
		t.Fatalf("the last line %q does not count the hidden alerts and silences", last)
	}
	for range 4 {
		p.Update(panestest.Press(km.Down), km, s)
	}
	if in := p.Update(panestest.Press(km.Silence), km, s); in != (Intent{Kind: IntentExpire, SilenceID: "sil-1"}) {
		t.Fatalf("silence on the silence row = %+v", in)
	}
	if in := p.Update(panestest.Press(km.Ack), km, s); in != (Intent{}) {
		t.Fatalf("ack on a silence row = %+v, want nothing", in)
	}
	if sel := selected(t, p.View(s, th, 120, 5, true)); !strings.Contains(sel, "mirror=sao-paulo") {
		t.Fatalf("selected %q, want the silence", sel)
	}
	if in := p.Update(panestest.Press(km.Silence), km, &room.Snapshot{At: s.At}); in != (Intent{Kind: IntentSilence}) {
		t.Fatalf("silence with nothing listed = %+v, want an empty silence", in)
	}
}
