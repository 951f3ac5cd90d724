package drill

import (
	"fmt"
	"strings"
)

// Handler is implemented by injectors that apply only some fault kinds
// (the simulated fleet applies mirror faults, not host pressure).
// An Injector without it is taken to handle every kind.
type Handler interface {
	Handles(kind string) bool
}

// Compose routes each fault to the first injector that handles its kind,
// so the demo can break the simulated fleet for real and still filter host
// samples and webhooks: Compose(sim.NewInjector(fleet), filter).
func Compose(injs ...Injector) Injector { return composed(injs) }

type composed []Injector

// Inject hands f to the first injector that handles its kind.
func (c composed) Inject(f Fault) (func(), error) {
	if inj := c.pick(f.Kind); inj != nil {
		return inj.Inject(f)
	}
	return nil, fmt.Errorf("no injector here applies %s faults (this room applies %s): run the drill where that part is wired, or drop the fault",
		f.Kind, strings.Join(c.kinds(), ", "))
}

// Handles reports whether any of the injectors handles kind.
func (c composed) Handles(kind string) bool { return c.pick(kind) != nil }

func (c composed) pick(kind string) Injector {
	for _, inj := range c {
		if inj == nil {
			continue
		}
		if h, ok := inj.(Handler); ok && !h.Handles(kind) {
			continue
		}
		return inj
	}
	return nil
}

// kinds lists the kinds some injector handles, for the error above.
func (c composed) kinds() []string {
	var out []string
	for _, k := range Kinds() {
		if c.pick(k) != nil {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return []string{"none"}
	}
	return out
}
