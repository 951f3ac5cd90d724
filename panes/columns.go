package panes

import "strings"

// column is one table column. Columns are chosen by priority (1 first) at
// their wanted width while they fit (a flex column at what is left, down to
// its minimum); required columns are always kept, at their minimum if need
// be. Spare room goes by priority, each column up to its max, then the
// flex column takes the rest. A column told
// the width of its widest text (fit) is no wider than that text needs, and
// grows to it as room allows: the space narrow texts leave goes to the
// columns whose texts would be cut.
type column struct {
	title     string
	short     string // title when the column is narrower than title
	min, want int
	max       int // 0: want; for the flex column, 0 is no limit
	prio      int
	required  bool
	flex      bool // takes what is left
	right     bool // right-aligned
	fit       int  // widest text it holds; 0 = unknown
	width     int  // set by layout; 0 = not shown
}

// fit tells the column titled title the width of its widest text.
func fit(cols []column, title string, w int) {
	for i := range cols {
		if cols[i].title == title {
			cols[i].fit = max(w, 1)
		}
	}
}

// fitted applies fit to want and max: a column needs no more than its
// widest text (or its title), and may grow to show it whole.
func fitted(cols []column) {
	for i := range cols {
		c := &cols[i]
		if c.fit <= 0 {
			continue
		}
		limit := c.max
		if limit == 0 {
			limit = c.want
		}
		need := max(c.fit, min(len(c.title), c.want), c.min)
		c.want = min(c.want, need)
		if c.flex {
			c.max = need
		} else {
			c.max = max(min(limit, need), c.want)
		}
	}
}

// layout sets each column's width for a table of total cells (a one-cell gap
// between columns). Order of cols is the display order.
func layout(cols []column, total int) {
	fitted(cols)
	for i := range cols {
		cols[i].width = 0
	}
	used := -1 // no gap before the first column
	for i := range cols {
		if cols[i].required {
			cols[i].width = cols[i].min
			used += cols[i].min + 1
		}
	}
	order := byPrio(cols)
	for _, i := range order {
		c := &cols[i]
		switch {
		case c.required:
			if grow := min(c.want-c.width, total-used); grow > 0 {
				c.width += grow
				used += grow
			}
		case used+1+c.want <= total:
			c.width = c.want
			used += c.want + 1
		case c.flex && used+1+c.min <= total:
			c.width = total - used - 1
			used = total
		}
	}
	grow := func(c *column, limit int) {
		if c.width > 0 && limit > c.width && used < total {
			g := min(limit-c.width, total-used)
			c.width += g
			used += g
		}
	}
	// Spare room goes by priority, each column up to its max (a flex
	// column with none, to the end), so a reason outranks a sparkline.
	for _, i := range order {
		limit := cols[i].max
		if cols[i].flex && limit == 0 {
			limit = total
		}
		grow(&cols[i], limit)
	}
	for _, i := range order {
		if cols[i].flex {
			grow(&cols[i], total)
		}
	}
}

func byPrio(cols []column) []int {
	idx := make([]int, len(cols))
	for i := range idx {
		idx[i] = i
	}
	// insertion sort: a handful of columns
	for i := 1; i < len(idx); i++ {
		for j := i; j > 0 && cols[idx[j]].prio < cols[idx[j-1]].prio; j-- {
			idx[j], idx[j-1] = idx[j-1], idx[j]
		}
	}
	return idx
}

// header renders the column titles.
func header(cols []column) string {
	var b strings.Builder
	first := true
	for _, c := range cols {
		if c.width == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		t := c.title
		if len(t) > c.width {
			t = c.short
		}
		if c.right {
			b.WriteString(cellRight(t, c.width))
		} else {
			b.WriteString(cell(t, c.width))
		}
	}
	return b.String()
}

// rowBuilder writes one table row cell by cell. With sel set the row is
// drawn in one style (the selection), so cell colours don't break it.
type rowBuilder struct {
	b     strings.Builder
	cols  []column
	i     int
	first bool
	sel   bool
}

func (r *rowBuilder) reset(cols []column, sel bool) {
	r.b.Reset()
	r.cols, r.i, r.first, r.sel = cols, 0, true, sel
}

// add writes the next column's text (plain) in ink k; hidden columns skip.
func (r *rowBuilder) add(text string, k ink) {
	c := r.cols[r.i]
	r.i++
	if c.width == 0 {
		return
	}
	if !r.first {
		r.b.WriteByte(' ')
	}
	r.first = false
	var s string
	if c.right {
		s = cellRight(text, c.width)
	} else {
		s = cell(text, c.width)
	}
	if r.sel || text == "" {
		r.b.WriteString(s)
		return
	}
	r.b.WriteString(k.paint(s))
}

// shown reports whether the next column is visible and its width, so
// costly cells (sparklines) are only built when drawn.
func (r *rowBuilder) shown() (bool, int) {
	c := r.cols[r.i]
	return c.width > 0, c.width
}

func (r *rowBuilder) String() string { return r.b.String() }
