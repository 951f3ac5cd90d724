package panes

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// selected returns the plain text of the row with the cursor mark.
func selected(t *testing.T, out string) string {
	t.Helper()
	for _, l := range plain(out) {
		if strings.HasPrefix(l, "> ") {
			return l
		}
	}
	t.Fatalf("no selected row in:\n%s", strings.Join(plain(out), "\n"))
	return ""
}

// typeText types characters one key at a time, as a terminal sends them.
func typeText(p Pane, km *keymaps.Keymap, s *room.Snapshot, text string) {
	for _, r := range text {
		p.Update(panestest.KeyMsg(string(r)), km, s)
	}
}

// mirrorNames lists the mirror names of the rows shown, top to bottom.
func mirrorNames(out string, s *room.Snapshot) []string {
	var names []string
	for _, l := range plain(out) {
		for _, m := range s.Mirrors {
			if n := min(len(m.Name), 12); strings.Contains(l, " "+m.Name[:n]) {
				names = append(names, m.Name)
			}
		}
	}
	return names
}

func TestMirrorsCursorMovesThroughKeymap(t *testing.T) {
	for _, name := range keymaps.Names() {
		t.Run(name, func(t *testing.T) {
			km, _ := keymaps.ByName(name)
			th := theme(t, "dark", termenv.Ascii)
			s := panestest.Snapshot()
			p := NewMirrors()
			p.Sync(s, 120, 8)
			view := func() string { return p.View(s, th, 120, 8, true) } // 6 rows visible
			if !strings.Contains(selected(t, view()), "fra-1") {
				t.Fatal("cursor does not start on the first mirror")
			}
			v0 := p.Version()
			p.Update(panestest.Press(km.Down), km, s)
			if !strings.Contains(selected(t, view()), "ams-2") || p.Version() == v0 {
				t.Fatalf("down: selected %q, version %d→%d", selected(t, view()), v0, p.Version())
			}
			p.Update(panestest.Press(km.Bottom), km, s)
			out := view()
			if !strings.Contains(selected(t, out), "mirror-with-a-v") {
				t.Fatalf("bottom: selected %q", selected(t, out))
			}
			if names := strings.Join(mirrorNames(out, s), " "); strings.Contains(names, "ams-2") || !strings.HasPrefix(names, "fra-1 tokyo ") {
				t.Fatalf("bottom: the window did not scroll past ams-2, or let go of the active fra-1 or the down tokyo: %v", names)
			}
			p.Update(panestest.Press(km.PageUp), km, s)
			if sel := selected(t, view()); strings.Contains(sel, "mirror-with") {
				t.Fatalf("page up did not move: %q", sel)
			}
			p.Update(panestest.Press(km.Top), km, s)
			if !strings.Contains(selected(t, view()), "fra-1") {
				t.Fatal("top: not on the first mirror")
			}
			p.Update(panestest.Press(km.Up), km, s) // stays at the top
			if !strings.Contains(selected(t, view()), "fra-1") {
				t.Fatal("up at the top moved the cursor")
			}
			// Unfocused: no cursor mark.
			for _, l := range plain(p.View(s, th, 120, 8, false)) {
				if strings.HasPrefix(l, "> ") {
					t.Fatal("unfocused pane shows a cursor")
				}
			}
		})
	}
}

func TestMirrorsFilter(t *testing.T) {
	km := keymaps.Default()
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewMirrors()
	p.Update(panestest.Press(km.Filter), km, s)
	if !p.Capturing() {
		t.Fatal("not capturing after the filter key")
	}
	typeText(p, km, s, "EU-q")
	if p.Filter() != "EU-q" {
		t.Fatalf("filter = %q, want EU-q (q must type, not quit)", p.Filter())
	}
	p.Update(panestest.KeyMsg("backspace"), km, s)
	out := p.View(s, th, 120, 12, true)
	if got := strings.Join(mirrorNames(out, s), " "); got != "fra-1 ams-2 lon-edge" {
		t.Fatalf("filter eu- shows %q, want fra-1 ams-2 lon-edge\n%s", got, strings.Join(plain(out), "\n"))
	}
	if !strings.Contains(plain(out)[0], "/EU-") || !strings.Contains(plain(out)[0], "3 of 8") {
		t.Errorf("status line while typing = %q", plain(out)[0])
	}
	p.Update(panestest.KeyMsg("enter"), km, s)
	if p.Capturing() || p.Filter() != "EU-" {
		t.Fatalf("enter: capturing %v filter %q, want kept filter", p.Capturing(), p.Filter())
	}
	// Kept filter: keys act again, and match by state too.
	p.Update(panestest.Press(km.Down), km, s)
	if !strings.Contains(selected(t, p.View(s, th, 120, 12, true)), "ams-2") {
		t.Fatal("down after enter did not move within the filtered rows")
	}
	p.Update(panestest.Press(km.Back), km, s)
	if p.Filter() != "" {
		t.Fatal("back did not clear the kept filter")
	}
	if !strings.Contains(selected(t, p.View(s, th, 120, 12, true)), "ams-2") {
		t.Fatal("clearing the filter lost the selected mirror")
	}
	p.Update(panestest.Press(km.Filter), km, s)
	typeText(p, km, s, "degraded")
	if got := strings.Join(mirrorNames(p.View(s, th, 120, 12, true), s), " "); got != "sao-paulo lon-edge" {
		t.Fatalf("filter by state shows %q", got)
	}
	p.Update(panestest.Press(km.Back), km, s)
	if p.Capturing() || p.Filter() != "" {
		t.Fatal("esc while typing did not clear and close the filter")
	}
	p.Update(panestest.Press(km.Filter), km, s)
	typeText(p, km, s, "zzz")
	out = p.View(s, th, 120, 12, true)
	if find(plain(out), `no mirror matches "zzz"`) < 0 {
		t.Fatalf("no-match message missing:\n%s", strings.Join(plain(out), "\n"))
	}
}

