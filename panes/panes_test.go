package panes

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

func TestLagRows(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewLag()
	out := plain(p.View(s, th, 158, 12, true))
	cases := map[string][]string{
		"fra-1":     {"● ok", "12s", " 0 "},
		"ams-2":     {"● ok", "4m05s", "+1", "⟳ sync"},
		"tokyo":     {"? unknown", "—", "lastsync: get https://tokyo.example.org/lastsync: connection refused"},
		"sao-paulo": {"✖ critical", "2h10m", "+14"},
		"nyc-3":     {"✖ critical", "58s", "≠ drift"},
		"lon-edge":  {"▲ warning", "12m00s", "+2"},
	}
	for name, wants := range cases {
		i := find(out, " "+name+" ")
		if i < 0 {
			t.Fatalf("no row for %s", name)
		}
		for _, w := range wants {
			if !strings.Contains(out[i], w) {
				t.Errorf("%s row %q lacks %q", name, out[i], w)
			}
		}
	}
	if !strings.Contains(out[0], "serial 2026082203") || !strings.Contains(out[0], "warn ≥ 10m") {
		t.Errorf("status line %q", out[0])
	}
	// The app can set the thresholds.
	p.LagThresholds = LagThresholds{Warn: 30 * time.Second, Crit: 5 * time.Minute}
	out = plain(p.View(s, th, 158, 12, true))
	if row := out[find(out, " ams-2 ")]; !strings.Contains(row, "▲ warning") {
		t.Errorf("ams-2 at 4m05s with warn 30s: row %q", row)
	}
	if row := out[find(out, " lon-edge ")]; !strings.Contains(row, "✖ critical") {
		t.Errorf("lon-edge at 12m with crit 5m: row %q", row)
	}
	if row := out[find(out, " fra-1 ")]; !strings.Contains(row, "● ok") {
		t.Errorf("fra-1 at 12s with warn 30s: row %q", row)
	}
}

func TestLagCursor(t *testing.T) {
	km := keymaps.Vim()
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewLag()
	p.Update(panestest.Press(km.Down), km, s)
	p.Update(panestest.Press(km.Down), km, s)
	if sel := selected(t, p.View(s, th, 120, 12, true)); !strings.Contains(sel, "tokyo") {
		t.Fatalf("selected %q, want tokyo", sel)
	}
}

func TestAlertsAckIntent(t *testing.T) {
	km := keymaps.Default()
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewAlerts()
	p.Sync(s, 120, 10)
	out := plain(p.View(s, th, 120, 10, true))
	order := []string{"tokyo", "nyc-3", "sao-paulo", "lon-edge"}
	for i, name := range order {
		if !strings.Contains(out[2+i], name) {
			t.Fatalf("row %d = %q, want %s (critical, then unacknowledged, then oldest first)", i, out[2+i], name)
		}
	}
	if !strings.Contains(out[5], "✓ ana 3m") || !strings.Contains(out[2], "6m") || !strings.Contains(out[2], "✖ critical") {
		t.Errorf("rows lack age, severity or who acked:\n%s", strings.Join(out, "\n"))
	}
	if in := p.Update(panestest.Press(km.Ack), km, s); in != (Intent{Kind: IntentAck, AlertID: "mirror-down/tokyo"}) {
		t.Fatalf("ack on the first alert = %+v", in)
	}
	p.Update(panestest.Press(km.Down), km, s)
	if in := p.Update(panestest.Press(km.Ack), km, s); in.AlertID != "mirror-drift/nyc-3" {
		t.Fatalf("ack on the second alert = %+v", in)
	}
	p.Update(panestest.Press(km.Bottom), km, s)
	if in := p.Update(panestest.Press(km.Ack), km, s); in != (Intent{}) {
		t.Fatalf("ack on an acknowledged alert = %+v, want nothing", in)
	}
	if in := p.Update(panestest.Press(km.Up), km, s); in != (Intent{}) {
		t.Fatalf("up returned an intent: %+v", in)
	}
	// The room acks tokyo and reorders: the cursor stays on its alert.
	p.Update(panestest.Press(km.Top), km, s) // tokyo
	s2 := panestest.Snapshot()
	a := s2.Alerts
	a[1].Acked, a[1].AckedBy, a[1].AckedAt = true, "bo", s2.At
	s2.Alerts = []room.Alert{a[0], a[2], a[1], a[3]}
	if sel := selected(t, p.View(s2, th, 120, 10, true)); !strings.Contains(sel, "tokyo") || !strings.Contains(sel, "✓ bo") {
		t.Fatalf("after the ack, selected %q, want tokyo acked by bo", sel)
	}
	if in := p.Update(panestest.Press(km.Ack), km, nil); in != (Intent{}) {
		t.Fatalf("ack with no snapshot = %+v", in)
	}
}

