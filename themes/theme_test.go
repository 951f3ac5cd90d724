package themes

import (
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

func renderer(p termenv.Profile) *lipgloss.Renderer {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(p)
	return r
}

func styles(t *Theme) map[string]lipgloss.Style {
	return map[string]lipgloss.Style{
		"Text": t.Text, "Muted": t.Muted, "Bold": t.Bold, "Title": t.Title,
		"TitleFocused": t.TitleFocused, "Border": t.Border, "BorderFocused": t.BorderFocused,
		"Header": t.Header, "Selected": t.Selected, "OK": t.OK, "Warn": t.Warn,
		"Crit": t.Crit, "Info": t.Info, "Accent": t.Accent, "HelpKey": t.HelpKey,
		"HelpDesc": t.HelpDesc, "Banner": t.Banner,
	}
}

func TestEveryThemeBuildsAndColours(t *testing.T) {
	if len(Names()) != 3 {
		t.Fatalf("Names() = %v, want dark, high-contrast, light", Names())
	}
	for _, name := range Names() {
		th, err := New(name, renderer(termenv.ANSI256))
		if err != nil {
			t.Fatalf("New(%q): %v", name, err)
		}
		if th.Name != name {
			t.Errorf("New(%q).Name = %q", name, th.Name)
		}
		for sn, st := range styles(th) {
			out := st.Render("x")
			if !strings.Contains(out, "\x1b[") {
				t.Errorf("theme %s style %s renders %q: want colour codes under ANSI256", name, sn, out)
			}
			if ansi.Strip(out) != "x" {
				t.Errorf("theme %s style %s changes the text: %q", name, sn, out)
			}
		}
	}
}

func TestDefaultTheme(t *testing.T) {
	th, err := New("", renderer(termenv.ANSI256))
	if err != nil || th.Name != "dark" {
		t.Fatalf("New(\"\") = %v, %v; want the dark theme", th, err)
	}
}

func TestUnknownThemeListsNames(t *testing.T) {
	_, err := New("solarized", renderer(termenv.ANSI256))
	if err == nil {
		t.Fatal("New(solarized) succeeded, want an error")
	}
	for _, want := range append(Names(), "solarized") {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestNilRenderer(t *testing.T) {
	if _, err := New("dark", nil); err == nil {
		t.Fatal("New with a nil renderer succeeded, want an error")
	}
}

func TestAsciiProfileIsPlain(t *testing.T) {
	for _, name := range Names() {
		th, err := New(name, renderer(termenv.Ascii))
		if err != nil {
			t.Fatal(err)
		}
		for sn, st := range styles(th) {
			if out := st.Render("x"); out != "x" {
				t.Errorf("theme %s style %s under Ascii = %q, want plain", name, sn, out)
			}
		}
	}
}

// High contrast may use only black, white, bright yellow and bright red,
// and shows critical in reverse video.
func TestHighContrastColours(t *testing.T) {
	th, err := New("high-contrast", renderer(termenv.ANSI256))
	if err != nil {
		t.Fatal(err)
	}
	code := regexp.MustCompile(`[34]8;5;(\d+)`)
	allowed := map[string]bool{"0": true, "15": true, "11": true, "9": true, "7": true}
	for sn, st := range styles(th) {
		for _, m := range code.FindAllStringSubmatch(st.Render("x"), -1) {
			if !allowed[m[1]] {
				t.Errorf("high-contrast style %s uses colour %s", sn, m[1])
			}
		}
	}
	if !th.Crit.GetReverse() || !th.Crit.GetBold() {
		t.Error("high-contrast Crit is not bold + reverse")
	}
}

func TestSymbolsExistAndDiffer(t *testing.T) {
	seen := map[string]string{}
	for _, k := range SymbolKinds() {
		s := Symbol(k)
		if s == "" || s == "·" {
			t.Errorf("Symbol(%q) = %q, want a glyph", k, s)
		}
		if w := ansi.StringWidth(s); w != 1 {
			t.Errorf("Symbol(%q) = %q is %d cells wide, want 1", k, s, w)
		}
		if prev, ok := seen[s]; ok && !sameMeaning(prev, k) {
			t.Errorf("Symbol(%q) = Symbol(%q) = %q", k, prev, s)
		}
		seen[s] = k
	}
	if Symbol("nonsense") != "·" {
		t.Errorf("Symbol(nonsense) = %q, want ·", Symbol("nonsense"))
	}
}

// sameMeaning lists the kinds that deliberately share a glyph.
func sameMeaning(a, b string) bool {
	pair := map[string]string{"up": "ok", "ok": "up", "down": "critical", "critical": "down", "degraded": "partial", "partial": "degraded"}
	return pair[a] == b
}

func TestForLevel(t *testing.T) {
	th, err := New("dark", renderer(termenv.ANSI256))
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]lipgloss.Style{
		"up": th.OK, "ok": th.OK, "degraded": th.Warn, "partial": th.Warn, "warning": th.Warn,
		"down": th.Crit, "critical": th.Crit, "unknown": th.Text, "": th.Text,
	}
	for level, want := range cases {
		if got := th.ForLevel(level).Render("x"); got != want.Render("x") {
			t.Errorf("ForLevel(%q) renders %q, want %q", level, got, want.Render("x"))
		}
	}
}

func TestWorstAndBadge(t *testing.T) {
	cases := map[string][]string{
		"ok":       nil,
		"warning":  {"ok", "warning", "up"},
		"critical": {"warning", "critical", "warning"},
		"down":     {"degraded", "down"},
	}
	for want, in := range cases {
		if got := Worst(in...); got != want {
			t.Errorf("Worst(%v) = %q, want %q", in, got, want)
		}
	}
	th, err := New("dark", renderer(termenv.ANSI256))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range Levels() {
		if got, want := th.Badge(l, "x"), th.ForLevel(l).Render(Symbol(l)+" x"); got != want {
			t.Errorf("Badge(%q) = %q, want %q", l, got, want)
		}
	}
}
