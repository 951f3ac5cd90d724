package hosts

import "sync"

// fakeSource returns whatever the test last set, with an error per part.
type fakeSource struct {
	mu       sync.Mutex
	cpu      CPUTimes
	mem      Memory
	load     LoadAvg
	diskPct  float64
	disks    []DiskCounters
	nets     []NetCounters
	errs     map[string]error // keyed by part: cpu, mem, load, usage, diskio, netio
	usedPath string
}

func (f *fakeSource) err(part string) error {
	return f.errs[part]
}

func (f *fakeSource) CPUTimes() (CPUTimes, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cpu, f.err("cpu")
}

func (f *fakeSource) Memory() (Memory, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.mem, f.err("mem")
}

func (f *fakeSource) Load() (LoadAvg, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.load, f.err("load")
}

func (f *fakeSource) DiskUsage(path string) (float64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.usedPath = path
	return f.diskPct, f.err("usage")
}

func (f *fakeSource) DiskIO() ([]DiskCounters, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]DiskCounters(nil), f.disks...), f.err("diskio")
}

func (f *fakeSource) NetIO() ([]NetCounters, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]NetCounters(nil), f.nets...), f.err("netio")
}

// set changes the fake's readings under its lock.
func (f *fakeSource) set(change func(f *fakeSource)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(f)
}
