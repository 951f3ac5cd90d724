package panes

import (
	"reflect"
	"testing"
)

func TestPlanKeepsPinnedRowsInView(t *testing.T) {
	pins := func(p ...int) []int { return p } // p[0] is kept first
	cases := []struct {
		name                   string
		n, h, cursor, offset   int
		pinned                 []int
		rows                   []int
		hidden, offsetReturned int
	}{
		{"all fit", 3, 4, 1, 0, pins(0), []int{0, 1, 2}, 0, 0},
		{"cursor on a pin", 8, 4, 0, 0, pins(0, 2), []int{0, 1, 2}, 5, 0},
		{"cursor below the pins", 8, 4, 5, 0, pins(0, 2), []int{0, 2, 5}, 5, 3},
		{"no cursor: pins take the lines", 8, 3, -1, 0, pins(0, 2), []int{0, 2}, 6, 0},
		{"an unpinned cursor keeps a line", 8, 3, 5, 0, pins(0, 2), []int{0, 5}, 6, 4},
		{"more pins than lines keep the cursor's", 10, 3, 7, 0, pins(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), []int{0, 7}, 8, 0},
		{"the first pin goes first", 8, 3, -1, 0, pins(6, 1, 2), []int{1, 6}, 6, 0},
		{"the first pin beside the cursor", 8, 3, 0, 0, pins(6, 1, 2), []int{0, 6}, 6, 0},
		{"no pins scroll as a window", 10, 4, 9, 0, nil, []int{7, 8, 9}, 7, 7},
		{"one line shows the cursor", 10, 1, 4, 0, nil, []int{4}, 9, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := plan(c.n, c.h, c.cursor, c.offset, c.pinned)
			if !reflect.DeepEqual(got.rows, c.rows) || got.hidden != c.hidden || got.offset != c.offsetReturned {
				t.Fatalf("plan(n=%d, h=%d, cursor=%d) = rows %v hidden %d offset %d, want %v hidden %d offset %d",
					c.n, c.h, c.cursor, got.rows, got.hidden, got.offset, c.rows, c.hidden, c.offsetReturned)
			}
			if len(got.rows)+min(1, got.hidden) > c.h && c.h > 1 {
				t.Fatalf("%d rows and a more line do not fit in %d lines", len(got.rows), c.h)
			}
		})
	}
}