func TestMirrorsSortCycleFollowsSelection(t *testing.T) {
	km := keymaps.Default()
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewMirrors()
	p.Update(panestest.Press(km.Down), km, s) // ams-2
	want := []struct{ sort, first string }{
		{"state", "tokyo"},
		{"latency", "mirror-with-a-very-long-name-indeed"}, // slowest first
		{"name", "ams-2"},
		{"region", "tokyo"}, // ap-northeast
		{"config", "fra-1"},
	}
	for _, w := range want {
		v := p.Version()
		p.Update(panestest.Press(km.Sort), km, s)
		if p.SortName() != w.sort || p.Version() == v {
			t.Fatalf("sort = %q (version %d→%d), want %q", p.SortName(), v, p.Version(), w.sort)
		}
		out := p.View(s, th, 160, 12, true)
		names := mirrorNames(out, s)
		if names[0] != w.first {
			t.Errorf("sort %s: first row %q, want %q (%v)", w.sort, names[0], w.first, names)
		}
		if !strings.Contains(selected(t, out), "ams-2") {
			t.Errorf("sort %s: cursor left ams-2: %q", w.sort, selected(t, out))
		}
		if !strings.Contains(plain(out)[0], "sort: "+w.sort) {
			t.Errorf("sort %s: status line %q", w.sort, plain(out)[0])
		}
	}
}

// State sort puts the worst first: down, degraded, unknown, up.
func TestMirrorsStateSortOrder(t *testing.T) {
	km := keymaps.Default()
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewMirrors()
	p.Update(panestest.Press(km.Sort), km, s)
	got := strings.Join(mirrorNames(p.View(s, th, 160, 12, true), s), " ")
	want := "tokyo sao-paulo lon-edge syd fra-1 ams-2 nyc-3 mirror-with-a-very-long-name-indeed"
	if got != want {
		t.Fatalf("state order %s\nwant        %s", got, want)
	}
}

// A new snapshot that reorders or drops rows keeps the cursor on its mirror.
func TestMirrorsCursorFollowsAcrossSnapshots(t *testing.T) {
	km := keymaps.Default()
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewMirrors()
	p.Update(panestest.Press(km.Down), km, s)
	p.Update(panestest.Press(km.Down), km, s) // tokyo
	s2 := panestest.Snapshot()
	s2.Mirrors = append([]*room.MirrorView{}, s2.Mirrors[1:]...) // fra-1 removed
	if sel := selected(t, p.View(s2, th, 120, 12, true)); !strings.Contains(sel, "tokyo") {
		t.Fatalf("after a row above left, selected %q, want tokyo", sel)
	}
	s3 := panestest.Snapshot()
	s3.Mirrors = s3.Mirrors[:1]
	if sel := selected(t, p.View(s3, th, 120, 12, true)); !strings.Contains(sel, "fra-1") {
		t.Fatalf("after the selected mirror left, selected %q, want the last row", sel)
	}
}

