package actions_test

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"warroom/backends/actions"
	"warroom/backends/actions/actionstest"
	"warroom/backends/config"
)

// Figures: one Run = the switch plus its read-back, against the real
// servers on loopback. `go test -bench Failover -run '^$'` for ns/op;
// WARROOM_FIGURES=1 go test -run Figures -v for median and p99.

func haproxyBench(tb testing.TB) (actions.Executor, [2]string) {
	h, n, _, mirrors := fleetBehindHAProxy(tb)
	x, err := actions.New(config.Executor{Name: "lb", HAProxy: &config.HAProxyExecutor{Address: h.SocketPath, Backend: "mirrors"}}, mirrors, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return x, [2]string{n[0], n[1]}
}

func dnsBench(tb testing.TB) (actions.Executor, [2]string) {
	secret := actionstest.NewSecret()
	ns := actionstest.StartNamed(tb, "example.org", "mirror.example.org", "CNAME", "osaka.example.net", "warroom", secret)
	x, err := actions.New(config.Executor{Name: "dns", DNS: &config.DNSExecutor{
		Server: ns.Addr, Zone: "example.org", Record: "mirror.example.org", TSIG: &config.TSIG{Name: "warroom", Secret: secret},
	}}, mirrorsFor(tb, map[string]string{"osaka": "http://osaka.example.net/", "tokyo": "http://tokyo.example.net/"}), nil)
	if err != nil {
		tb.Fatal(err)
	}
	return x, [2]string{"osaka", "tokyo"}
}

// switchBackAndForth runs n failovers alternating direction and returns
// each Run's duration.
func switchBackAndForth(tb testing.TB, x actions.Executor, m [2]string, n int) []time.Duration {
	d := make([]time.Duration, 0, n)
	for i := range n {
		op := failover(m[i%2], m[(i+1)%2])
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		start := time.Now()
		_, err := x.Run(ctx, op, func(string) {})
		d = append(d, time.Since(start))
		cancel()
		if err != nil {
			tb.Fatalf("run %d: %v", i, err)
		}
	}
	return d
}

func quantiles(d []time.Duration) (p50, p99 time.Duration) {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2], s[min(len(s)-1, len(s)*99/100)]
}

func benchSwitch(b *testing.B, setup func(testing.TB) (actions.Executor, [2]string)) {
	x, m := setup(b)
	var all []time.Duration
	b.ResetTimer()
	for b.Loop() {
		all = append(all, switchBackAndForth(b, x, [2]string{m[len(all)%2], m[(len(all)+1)%2]}, 1)...)
	}
	p50, p99 := quantiles(all)
	b.ReportMetric(float64(p50.Microseconds()), "p50-µs")
	b.ReportMetric(float64(p99.Microseconds()), "p99-µs")
}

func BenchmarkHAProxyFailover(b *testing.B) { benchSwitch(b, haproxyBench) }
func BenchmarkDNSFailover(b *testing.B)     { benchSwitch(b, dnsBench) }

func TestFigures(t *testing.T) {
	if os.Getenv("WARROOM_FIGURES") != "1" {
		t.Skip("set WARROOM_FIGURES=1 to measure failover figures")
	}
	const runs = 300
	for _, k := range []struct {
		name  string
		setup func(testing.TB) (actions.Executor, [2]string)
	}{{"haproxy", haproxyBench}, {"dns", dnsBench}} {
		x, m := k.setup(t)
		switchBackAndForth(t, x, m, 10) // warm up
		d := switchBackAndForth(t, x, m, runs)
		p50, p99 := quantiles(d)
		t.Logf("%s failover incl. read-back, %d runs: median %v, p99 %v, max %v", k.name, runs, p50, p99, slices.Max(d))
	}
}
