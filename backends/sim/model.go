package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// State is what a node serves about its copy of the archive at one moment.
// Tests compare it with what a prober read; the origin's State is the
// reference a mirror's lag is measured against.
type State struct {
	Step     int64     // origin publication number k held
	Beacon   time.Time // origin-written sync time held (UTC, whole seconds)
	Serial   int64     // archive serial (YYYYMMDD00 + k)
	Version  string    // version label "1.0.k"
	Manifest []byte    // the /manifest body
	Syncing  bool      // the Archive-Update-in-Progress marker is present
}

// model is the origin's publication schedule: a pure function of time.
type model struct {
	start time.Time     // beacon of step 0
	every time.Duration // between publications
	base  int64         // serial of step 0
}

func newModel(now time.Time, every time.Duration) model {
	start := now.UTC().Truncate(time.Second)
	y, m, d := start.Date()
	return model{start: start, every: every, base: int64(y*10000+int(m)*100+d) * 100}
}

// step is the publication held by someone looking at the origin at t.
func (m model) step(t time.Time) int64 {
	if t.Before(m.start) {
		return 0
	}
	return int64(t.Sub(m.start) / m.every)
}

func (m model) beacon(k int64) time.Time { return m.start.Add(time.Duration(k) * m.every) }

func (m model) state(k int64, drift bool) State {
	serial := m.base + k
	return State{
		Step:     k,
		Beacon:   m.beacon(k),
		Serial:   serial,
		Version:  fmt.Sprintf("1.0.%d", k),
		Manifest: manifest(serial, drift),
	}
}

// manifestPaths are the files listed in /manifest; the drifted copy differs
// in the second line only.
func manifestPaths() [4]string {
	return [4]string{
		"dists/stable/Release",
		"dists/stable/main/binary-amd64/Packages.xz",
		"dists/stable/main/source/Sources.xz",
		"project/trace/master",
	}
}

func manifest(serial int64, drift bool) []byte {
	var b strings.Builder
	for i, p := range manifestPaths() {
		salt := "sim"
		if drift && i == 1 {
			salt = "drifted"
		}
		sum := sha256.Sum256(fmt.Appendf(nil, "%s %s %d", salt, p, serial))
		b.WriteString(hex.EncodeToString(sum[:]))
		b.WriteString("  ")
		b.WriteString(p)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// traceStartedBefore is how long before its beacon a published sync started,
// for the trace's Date-Started line.
const traceStartedBefore = 4 * time.Second

// dateU is the layout of `date -u` in the C locale.
const dateU = "Mon Jan _2 15:04:05 MST 2006"

func trace(st State, host string, mirror bool) []byte {
	t := st.Beacon.UTC()
	var b strings.Builder
	b.WriteString(t.Format(dateU) + "\n")
	b.WriteString("Date: " + t.Format(time.RFC1123Z) + "\n")
	b.WriteString("Date-Started: " + t.Add(-traceStartedBefore).Format(time.RFC1123Z) + "\n")
	fmt.Fprintf(&b, "Archive serial: %d\n", st.Serial)
	b.WriteString("Creator: ftpsync 20180513\n")
	b.WriteString("Running on host: " + host + "\n")
	if mirror {
		b.WriteString("Upstream-mirror: origin\n")
	}
	return []byte(b.String())
}

func versionJSON(st State) []byte {
	return fmt.Appendf(nil, "{\"time\":%q,\"serial\":%d,\"version\":%q}\n",
		st.Beacon.UTC().Format(time.RFC3339), st.Serial, st.Version)
}
