package hosts

import (
	"net"
	"os"
	"path/filepath"

	"github.com/shirou/gopsutil/v3/cpu"
	"github.com/shirou/gopsutil/v3/disk"
	"github.com/shirou/gopsutil/v3/load"
	"github.com/shirou/gopsutil/v3/mem"
	gnet "github.com/shirou/gopsutil/v3/net"
)

// localSource reads this machine through gopsutil. Which interfaces are
// loopback and which block devices are whole physical disks are read once,
// at construction: they rarely change, and re-reading them per sample would
// cost more than the sample itself.
type localSource struct {
	loopback map[string]bool
	disks    []string // whole physical disks; nil means every device gopsutil reports
}

// NewLocalSource returns the gopsutil-backed Source for this machine.
func NewLocalSource() Source {
	return &localSource{
		loopback: loopbackNames(),
		disks:    physicalDisks("/sys/block"),
	}
}

func (l *localSource) CPUTimes() (CPUTimes, error) {
	ts, err := cpu.Times(false)
	if err != nil {
		return CPUTimes{}, err
	}
	if len(ts) == 0 {
		return CPUTimes{}, errNoCPUTimes
	}
	return cpuTimesFrom(ts[0]), nil
}

// cpuTimesFrom follows gopsutil's own cpu.Percent arithmetic: on Linux the
// guest times are already counted in user and nice, so they come off the
// total; idle and iowait are not busy. Guest is zero on other systems.
func cpuTimesFrom(t cpu.TimesStat) CPUTimes {
	total := t.User + t.System + t.Idle + t.Nice + t.Iowait + t.Irq +
		t.Softirq + t.Steal
	return CPUTimes{Busy: total - t.Idle - t.Iowait, Total: total}
}

func (l *localSource) Memory() (Memory, error) {
	v, err := mem.VirtualMemory()
	if err != nil {
		return Memory{}, err
	}
	return Memory{Used: v.Used, Total: v.Total, Percent: v.UsedPercent}, nil
}

func (l *localSource) Load() (LoadAvg, error) {
	a, err := load.Avg()
	if err != nil {
		return LoadAvg{}, err
	}
	return LoadAvg{Load1: a.Load1, Load5: a.Load5, Load15: a.Load15}, nil
}

func (l *localSource) DiskUsage(path string) (float64, error) {
	u, err := disk.Usage(path)
	if err != nil {
		return 0, err
	}
	return u.UsedPercent, nil
}

func (l *localSource) DiskIO() ([]DiskCounters, error) {
	// gopsutil rewrites the names slice in place, so hand it a copy: the
	// source may be shared. Naming the disks also spares gopsutil the udev
	// look-ups it does for every other device (partitions, loop, dm).
	var names []string
	if len(l.disks) > 0 {
		names = append(make([]string, 0, len(l.disks)), l.disks...)
	}
	m, err := disk.IOCounters(names...)
	if err != nil {
		return nil, err
	}
	out := make([]DiskCounters, 0, len(m))
	for name, c := range m {
		out = append(out, DiskCounters{Name: name, ReadBytes: c.ReadBytes, WriteBytes: c.WriteBytes,
			Reads: c.ReadCount, Writes: c.WriteCount,
			// The kernel counts milliseconds.
			ReadSeconds: float64(c.ReadTime) / 1000, WriteSeconds: float64(c.WriteTime) / 1000})
	}
	return out, nil
}

func (l *localSource) NetIO() ([]NetCounters, error) {
	cs, err := gnet.IOCounters(true)
	if err != nil {
		return nil, err
	}
	out := make([]NetCounters, 0, len(cs))
	for _, c := range cs {
		out = append(out, NetCounters{
			Name:     c.Name,
			Loopback: l.loopback[c.Name] || c.Name == "lo",
			RxBytes:  c.BytesRecv,
			TxBytes:  c.BytesSent,
		})
	}
	return out, nil
}

// loopbackNames asks the OS which interfaces are loopback. On failure the
// set is empty and NetIO falls back to the conventional name "lo".
func loopbackNames() map[string]bool {
	set := map[string]bool{}
	ifs, err := net.Interfaces()
	if err != nil {
		return set
	}
	for _, i := range ifs {
		if i.Flags&net.FlagLoopback != 0 {
			set[i.Name] = true
		}
	}
	return set
}

// physicalDisks lists the whole disks under a Linux /sys/block directory:
// those backed by a device (vda, sda, nvme0n1). Summing every line of
// /proc/diskstats would count a write several times over (partition, whole
// disk, device-mapper, loop). Where the directory is missing (not Linux)
// the result is nil and all devices are summed.
func physicalDisks(sysBlock string) []string {
	entries, err := os.ReadDir(sysBlock)
	if err != nil {
		return nil
	}
	var disks []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(sysBlock, e.Name(), "device")); err == nil {
			disks = append(disks, e.Name())
		}
	}
	return disks
}
