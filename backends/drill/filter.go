package drill

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Filter applies a drill's faults on a real fleet by rewriting what the
// room is told, never touching the fleet itself: it sits between the
// probes and the room (Probes), the host sampler and the room (Hosts), and
// wraps the announcement channels (Channel). A real mirror is never broken
// for a drill; the room sees it broken, and so does everyone in it.
//
// It handles every kind. In the demo, put the simulated fleet's injector
// first (Compose) so mirror faults happen for real there.
type Filter struct {
	clock    clockwork.Clock
	timeouts map[string]time.Duration
	fleet    map[string]string

	mu       sync.Mutex
	active   []*filtered
	channels map[string]bool // names of the channels wrapped
}

// FilterOptions configure a Filter; the zero value works.
type FilterOptions struct {
	// Clock runs flapping phases; nil = the real clock.
	Clock clockwork.Clock
	// Timeouts are the probes' timeouts by mirror: a slowed answer that
	// reaches its mirror's timeout is reported as the prober would, a
	// timeout. Mirrors not listed are only slowed.
	Timeouts map[string]time.Duration
	// Fleet is mirror name → region. With it, Inject refuses mirrors the
	// fleet lacks and expands a region itself when Fault.Mirrors is empty.
	Fleet map[string]string
}

// filtered is one applied fault.
type filtered struct {
	fault   Fault
	since   time.Time       // injection, on the filter's clock
	mirrors map[string]bool // mirror faults: which mirrors
}

// NewFilter returns a filter with nothing applied.
func NewFilter(o FilterOptions) *Filter {
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	return &Filter{clock: o.Clock, timeouts: o.Timeouts, fleet: o.Fleet, channels: map[string]bool{}}
}

// Handles reports true for every known kind: the filter can show any fault.
func (f *Filter) Handles(kind string) bool { return slices.Contains(Kinds(), kind) }

// Inject starts rewriting what the room is told about what fault breaks.
// On error nothing was applied.
func (f *Filter) Inject(fault Fault) (func(), error) {
	a := &filtered{fault: fault, since: f.clock.Now()}
	switch {
	case fault.TouchesMirrors():
		names, err := f.mirrorsOf(fault)
		if err != nil {
			return nil, err
		}
		a.mirrors = map[string]bool{}
		for _, m := range names {
			a.mirrors[m] = true
		}
	case fault.Kind == KindHostCPU || fault.Kind == KindHostMemory:
		if fault.Percent < 0 || fault.Percent > 100 {
			return nil, fmt.Errorf("drill filter: %s fault (line %d): percent %g: want 0 to 100", fault.Kind, fault.Line, fault.Percent)
		}
	case fault.Kind == KindWebhookFail:
		if err := f.checkChannel(fault); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("drill filter: fault kind %q (line %d) is unknown; kinds are %s", fault.Kind, fault.Line, strings.Join(Kinds(), ", "))
	}
	f.mu.Lock()
	f.active = append(f.active, a)
	f.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { f.remove(a) }) }, nil
}

func (f *Filter) remove(a *filtered) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, x := range f.active {
		if x == a {
			f.active = append(f.active[:i], f.active[i+1:]...)
			return
		}
	}
}

// Applied counts the faults applied now (for tests and the command's
// "nothing left broken" check).
func (f *Filter) Applied() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.active)
}

// mirrorsOf is the mirrors a mirror fault breaks.
func (f *Filter) mirrorsOf(fault Fault) ([]string, error) {
	names := fault.Mirrors
	if len(names) == 0 && fault.Mirror != "" {
		names = []string{fault.Mirror}
	}
	if len(names) == 0 && fault.Region != "" {
		for m, r := range f.fleet {
			if r == fault.Region {
				names = append(names, m)
			}
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("drill filter: %s fault (line %d): no mirror known in region %q; give the filter the fleet (FilterOptions.Fleet) or the runner WithFleet",
				fault.Kind, fault.Line, fault.Region)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("drill filter: %s fault (line %d) names no mirror", fault.Kind, fault.Line)
	}
	if f.fleet != nil {
		for _, m := range names {
			if _, ok := f.fleet[m]; !ok {
				return nil, fmt.Errorf("drill filter: %s fault (line %d): no mirror %q in this fleet; its mirrors are %s",
					fault.Kind, fault.Line, m, listOrNone(slices.Sorted(maps.Keys(f.fleet))))
			}
		}
	}
	return names, nil
}

// checkChannel refuses a webhook fault that would fail nothing.
func (f *Filter) checkChannel(fault Fault) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.channels) == 0 {
		return fmt.Errorf("drill filter: webhook-fail fault (line %d): no announcement channel is wired through the filter; configure notify.channels", fault.Line)
	}
	if fault.Channel != "" && !f.channels[fault.Channel] {
		return fmt.Errorf("drill filter: webhook-fail fault (line %d): no channel %q; the channels are %s",
			fault.Line, fault.Channel, listOrNone(slices.Sorted(maps.Keys(f.channels))))
	}
	return nil
}

// applying returns the faults applied now that pass keep.
func (f *Filter) applying(keep func(*filtered) bool) []*filtered {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*filtered
	for _, a := range f.active {
		if keep(a) {
			out = append(out, a)
		}
	}
	return out
}
