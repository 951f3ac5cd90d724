package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"
)

// mark is a state change in the room: when the room recorded it (the
// room's own clock, at the change, on this machine), and what a screen
// shows once it has it (its timeline row: time, symbol, text). The marks are
// the marker user's joins and leaves: a probe's transitions carry the
// probe's start time, which would add the probe's duration.
type mark struct {
	at      time.Time
	pattern *regexp.Regexp
}

// readMarks reads the marker's joins and leaves the room journaled in [from, to].
func readMarks(path, marker string, from, to time.Time) ([]mark, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %v", err)
	}
	defer f.Close()
	var out []mark
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 2<<20)
	for sc.Scan() {
		var ev struct {
			At      time.Time `json:"at"`
			Kind    string    `json:"kind"`
			Subject string    `json:"subject"`
			Actor   string    `json:"actor"`
			Text    string    `json:"text"`
		}
		if json.Unmarshal(sc.Bytes(), &ev) != nil || (ev.Kind != "presence.joined" && ev.Kind != "presence.left") || ev.Actor != marker || ev.At.Before(from) || ev.At.After(to) {
			continue
		}
		// The row's time, its symbol, then the event's text (the subject
		// column is left out on narrow panes); the time makes it unique.
		// The timeline leaves out a leading subject ("tokyo down: …" shows as "down: …").
		text := []rune(strings.TrimLeft(strings.TrimPrefix(ev.Text, ev.Subject), " :"))
		re := regexp.MustCompile(regexp.QuoteMeta(ev.At.Format("15:04:05")) + `\s+\S+\s+(\S+\s+)?` + regexp.QuoteMeta(string(text[:min(10, len(text))])))
		out = append(out, mark{at: ev.At, pattern: re})
	}
	return out, sc.Err()
}

// changeDelays finds, for each mark and session, the first recorded chunk
// showing it, and returns the delays from the room's change to that chunk.
func changeDelays(marks []mark, sessions [][]chunk) (delays []time.Duration, missed int) {
	for _, m := range marks {
		for _, chunks := range sessions {
			found := false
			for _, c := range chunks {
				if c.at.Before(m.at) {
					continue
				}
				if m.pattern.MatchString(c.text) {
					delays = append(delays, c.at.Sub(m.at))
					found = true
					break
				}
			}
			if !found {
				missed++
			}
		}
	}
	return delays, missed
}

// journalTail counts the journal's whole records and names the last kind.
func journalTail(path string) (string, int) {
	f, err := os.Open(path)
	if err != nil {
		return err.Error(), 0
	}
	defer f.Close()
	n, last := 0, ""
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 2<<20)
	for sc.Scan() {
		var ev struct {
			Kind string `json:"kind"`
		}
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			return fmt.Sprintf("a damaged record after %d", n), n
		}
		n, last = n+1, ev.Kind
	}
	return last, n
}

// pct is the p-th percentile (100: the maximum); 0 with no data.
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	i = min(max(i-1, 0), len(s)-1)
	return s[i].Round(100 * time.Microsecond)
}
