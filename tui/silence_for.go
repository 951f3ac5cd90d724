package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxSilenceFor is the longest silence the room takes: a week (longer is
// a maintenance window in the config).
const maxSilenceFor = 7 * 24 * time.Hour

// silenceFor reads a silence's length as people type it: a Go duration
// (90m, 2h30m) or whole days first (1d, 1d12h).
func silenceFor(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("type how long the silence lasts, such as 2h or 1d")
	}
	var d time.Duration
	rest := s
	if days, after, ok := strings.Cut(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 || n > 7 {
			return 0, fmt.Errorf("%q is not a length: use 30m, 2h or 1d (at most 7d)", s)
		}
		d, rest = time.Duration(n)*24*time.Hour, after
	}
	if rest != "" {
		more, err := time.ParseDuration(rest)
		if err != nil {
			return 0, fmt.Errorf("%q is not a length: use 30m, 2h or 1d (at most 7d)", s)
		}
		d += more
	}
	switch {
	case d <= 0:
		return 0, fmt.Errorf("a silence must last some time, not %q: use 30m, 2h or 1d", s)
	case d > maxSilenceFor:
		return 0, fmt.Errorf("a silence lasts at most 7d, not %s: add a maintenance window to the config for longer", forText(d))
	}
	return d, nil
}

// forText is a silence's length as people write it: 1d12h, 2h, 1h30m,
// 45s.
func forText(d time.Duration) string {
	var b strings.Builder
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if n := d / u.unit; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			d -= n * u.unit
		}
	}
	if b.Len() == 0 {
		return d.String()
	}
	return b.String()
}
