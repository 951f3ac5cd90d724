package hosts

// Source is the handful of reads a Sampler needs. The local one wraps
// gopsutil; tests inject a fake to check the arithmetic exactly, and a remote
// agent could feed the same Sampler. Counters are cumulative since some
// origin (boot, device creation); the Sampler turns them into rates.
type Source interface {
	CPUTimes() (CPUTimes, error)
	Memory() (Memory, error)
	Load() (LoadAvg, error)
	DiskUsage(path string) (usedPercent float64, err error)
	DiskIO() ([]DiskCounters, error)
	NetIO() ([]NetCounters, error)
}

// CPUTimes is the time all cores together have spent, in seconds: Total
// is everything, Busy is Total less idle and I/O wait.
type CPUTimes struct {
	Busy  float64
	Total float64
}

// Memory is physical memory in bytes and the used share (0–100).
type Memory struct {
	Used    uint64
	Total   uint64
	Percent float64
}

// LoadAvg is the 1, 5 and 15 minute load averages.
type LoadAvg struct {
	Load1, Load5, Load15 float64
}

// DiskCounters are one block device's cumulative bytes read and written,
// and its completed reads and writes with the time spent on them, from
// which the Sampler computes the I/O latency.
type DiskCounters struct {
	Name         string
	ReadBytes    uint64
	WriteBytes   uint64
	Reads        uint64  // completed
	Writes       uint64  // completed
	ReadSeconds  float64 // time spent on the completed reads
	WriteSeconds float64
}

// NetCounters are one interface's cumulative bytes received and sent.
// Loopback traffic is the host talking to itself, so the Sampler skips it.
type NetCounters struct {
	Name     string
	Loopback bool
	RxBytes  uint64
	TxBytes  uint64
}