func TestTimelineNewestFirstAndAnchored(t *testing.T) {
	km := keymaps.Default()
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewTimeline()
	p.Sync(s, 120, 10)
	out := plain(p.View(s, th, 120, 10, true))
	if !strings.HasPrefix(out[0], "14:04:20 ✓ tokyo") || !strings.Contains(out[0], "(#30)") || !strings.Contains(out[1], "(#29)") {
		t.Fatalf("not newest first:\n%s", strings.Join(out, "\n"))
	}
	if !strings.Contains(out[3], "— bob") {
		t.Errorf("actor missing from %q", out[3])
	}
	p.Update(panestest.Press(km.PageDown), km, s)
	p.Sync(s, 120, 10)
	out = plain(p.View(s, th, 120, 10, true))
	if !strings.Contains(out[0], "↑ 9 newer") || !strings.Contains(out[1], "(#21)") {
		t.Fatalf("after page down:\n%s", strings.Join(out, "\n"))
	}
	// Five new events arrive: the view stays on the same events.
	s2 := panestest.Snapshot()
	s2.Timeline = panestest.Events(35)
	out = plain(p.View(s2, th, 120, 10, true))
	if !strings.Contains(out[0], "↑ 14 newer") || !strings.Contains(out[1], "(#21)") {
		t.Fatalf("scrolled view moved with new events:\n%s", strings.Join(out, "\n"))
	}
	p.Sync(s2, 120, 10)
	p.Update(panestest.Press(km.Bottom), km, s2)
	p.Sync(s2, 120, 10)
	out = plain(p.View(s2, th, 120, 10, true))
	if !strings.Contains(out[len(out)-1], "(#1)") {
		t.Fatalf("bottom does not end at the oldest event:\n%s", strings.Join(out, "\n"))
	}
	p.Update(panestest.Press(km.Top), km, s2)
	s3 := panestest.Snapshot()
	s3.Timeline = panestest.Events(40)
	if out = plain(p.View(s3, th, 120, 10, true)); !strings.Contains(out[0], "(#40)") {
		t.Fatalf("at the top the timeline does not follow the newest:\n%s", strings.Join(out, "\n"))
	}
}

func TestTimelineSymbols(t *testing.T) {
	cases := []struct {
		ev   room.Event
		want string
	}{
		{room.Event{Kind: room.EvMirrorState, Level: "down"}, "✖"},
		{room.Event{Kind: room.EvMirrorState, Level: "degraded"}, "◐"},
		{room.Event{Kind: room.EvMirrorState, Level: "up"}, "●"},
		{room.Event{Kind: room.EvAlertRaised, Level: "warning"}, "▲"},
		{room.Event{Kind: room.EvAlertAcked, Level: "info"}, "✓"},
		{room.Event{Kind: room.EvAlertCleared, Level: "info"}, "●"},
		{room.Event{Kind: "mirror.drift", Level: "critical"}, "≠"},
		{room.Event{Kind: room.EvRoomOpened, Level: "info"}, "·"},
	}
	for _, c := range cases {
		if got, _ := eventSymbol(c.ev); got != c.want {
			t.Errorf("%s/%s: symbol %q, want %q", c.ev.Kind, c.ev.Level, got, c.want)
		}
	}
}

