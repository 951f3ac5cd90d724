package panes

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"warroom/themes"
)

// ink is a style reduced to the escape codes around its text, so a row can
// be coloured cell by cell without a lipgloss Render per cell (which would
// cost milliseconds on a full screen).
type ink struct{ pre, suf string }

const sentinel = "\uE000"

func inkOf(st lipgloss.Style) ink {
	out := st.Render(sentinel)
	i := strings.Index(out, sentinel)
	if i < 0 {
		return ink{}
	}
	return ink{pre: out[:i], suf: out[i+len(sentinel):]}
}

// paint wraps text (already fitted to its cell) in the ink.
func (k ink) paint(s string) string {
	if k.pre == "" && k.suf == "" {
		return s
	}
	return k.pre + s + k.suf
}

// inks is a theme's styles as inks, built once per theme.
type inks struct {
	th                                  *themes.Theme
	text, muted, bold, header, selected ink
	ok, warn, crit, info, accent        ink
	levels                              map[string]ink // themes.Levels, by themes.Theme.ForLevel
}

// inkCache keeps the inks of the last theme a pane was drawn with.
type inkCache struct{ last *inks }

func (c *inkCache) get(th *themes.Theme) *inks {
	if c.last != nil && c.last.th == th {
		return c.last
	}
	c.last = &inks{
		th: th, text: inkOf(th.Text), muted: inkOf(th.Muted), bold: inkOf(th.Bold),
		header: inkOf(th.Header), selected: inkOf(th.Selected),
		ok: inkOf(th.OK), warn: inkOf(th.Warn), crit: inkOf(th.Crit),
		info: inkOf(th.Info), accent: inkOf(th.Accent), levels: map[string]ink{},
	}
	for _, l := range themes.Levels() {
		c.last.levels[l] = inkOf(th.ForLevel(l))
	}
	return c.last
}

// level is the ink for a level word: the theme's, from ForLevel.
func (k *inks) level(l string) ink {
	if i, ok := k.levels[l]; ok {
		return i
	}
	return k.text
}