func TestMirrorsColumnsDropWhenNarrow(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewMirrors()
	out := plain(p.View(s, th, 78, 12, true))
	hdr := out[1]
	for _, col := range []string{"STATE", "MIRROR", "HTTP", "LATENCY", "REASON"} {
		if !strings.Contains(hdr, col) {
			t.Errorf("80 columns: header %q lacks %s", hdr, col)
		}
	}
	wide := plain(p.View(s, th, 158, 12, true))[1]
	for _, col := range []string{"REGION", "ROLE", "TREND", "ERR", "TLS"} {
		if !strings.Contains(wide, col) {
			t.Errorf("160 columns: header %q lacks %s", wide, col)
		}
	}
	tokyo := out[find(out, "tokyo")]
	for _, want := range []string{"✖ down", "—", "unreachable"} {
		if !strings.Contains(tokyo, want) {
			t.Errorf("80 columns: tokyo row %q lacks %q", tokyo, want)
		}
	}
	fra := plain(p.View(s, th, 158, 12, true))
	row := fra[find(fra, "fra-1")]
	for _, want := range []string{"● up", "★ active", "200", "42ms", "0.0%", "90d", "eu-central"} {
		if !strings.Contains(row, want) {
			t.Errorf("160 columns: fra-1 row %q lacks %q", row, want)
		}
	}
	tls := fra[find(fra, "mirror-with")]
	if !strings.Contains(tls, "✖ exp") {
		t.Errorf("expired certificate row %q lacks ✖ exp", tls)
	}
	if nyc := fra[find(fra, "nyc-3")]; !strings.Contains(nyc, "      — ") {
		t.Errorf("plain HTTP row %q does not show — for TLS", nyc)
	}
}

func TestMirrorsKeysForHelpBar(t *testing.T) {
	km := keymaps.Vim()
	s := panestest.Snapshot()
	p := NewMirrors()
	help := func() string {
		var parts []string
		for _, b := range p.Keys(km) {
			parts = append(parts, b.Help().Key+" "+b.Help().Desc)
		}
		return strings.Join(parts, ", ")
	}
	if got := help(); got != "k/j move, enter detail, / filter, s sort" {
		t.Errorf("keys = %q", got)
	}
	p.Update(panestest.Press(km.Filter), km, s)
	if got := help(); got != "enter keep filter, esc clear filter" {
		t.Errorf("keys while typing = %q", got)
	}
	typeText(p, km, s, "x")
	p.Update(panestest.KeyMsg("enter"), km, s)
	if got := help(); !strings.Contains(got, "esc clear filter") {
		t.Errorf("keys with a kept filter = %q", got)
	}
}

// TestMirrorsRowHints: a row says what is under way, so "up … 503" and
// "down … 200" read as "failing 2/3" and "recovering 1/2".
func TestMirrorsRowHints(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	for _, tc := range []struct {
		name string
		set  func(m *room.MirrorView)
		want string
	}{
		{"failing", func(m *room.MirrorView) {
			m.State, m.Status, m.StreakN, m.StreakOf, m.StreakFailing = room.StateUp, 503, 2, 3, true
		}, "failing 2/3"},
		{"recovering", func(m *room.MirrorView) {
			m.State, m.Status, m.Reason, m.StreakN, m.StreakOf = room.StateDown, 200, "got status 503", 1, 2
		}, "recovering 1/2 · got status 503"},
		{"drift", func(m *room.MirrorView) { m.State, m.Drift = room.StateUp, true }, "content differs from origin"},
		{"error rate", func(m *room.MirrorView) {
			m.State, m.Reason = room.StateDegraded, "error rate 55% (11 of last 20 probes failed)"
		}, "error rate 55% (11 of last 20 probes failed)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := panestest.Snapshot()
			s.Mirrors = s.Mirrors[:1]
			m := *s.Mirrors[0]
			tc.set(&m)
			s.Mirrors[0] = &m
			out := strings.Join(plain(NewMirrors().View(s, th, 160, 4, false)), "\n")
			if !strings.Contains(out, tc.want) {
				t.Fatalf("row lacks %q:\n%s", tc.want, out)
			}
		})
	}
}

// The detail key asks for the mirror under the cursor, whatever the sort;
// while a filter is typed it keeps the filter instead.
func TestMirrorsDetailAsksForTheSelectedMirror(t *testing.T) {
	km := keymaps.Default()
	s := panestest.Snapshot()
	p := NewMirrors()
	p.Sync(s, 118, 20)
	p.Update(panestest.Press(km.Down), km, s)
	want := p.Selected(s).Name
	if in := p.Update(panestest.Press(km.Detail), km, s); in.Kind != IntentDetail || in.Mirror != want {
		t.Errorf("detail on %s: %+v", want, in)
	}
	p.Update(panestest.Press(km.Filter), km, s)
	if in := p.Update(panestest.Press(km.Detail), km, s); in.Kind != "" || p.Capturing() {
		t.Errorf("detail while typing a filter must keep it: %+v, still typing %v", in, p.Capturing())
	}
	empty := *s
	empty.Mirrors = nil
	if in := NewMirrors().Update(panestest.Press(km.Detail), km, &empty); in.Kind != "" {
		t.Errorf("no mirror, no detail: %+v", in)
	}
}