func TestHostsRows(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	out := plain(NewHosts().View(s, th, 100, 12, true))
	wants := []string{"mirror-gw", "load 3.52 2.61 1.70", "▲ 87.2%", "61.0%", "9.50 GiB of 15.6 GiB", "Disk /srv", "✖ 96.4%",
		"1.21 MiB/s", "46.1 MiB/s", "50.0 MiB/s", "3.00 MiB/s"}
	all := strings.Join(out, "\n")
	for _, w := range wants {
		if !strings.Contains(all, w) {
			t.Errorf("hosts lacks %q:\n%s", w, all)
		}
	}
	s.Host.Latest.Err = "disk: /srv: no such file"
	s.Host.Latest.NetRxBps = -1
	out = plain(NewHosts().View(s, th, 100, 4, true))
	if !strings.Contains(out[3], "sampling: disk: /srv: no such file") {
		t.Errorf("sampling error not kept in view at height 4:\n%s", strings.Join(out, "\n"))
	}
	out = plain(NewHosts().View(s, th, 100, 12, true))
	if row := out[find(out, "Net rx")]; !strings.Contains(row, "—") {
		t.Errorf("a missing rate shows %q, want —", row)
	}
}

func TestWaitingAndEmpty(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	empty := &room.Snapshot{At: panestest.Now()}
	want := map[string][2]string{
		"mirrors":  {"waiting for first probe", "no mirrors configured"},
		"lag":      {"waiting for first probe", "no mirrors configured"},
		"hosts":    {"waiting for first host sample", "waiting for first host sample"},
		"alerts":   {"waiting for first probe", "no open alerts"},
		"timeline": {"waiting for first probe", "no events yet"},
	}
	for _, p := range allPanes() {
		if got := plain(p.View(nil, th, 60, 5, true))[0]; !strings.Contains(got, want[p.ID()][0]) {
			t.Errorf("%s with no snapshot: %q", p.ID(), got)
		}
		if got := plain(p.View(empty, th, 60, 5, true))[0]; !strings.Contains(got, want[p.ID()][1]) {
			t.Errorf("%s with an empty snapshot: %q", p.ID(), got)
		}
		km := keymaps.Default()
		for _, a := range km.Actions() {
			p.Update(panestest.Press(*a.Binding), km, nil) // no panic without a snapshot
			p.Update(panestest.Press(*a.Binding), km, empty)
		}
		if p.Capturing() {
			p.Update(panestest.Press(km.Back), km, nil)
		}
	}
}

func TestPaneIdentity(t *testing.T) {
	want := "mirrors:Mirrors lag:Sync lag hosts:Hosts alerts:Alerts timeline:Timeline"
	var got []string
	for _, p := range allPanes() {
		got = append(got, p.ID()+":"+p.Title())
		for _, b := range p.Keys(keymaps.Default()) {
			if b.Help().Key == "" || b.Help().Desc == "" {
				t.Errorf("%s: help-bar key without help: %v", p.ID(), b.Keys())
			}
		}
	}
	if strings.Join(got, " ") != want {
		t.Errorf("panes = %s", strings.Join(got, " "))
	}
}

func TestSparkline(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		vals  []float64
		width int
		want  string
	}{
		{[]float64{0, 1, 2, 3, 4, 5, 6, 7}, 8, "▁▂▃▄▅▆▇█"},
		{[]float64{10, 20}, 4, "  ▁█"},                 // newest right, blanks left
		{[]float64{1, 2, 3, 4, 5, 100}, 3, "▁▁█"},      // only the window shown counts
		{[]float64{5, nan, 5, math.Inf(1)}, 4, "▁ ▁ "}, // gaps; flat is the lowest bar
		{[]float64{nan, nan}, 2, "  "},                 // nothing known
		{nil, 3, "   "},                                // no history
		{[]float64{-10, 0, 10}, 3, "▁▅█"},              // negative values scale too
		{[]float64{1, 2, 3}, 0, ""},                    // no room
	}
	for _, c := range cases {
		if got := Sparkline(c.vals, c.width); got != c.want {
			t.Errorf("Sparkline(%v, %d) = %q, want %q", c.vals, c.width, got, c.want)
		}
	}
}

func TestFrame(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	focused := plain(Frame(th, "Mirrors", "a\nb", 20, 4, true))
	want := []string{
		"╭─[ Mirrors ]──────╮",
		"│a                 │",
		"│b                 │",
		"╰──────────────────╯",
	}
	if strings.Join(focused, "\n") != strings.Join(want, "\n") {
		t.Errorf("focused frame:\n%s\nwant\n%s", strings.Join(focused, "\n"), strings.Join(want, "\n"))
	}
	if got := plain(Frame(th, "Mirrors", "", 20, 3, false))[0]; got != "╭─ Mirrors ────────╮" {
		t.Errorf("unfocused top = %q", got)
	}
	if got := plain(Frame(th, "A very long pane title", "", 14, 3, true))[0]; got != "╭─[ A very… ]╮" {
		t.Errorf("long title top = %q", got)
	}
	// Colour: the focused frame uses the focused border colour.
	c := theme(t, "dark", termenv.ANSI256)
	if Frame(c, "x", "", 10, 3, true) == Frame(c, "x", "", 10, 3, false) {
		t.Error("focused and unfocused frames look the same")
	}
}

