package panes

import (
	"strings"

	"warroom/themes"
)

// Frame draws body in a rounded border of exactly width×height cells with
// the title in the top edge. The focused pane gets the focus colours and,
// for terminals without colour, its title in brackets: ╭─[ Mirrors ]──╮.
// body should be (width-2)×(height-2); it is cut or padded to fit.
func Frame(th *themes.Theme, title, body string, width, height int, focused bool) string {
	if width <= 0 || height <= 0 {
		return ""
	}
	width, height = Bound(width, height)
	title = clean(title)
	if width < 2 || height < 2 {
		return block([]string{title}, width, height)
	}
	bi, ti := inkOf(th.Border), inkOf(th.Title)
	if focused {
		bi, ti = inkOf(th.BorderFocused), inkOf(th.TitleFocused)
	}
	inner := width - 2
	var b strings.Builder
	b.Grow((width + 16) * height)

	// Top edge: ╭─ Title ───╮ or ╭─[ Title ]─╮, the title cut to fit.
	open, shut := " ", " "
	if focused {
		open, shut = "[ ", " ]"
	}
	titleRoom := inner - 1 - width0(open) - width0(shut)
	b.WriteString(bi.pre + "╭")
	used := 0
	if titleRoom >= 3 && title != "" {
		t := title
		if cells(t) > titleRoom {
			t = cell(t, titleRoom)
		}
		b.WriteString("─" + open + bi.suf)
		b.WriteString(ti.paint(t))
		b.WriteString(bi.pre + shut)
		used = 1 + width0(open) + cells(t) + width0(shut)
	}
	b.WriteString(strings.Repeat("─", inner-used) + "╮" + bi.suf)

	lines := strings.Split(body, "\n")
	side := bi.paint("│")
	blank := strings.Repeat(" ", inner)
	for i := 0; i < height-2; i++ {
		b.WriteByte('\n')
		b.WriteString(side)
		if i < len(lines) {
			b.WriteString(fitLine(lines[i], inner))
		} else {
			b.WriteString(blank)
		}
		b.WriteString(side)
	}
	b.WriteByte('\n')
	b.WriteString(bi.paint("╰" + strings.Repeat("─", inner) + "╯"))
	return b.String()
}

// width0 is width for the fixed ASCII bits of the frame.
func width0(s string) int { return len(s) }
