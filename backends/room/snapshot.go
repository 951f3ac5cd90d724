package room

import (
	"time"

	"warroom/backends/hosts"
	"warroom/backends/mirrors"
)

// Snapshot is the room at one moment. It is immutable: the room never changes
// a snapshot (or anything it points to) after publishing it, so any number of
// views may read it without locks.
type Snapshot struct {
	Seq     uint64    // increases with every publish
	At      time.Time // room clock when published
	Site    string
	Demo    bool
	Origin  *MirrorView
	Mirrors []*MirrorView // config order
	Host    *HostView     // nil until the first sample
	// Hosts: in a cluster, every node's machine, this one first (nil when
	// no other node shares its host). See host_nodes.go.
	Hosts []NodeHostView
	// Fleet: every host's row, this machine first (Host), then the
	// exporters' in the config's order (nil before the first sample).
	Fleet  []*HostView
	Alerts []Alert // unacknowledged first, then newest first
	// Silences active now and scheduled ones, soonest ending first.
	Silences []SilenceView
	// Timeline holds the most recent events, oldest first; the newest is
	// last. LastEventSeq is the journal sequence of that newest event.
	Timeline     []Event
	LastEventSeq uint64
	JournalErr   string // non-empty when the journal failed: the room is no longer recording

	// Cluster: Role is "leader" or "replica" ("" outside a cluster);
	// Leader and LeaderTerm are from the last room.leader; NoQuorum is
	// NoQuorumText while the cluster has no quorum (every command and post
	// is refused), NoQuorumWhy the cluster's reason.
	Role, Leader, LeaderTerm string
	NoQuorum, NoQuorumWhy    string

	// Actions: recent actions oldest first, open proposals, and a failback
	// when the original primary is ready again; FailbackWait says why
	// failback is not offered yet while traffic is off its primary.
	Actions         []ActionView
	Proposals       []Proposal
	Failback        *FailbackOffer
	FailbackWait    string
	ReadOnly        bool
	Confirm         string // how a person confirms: type-name | yes
	CanFailover     bool
	RollbackTargets []string

	// Announcements: recent posts per channel, oldest first.
	Posts         []PostView
	Channels      []ChannelView
	NextUpdateDue time.Time // zero until the first public post
	Contact       string
	Cadence       time.Duration

	// Presence: who is in the room, in order of arrival; Pen is who holds
	// the pen when PenRequired (only they run actions).
	Presence    []PresenceView
	Pen         string
	PenRequired bool

	// Incident: the open incident (nil when none), the room's proposal to
	// declare one (nil when none or one is open), and the drill (nil when
	// none ran since the process started, or its result was dismissed).
	// The types are in incident.go.
	Incident         *IncidentView
	IncidentProposal *IncidentProposal
	Drill            *DrillView

	// Vantages: where the fleet is seen from, by region, when more than
	// this room reports (nil otherwise). Own: this room's own verdicts on
	// the origin and each mirror, for its node to publish (nil when the
	// room names no vantage). See vantage.go.
	Vantages []VantageView
	Own      []Verdict
}

// State is a mirror's health state; see the mirrors package.
type State = mirrors.State

// Mirror states, re-exported for views.
const (
	StateUnknown  = mirrors.StateUnknown
	StateUp       = mirrors.StateUp
	StateDegraded = mirrors.StateDegraded
	StateDown     = mirrors.StateDown
)

