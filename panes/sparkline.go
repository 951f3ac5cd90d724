package panes

import (
	"math"
	"strings"
)

// bars are the eight block heights, three bytes each in UTF-8.
const bars = "▁▂▃▄▅▆▇█"

const nbars = 8

// Sparkline draws the newest values that fit in width cells, newest at the
// right, scaled from the lowest to the highest value shown (all equal: the
// lowest bar). NaN and ±Inf are gaps (a space), and fewer values than cells
// leave blanks on the left.
func Sparkline(values []float64, width int) string {
	return spark(values, width, math.NaN(), math.NaN())
}

// spark draws with a fixed scale where lo or hi is not NaN (percentages use
// 0–100), else the scale of the values shown.
func spark(values []float64, width int, lo, hi float64) string {
	if width <= 0 {
		return ""
	}
	width = min(width, MaxWidth)
	if len(values) > width {
		values = values[len(values)-width:]
	}
	autoLo, autoHi := math.NaN(), math.NaN()
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		if math.IsNaN(autoLo) || v < autoLo {
			autoLo = v
		}
		if math.IsNaN(autoHi) || v > autoHi {
			autoHi = v
		}
	}
	if math.IsNaN(lo) {
		lo = autoLo
	}
	if math.IsNaN(hi) {
		hi = autoHi
	}
	var b strings.Builder
	b.Grow(width * 3)
	for i := len(values); i < width; i++ {
		b.WriteByte(' ')
	}
	for _, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b.WriteByte(' ')
			continue
		}
		idx := 0
		if hi > lo {
			f := (v - lo) / (hi - lo)
			idx = int(math.Round(f * (nbars - 1)))
		}
		idx = max(0, min(nbars-1, idx))
		b.WriteString(bars[idx*3 : idx*3+3])
	}
	return b.String()
}
