package main

import (
	"fmt"
	"slices"
	"time"
)

// pct is the p-th quantile (0..1) of sorted durations, nearest rank.
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p*float64(len(sorted)) + 0.999999)
	return sorted[min(max(i, 1), len(sorted))-1]
}

// summary is "p50 X p99 Y min A max B (n=N)" of ds.
func summary(ds []time.Duration) string {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return "no samples"
	}
	r := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	return fmt.Sprintf("p50 %v p99 %v min %v max %v (n=%d)", r(pct(s, .5)), r(pct(s, .99)), r(s[0]), r(s[len(s)-1]), len(s))
}

// spread is "median (min–max)" of xs with format f.
func spread(xs []float64, f string) string {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return "no samples"
	}
	return fmt.Sprintf(f+" ("+f+"–"+f+")", s[len(s)/2], s[0], s[len(s)-1])
}
