// Package mirrors probes mirrors over HTTP on a schedule, reads their sync
// beacons, and tracks each mirror's health state from the results.
package mirrors

import "time"

// Observation is the outcome of one probe of one mirror (or of the origin).
// It is plain data: the scheduler produces it, the room consumes it.
type Observation struct {
	Mirror  string        // the mirror's configured name
	Start   time.Time     // when the probe started (scheduler clock)
	Latency time.Duration // time to the health response's headers
	Status  int           // HTTP status of the health check; 0 when none arrived
	// Err is the health failure reason, empty when healthy:
	// "unreachable: …", "timeout after 5s", "got status 503", "file not found".
	Err string
	// TLSExpiry is the leaf certificate's NotAfter; zero for plain HTTP.
	TLSExpiry time.Time
	Sync      SyncInfo
}

// OK reports whether the health check passed.
func (o Observation) OK() bool { return o.Err == "" }

// SyncInfo is what the mirror says about how current its copy is. Every
// timestamp in it was written by the origin's clock, so comparing it with the
// origin's own SyncInfo gives the lag regardless of the mirror's clock.
type SyncInfo struct {
	Beacon  time.Time // origin-written sync time the mirror holds; zero if unknown
	Serial  int64     // archive serial (YYYYMMDDNN) or version number; 0 if unknown
	Version string    // version label when the source gives one (JSON endpoint)
	// Manifest is the hex SHA-256 of the mirror's manifest file; empty if not configured
	// or not fetched.
	Manifest string
	Syncing  bool   // an update is in progress on the mirror right now
	Err      string // why the lag source could not be read; empty when read
}

// State is a mirror's health as the room shows it.
type State string

// Mirror states.
const (
	StateUnknown  State = "unknown" // not yet probed
	StateUp       State = "up"
	StateDegraded State = "degraded" // answering, but slow or erring
	StateDown     State = "down"
)
