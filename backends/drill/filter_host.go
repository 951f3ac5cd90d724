package drill

import "warroom/backends/hosts"

// Hosts wraps the host sampler's sink (the room's ObserveHost): while a
// host-cpu or host-memory fault is applied, every host's sample shows that
// pressure (the highest, if several). Safe for concurrent calls.
func (f *Filter) Hosts(next func(hosts.Sample)) func(hosts.Sample) {
	return func(s hosts.Sample) { next(f.Host(s)) }
}

// Host returns s as the room should see it with the faults applied now.
func (f *Filter) Host(s hosts.Sample) hosts.Sample {
	on := f.applying(func(a *filtered) bool {
		return a.fault.Kind == KindHostCPU || a.fault.Kind == KindHostMemory
	})
	cpu, mem := -1.0, -1.0
	for _, a := range on {
		if a.fault.Kind == KindHostCPU {
			cpu = max(cpu, a.fault.Percent)
		} else {
			mem = max(mem, a.fault.Percent)
		}
	}
	if cpu >= 0 {
		s.CPUPercent = cpu
	}
	if mem >= 0 {
		s.MemPercent = mem
		if s.MemTotal > 0 {
			s.MemUsed = uint64(float64(s.MemTotal) * mem / 100)
		}
	}
	return s
}