// MirrorView is everything the panes show of one mirror. A published view
// is never changed: an unchanged mirror keeps the same pointer from one
// snapshot to the next, and the panes keep what they derive from it.
type MirrorView struct {
	Name     string
	URL      string
	Region   string
	Role     string // active | backup | origin
	Priority int
	Host     string // the machine it runs on (config host:): a Fleet row's Name, "local" for this one; "" = not said
	State    State
	Since    time.Time // when State was entered
	Reason   string    // why degraded/down: the last error or "latency 3.1× baseline"

	Status         int           // last HTTP status, 0 if none
	Latency        time.Duration // last
	Baseline       time.Duration // rolling median latency while healthy
	ErrorRate      float64       // share of failed probes in the recent window, 0–1
	LastProbe      time.Time
	TLSExpiry      time.Time // zero when not TLS
	LatencyHistory []float64 // milliseconds, oldest first; NaN for failed probes
	// A change under way: failing StreakN of StreakOf failures before down
	// (StreakFailing), or recovering StreakN of StreakOf successes while
	// down. StreakN is 0 when neither.
	StreakN, StreakOf int
	StreakFailing     bool
	Flapping          string // why the mirror counts as flapping; empty when it does not
	ErrorsHigh        string // its error rate over the threshold, in words; empty when under
	// DriftPending: its manifest differs from the origin's of its sync
	// time, to be confirmed at the origin's next reading (not yet an alert).
	DriftPending bool

	// Sync position against the origin.
	Lag           time.Duration // origin beacon − mirror beacon; valid when LagKnown
	LagKnown      bool
	SerialsBehind int64 // origin serial − mirror serial; valid when SerialKnown
	SerialKnown   bool
	Serial        int64
	Version       string
	Syncing       bool
	Drift         bool      // manifest differs from the origin's of the same cycle (serial or sync time)
	SyncErr       string    // lag source error, shown per mirror
	LagHistory    []float64 // seconds, oldest first; NaN when unknown
	SerialHistory []float64 // serials behind, oldest first; NaN when unknown
	CatchUp       CatchUp   // where the lag is heading (catchup.go)
	// Manifest: the hex SHA-256 of its manifest file; OriginManifest: the
	// origin's of the cycle the mirror holds (drift when they differ); ""
	// when not read or not known.
	Manifest, OriginManifest string

	// Votes: each vantage's verdict, in the order of Snapshot.Vantages
	// (nil when this room is the only vantage). DownFrom: the regions
	// that see it down, when partial or down.
	Votes    []Vote
	DownFrom []string

	// Traffic: what its users got through an haproxy executor's backend
	// in the latest reading; nil when nothing counts it.
	Traffic *TrafficView
}

// HostView is the latest host sample with short histories for sparklines:
// the local machine's or one of the fleet's (host_fleet.go).
type HostView struct {
	Name      string
	Local     bool // the machine warroom runs on
	Latest    hosts.Sample
	CPU       []float64 // percent, oldest first
	Memory    []float64
	Disk      []float64
	NetRx     []float64 // bytes/s
	NetTx     []float64
	DiskRead  []float64
	DiskWrite []float64

	DiskLatency []float64 // seconds per I/O, oldest first; NaN when unknown
	// Missed readings in a row without an answer (Reason says why; the
	// figures are the last answer's); Stale from the third on.
	Missed int
	Stale  bool
	Reason string
	Over   HostBreaches // figures over their threshold for the sustain time
	Limits HostLimits
}

// Severity of an alert.
type Severity string

const (
	Warning  Severity = "warning"
	Critical Severity = "critical"
)

// Alert is a condition that needs a person's attention until it clears.
// Its JSON (status --json) is snake case, leaving out unset times.
type Alert struct {
	ID       string    `json:"id"` // stable per condition: "mirror-down/tokyo", "host-cpu/local"
	Severity Severity  `json:"severity"`
	Subject  string    `json:"subject"` // mirror or host name
	Text     string    `json:"text"`    // "tokyo down: unreachable: connection refused"
	Raised   time.Time `json:"raised"`
	Acked    bool      `json:"acked"`
	AckedBy  string    `json:"acked_by,omitempty"`
	AckedAt  time.Time `json:"acked_at,omitzero"`

	// Paging: the receivers notified of it (by its routes), and, once it
	// went unacknowledged past thresholds.ack_within, who it escalated to.
	Paged       []string  `json:"paged,omitempty"`
	EscalatedTo []string  `json:"escalated_to,omitempty"`
	EscalatedAt time.Time `json:"escalated_at,omitzero"`
	// Silenced: the silence that keeps it from being routed (still shown).
	Silence *SilenceView `json:"silence,omitempty"`
	// External: an alert from Alertmanager (kind external), with its labels.
	External *ExternalView `json:"external,omitempty"`
}

// SilenceView is one silence or maintenance window: alerts it matches are
// shown but not routed until it ends.
type SilenceView struct {
	ID      string    `json:"id"`      // sil-3, or maint-1 for the config's windows
	Matcher string    `json:"matcher"` // mirror=tokyo,kind=mirror-lag
	By      string    `json:"by"`      // who created it ("config" for maintenance)
	Reason  string    `json:"reason"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
}

// Critical reports whether anything in the snapshot is critical: a down
// active mirror, drift, a critical alert, a failed journal, or no quorum
// (nothing can be recorded or done).
func (s *Snapshot) Critical() bool {
	if s.JournalErr != "" || s.NoQuorum != "" {
		return true
	}
	for _, a := range s.Alerts {
		if a.Severity == Critical {
			return true
		}
	}
	return false
}
