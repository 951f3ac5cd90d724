package drill

import "time"

// Scenario is a parsed drill: what breaks when, and how fast the team should
// respond. Build it with Parse or Load.
type Scenario struct {
	File        string        // as given to Parse; names the file in errors
	Name        string        // required
	Description string        // one line for the room and the report
	Duration    time.Duration // time limit; the drill ends then at the latest
	Live        bool          // actions run for real; false (default) = dry-run
	Goals       []Goal        // in response order (see GoalNames), each named once
	Faults      []Fault       // in file order

	lines map[string]int // field path → line, for Check's messages
}

// Goal is one target of a drill, measured from the first fault's injection.
type Goal struct {
	Name   string        // one of GoalNames
	Within time.Duration // target
	Line   int
}

// Goal names, in the order of the playbooks' response.
const (
	GoalDetect      = "detect"      // first alert raised on what the drill broke
	GoalAcknowledge = "acknowledge" // first such alert acknowledged
	GoalFailover    = "failover"    // a failover confirmed (action.succeeded, action=failover)
	GoalRollback    = "rollback"    // a rollback confirmed (action.succeeded, action=rollback)
	GoalAnnounce    = "announce"    // first announcement sent
	GoalRecover     = "recover"     // every fault removed and every affected mirror up
)

// GoalNames lists the goals a scenario may set, in scorecard order.
func GoalNames() []string {
	return []string{GoalDetect, GoalAcknowledge, GoalFailover, GoalRollback, GoalAnnounce, GoalRecover}
}

// Fault is one timed breakage. Which fields are set depends on Kind.
type Fault struct {
	Kind    string        // one of Kinds
	Mirror  string        // mirror-down, slow, lag, drift, flapping
	Region  string        // region-down: every mirror of the region
	Channel string        // webhook-fail; "" = every channel
	Delay   time.Duration // slow: added to every answer
	Behind  time.Duration // lag: how far the mirror's content is behind the origin
	Period  time.Duration // flapping: length of each up and each down phase
	Percent float64       // host-cpu, host-memory: the pressure to show, 0–100
	At      time.Duration // after the drill's start
	For     time.Duration // 0 = until the drill ends
	Line    int           // of the fault in the file

	// Mirrors are the mirrors this fault touches (the mirror, or every
	// mirror of the region), filled by Start when given WithFleet; nil for
	// host and webhook faults.
	Mirrors []string
}

// Fault kinds.
const (
	KindMirrorDown  = "mirror-down"  // the mirror stops answering
	KindSlow        = "slow"         // every answer takes Delay longer
	KindLag         = "lag"          // content Behind the origin
	KindDrift       = "drift"        // other content than the origin at the same version
	KindFlapping    = "flapping"     // up for Period, down for Period, repeating
	KindRegionDown  = "region-down"  // every mirror in Region down
	KindHostCPU     = "host-cpu"     // CPU at Percent
	KindHostMemory  = "host-memory"  // memory at Percent
	KindWebhookFail = "webhook-fail" // posts to Channel (or all) fail
)

// Kinds lists the fault kinds a scenario may use.
func Kinds() []string {
	return []string{KindMirrorDown, KindSlow, KindLag, KindDrift, KindFlapping,
		KindRegionDown, KindHostCPU, KindHostMemory, KindWebhookFail}
}

// DefaultFlapPeriod is a flapping fault's phase length when the file gives none.
const DefaultFlapPeriod = 20 * time.Second

// kindRule says which fault fields a kind needs and which it may take.
type kindRule struct {
	needs    []string
	may      []string
	mirrorOn bool // touches mirrors (counts for recovery)
}

func kindRules() map[string]kindRule {
	return map[string]kindRule{
		KindMirrorDown:  {needs: []string{"mirror"}, mirrorOn: true},
		KindSlow:        {needs: []string{"mirror", "delay"}, mirrorOn: true},
		KindLag:         {needs: []string{"mirror", "behind"}, mirrorOn: true},
		KindDrift:       {needs: []string{"mirror"}, mirrorOn: true},
		KindFlapping:    {needs: []string{"mirror"}, may: []string{"period"}, mirrorOn: true},
		KindRegionDown:  {needs: []string{"region"}, mirrorOn: true},
		KindHostCPU:     {needs: []string{"percent"}},
		KindHostMemory:  {needs: []string{"percent"}},
		KindWebhookFail: {may: []string{"channel"}},
	}
}

// TouchesMirrors reports whether the fault breaks mirrors (and so whether
// they must come back for the recover goal).
func (f Fault) TouchesMirrors() bool { return kindRules()[f.Kind].mirrorOn }

// Until is when the fault is removed, measured from the drill's start, for a
// drill of duration d.
func (f Fault) Until(d time.Duration) time.Duration {
	if f.For <= 0 || f.At+f.For > d {
		return d
	}
	return f.At + f.For
}

// goal returns the scenario's goal called name.
func (s *Scenario) goal(name string) (Goal, bool) {
	for _, g := range s.Goals {
		if g.Name == name {
			return g, true
		}
	}
	return Goal{}, false
}

// firstAt is when the first fault is applied: the moment goals count from.
func (s *Scenario) firstAt() time.Duration {
	if len(s.Faults) == 0 {
		return 0
	}
	first := s.Faults[0].At
	for _, f := range s.Faults[1:] {
		first = min(first, f.At)
	}
	return first
}
