package report

import (
	"fmt"
	"strings"
	"time"
)

// Human formats a duration for a review: "4m 12s", "1h 5m", "45s", "0s".
// Whole seconds; units that are zero are left out.
func Human(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	s := int64(d.Round(time.Second) / time.Second)
	parts := make([]string, 0, 4)
	for _, u := range []struct {
		n    int64
		name string
	}{{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}} {
		if s >= u.n {
			parts = append(parts, fmt.Sprintf("%d%s", s/u.n, u.name))
			s %= u.n
		}
	}
	if len(parts) == 0 {
		return "0s"
	}
	out := strings.Join(parts, " ")
	if neg {
		return "-" + out
	}
	return out
}

// Clock is a time to the minute in UTC ("03:12"); reviews say "UTC" once.
func Clock(t time.Time) string { return t.UTC().Format("15:04") }

// Stamp is a date and time to the minute in UTC ("2026-11-21 03:12").
func Stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04") }
