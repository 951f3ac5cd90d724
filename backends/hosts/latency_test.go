package hosts

import "testing"

func TestIOLatencyEdges(t *testing.T) {
	d := func(name string, ops uint64, secs float64) DiskCounters {
		return DiskCounters{Name: name, Reads: ops, ReadSeconds: secs}
	}
	for _, tc := range []struct {
		name       string
		prev, next []DiskCounters
		want       float64
	}{
		{"no I/O completed", []DiskCounters{d("sda", 10, 1)}, []DiskCounters{d("sda", 10, 1)}, 0},
		{"reads and writes", []DiskCounters{d("sda", 10, 1)},
			[]DiskCounters{{Name: "sda", Reads: 13, ReadSeconds: 1.3, Writes: 1, WriteSeconds: 0.5}}, 0.8 / 4},
		{"device gone", []DiskCounters{d("sda", 10, 1), d("sdb", 1, 1)}, []DiskCounters{d("sda", 20, 2)}, -1},
		{"counter reset", []DiskCounters{d("sda", 10, 1)}, []DiskCounters{d("sda", 2, 0.1)}, -1},
		{"no disks", nil, nil, -1},
		{"a new disk is only baselined", nil, []DiskCounters{d("sda", 10, 1)}, -1},
	} {
		l := newIOLatency("")
		if got := l.next(tc.prev); got != -1 {
			t.Errorf("%s: first reading = %v, want -1", tc.name, got)
		}
		if got := l.next(tc.next); !near(got, tc.want) {
			t.Errorf("%s: latency = %v, want %v", tc.name, got, tc.want)
		}
	}
}
