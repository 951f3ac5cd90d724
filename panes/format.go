package panes

import (
	"fmt"
	"math"
	"time"
)

// HumanDuration is a short, fixed-style duration: 12s, 4m05s, 2h10m, 3d04h.
// Negative durations (clock skew) show as 0s.
func HumanDuration(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	case s < 86400:
		return fmt.Sprintf("%dh%02dm", s/3600, (s%3600)/60)
	}
	return fmt.Sprintf("%dd%02dh", s/86400, (s%86400)/3600)
}

// age is how long before now t was, coarser than humanDuration (see coarse).
func age(now, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return coarse(now.Sub(t))
}

// coarse is a duration to the minute past the first minute: 12s, 4m, 2h10m, 3d.
func coarse(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm", s/60)
	case s < 86400:
		if s%3600 < 60 {
			return fmt.Sprintf("%dh", s/3600)
		}
		return fmt.Sprintf("%dh%02dm", s/3600, (s%3600)/60)
	}
	return fmt.Sprintf("%dd", s/86400)
}

// latency shows a probe latency: 87ms, 1.24s, 12.3s.
func latency(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 1:
		return fmt.Sprintf("%.1fms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.0fms", ms)
	case ms < 10000:
		return fmt.Sprintf("%.2fs", ms/1000)
	}
	return fmt.Sprintf("%.1fs", ms/1000)
}

// bytesRate is a human bytes-per-second figure with three significant
// digits: 512 B/s, 1.21 KiB/s, 34.0 MiB/s. Negative means no sample: "—".
func bytesRate(v float64) string {
	if v < 0 || math.IsNaN(v) {
		return "—"
	}
	return bytesHuman(v) + "/s"
}

// bytesHuman is a human byte count in binary units.
func bytesHuman(v float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"}
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	switch {
	case i == 0:
		return fmt.Sprintf("%.0f %s", v, units[i])
	case v < 10:
		return fmt.Sprintf("%.2f %s", v, units[i])
	case v < 100:
		return fmt.Sprintf("%.1f %s", v, units[i])
	}
	return fmt.Sprintf("%.0f %s", v, units[i])
}

// percent shows 0–100 with one decimal.
func percent(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", v)
}