func TestHelpBarFits(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	b := []key.Binding{
		key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "acknowledge")),
		key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "hidden"), key.WithDisabled()),
		key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "sort")),
	}
	if got := HelpBar(th, b, 30); got != "a acknowledge · s sort        " {
		t.Errorf("HelpBar = %q", got)
	}
	if got := HelpBar(th, b, 16); got != "a acknowledge   " {
		t.Errorf("narrow HelpBar = %q", got)
	}
}

func TestHelpOverlayShowsEveryActionAndOverrides(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	km := keymaps.Default()
	if err := km.Override(map[string][]string{"ack": {"A", "ctrl+a"}, "pane_3": {"f3"}}); err != nil {
		t.Fatal(err)
	}
	km.KillLeader.SetEnabled(false) // as every session but the cluster demo's has it
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		out := strings.Join(plain(HelpOverlay(th, km, sz[0], sz[1])), "\n")
		for _, a := range km.Actions() {
			if strings.HasPrefix(a.Name, "pane_") || !a.Binding.Enabled() {
				continue
			}
			h := a.Binding.Help()
			if !strings.Contains(out, h.Key) || !strings.Contains(out, h.Desc) {
				t.Errorf("%d×%d: help lacks %s (%q %q)", sz[0], sz[1], a.Name, h.Key, h.Desc)
			}
		}
		for _, w := range []string{"A/ctrl+a", "1 2 f3 4–9", "General", "Move", "esc or ? closes"} {
			if !strings.Contains(out, w) {
				t.Errorf("%d×%d: help lacks %q:\n%s", sz[0], sz[1], w, out)
			}
		}
	}
}

func TestFormat(t *testing.T) {
	durs := map[time.Duration]string{
		0: "0s", 12 * time.Second: "12s", 4*time.Minute + 5*time.Second: "4m05s",
		2*time.Hour + 10*time.Minute + 59*time.Second: "2h10m", 76 * time.Hour: "3d04h", -time.Second: "0s",
	}
	for d, want := range durs {
		if got := HumanDuration(d); got != want {
			t.Errorf("HumanDuration(%v) = %q, want %q", d, got, want)
		}
	}
	rates := map[float64]string{-1: "—", 0: "0 B/s", 512: "512 B/s", 1268000: "1.21 MiB/s", 48300000: "46.1 MiB/s", 5e12: "4.55 TiB/s"}
	for v, want := range rates {
		if got := bytesRate(v); got != want {
			t.Errorf("bytesRate(%v) = %q, want %q", v, got, want)
		}
	}
	lats := map[time.Duration]string{87 * time.Millisecond: "87ms", 1240 * time.Millisecond: "1.24s", 12300 * time.Millisecond: "12.3s", 500 * time.Microsecond: "0.5ms"}
	for d, want := range lats {
		if got := latency(d); got != want {
			t.Errorf("latency(%v) = %q, want %q", d, got, want)
		}
	}
	now := panestest.Now()
	if got := age(now, now.Add(-2*time.Hour)); got != "2h" {
		t.Errorf("age 2h = %q", got)
	}
	if got := age(now, time.Time{}); got != "—" {
		t.Errorf("age of zero time = %q", got)
	}
}

// Text from mirrors and events is untrusted: escape codes and newlines
// must not reach the terminal or break the grid.
func TestUntrustedTextIsCleaned(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	s.Mirrors[2].Reason = "evil\x1b[2J\x1b]0;pwned\x07 reason\nsecond line"
	s.Timeline[len(s.Timeline)-1].Text = "line one\nline two\x1b[31m"
	for _, p := range []Pane{NewMirrors(), NewTimeline()} {
		out := p.View(s, th, 158, 12, true)
		checkSize(t, p.ID(), out, 158, 12)
		if strings.Contains(out, "\x1b") {
			t.Errorf("%s passes escape codes through: %q", p.ID(), out)
		}
	}
}
