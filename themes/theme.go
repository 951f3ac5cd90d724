package themes

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// DefaultName is the theme used when none is configured.
const DefaultName = "dark"

// Theme is a palette turned into styles for one renderer (one terminal).
// Build one per session with New; never share a Theme between renderers.
type Theme struct {
	Name string

	Text, Muted, Bold         lipgloss.Style
	Title, TitleFocused       lipgloss.Style
	Border, BorderFocused     lipgloss.Style
	Header, Selected          lipgloss.Style
	OK, Warn, Crit, Info      lipgloss.Style
	Accent, HelpKey, HelpDesc lipgloss.Style
	Banner                    lipgloss.Style
}

// Names lists the built-in themes, sorted.
func Names() []string {
	p := palettes()
	names := make([]string, 0, len(p))
	for n := range p {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New builds the named theme ("" means DefaultName) with styles from r, the
// session's renderer, so colours follow that terminal's profile. With the
// Ascii profile (NO_COLOR) the styles print plain text.
func New(name string, r *lipgloss.Renderer) (*Theme, error) {
	if r == nil {
		return nil, errors.New("themes: nil renderer: pass the session's renderer (bubbletea.MakeRenderer or lipgloss.NewRenderer)")
	}
	if name == "" {
		name = DefaultName
	}
	p, ok := palettes()[name]
	if !ok {
		return nil, fmt.Errorf("themes: unknown theme %q: use one of %s", name, strings.Join(Names(), ", "))
	}
	fg := func(c string) lipgloss.Style {
		s := r.NewStyle()
		if c != "" {
			s = s.Foreground(lipgloss.Color(c))
		}
		return s
	}
	t := &Theme{
		Name:          name,
		Text:          fg(p.text),
		Muted:         fg(p.muted),
		Bold:          fg(p.text).Bold(true),
		Title:         fg(p.title),
		TitleFocused:  fg(p.borderFocused).Bold(true),
		Border:        fg(p.border),
		BorderFocused: fg(p.borderFocused),
		Header:        fg(p.header).Bold(true),
		Selected:      fg(p.selFg).Background(lipgloss.Color(p.selBg)).Bold(true),
		OK:            fg(p.ok),
		Warn:          fg(p.warn).Bold(p.critReverse),
		Crit:          fg(p.crit).Bold(true),
		Info:          fg(p.info),
		Accent:        fg(p.accent),
		HelpKey:       fg(p.helpKey).Bold(true),
		HelpDesc:      fg(p.helpDesc),
		Banner:        fg(p.bannerFg).Background(lipgloss.Color(p.bannerBg)).Bold(true),
	}
	if p.critReverse {
		t.Crit = t.Crit.Reverse(true)
	}
	return t, nil
}

// ForLevel is the style for a health or severity level: "up"/"ok" → OK,
// "degraded"/"partial"/"warning" → Warn, "down"/"critical" → Crit, anything else → Text.
// It is the one place a level gets its colour: panes and the header read
// it (and Symbol for its glyph), so a level looks the same everywhere.
func (t *Theme) ForLevel(level string) lipgloss.Style {
	switch level {
	case "up", "ok":
		return t.OK
	case "degraded", "partial", "warning":
		return t.Warn
	case "down", "critical":
		return t.Crit
	}
	return t.Text
}

// Levels are the level words ForLevel colours, for building their inks.
func Levels() []string {
	return []string{"up", "ok", "degraded", "partial", "warning", "down", "critical", "unknown"}
}

// Badge is text after its level's glyph, in its level's style: "✖ 3
// alerts" in the critical style.
func (t *Theme) Badge(level, text string) string {
	return t.ForLevel(level).Render(Symbol(level) + " " + text)
}

// Worst is the worst of the levels given ("critical" over "warning" over
// "ok"; down over degraded over up), or "ok" when none is bad.
func Worst(levels ...string) string {
	worst, rank := "ok", 0
	for _, l := range levels {
		if r := badness(l); r > rank {
			worst, rank = l, r
		}
	}
	return worst
}

func badness(level string) int {
	switch level {
	case "down", "critical":
		return 2
	case "degraded", "partial", "warning":
		return 1
	}
	return 0
}
