// Command warroom-notify-load checks announcement delivery under a burst:
// N posts fanned out to Slack, DingTalk, WeCom and Feishu stand-ins that
// enforce the platforms' real rate limits, on a clock that can run faster
// than real time; then the loopback latency of one post to four channels.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"time"
)

func main() {
	n := flag.Int("n", 500, "posts in the burst")
	period := flag.Duration("period", 10*time.Minute, "simulated time the burst is spread over")
	speed := flag.Float64("speed", 1, "how much faster than real time the burst's clock runs")
	grace := flag.Duration("grace", 30*time.Minute, "simulated time after the feed to wait for delivery")
	runs := flag.Int("runs", 100, "latency runs (real clock)")
	seed := flag.Uint64("seed", 1, "seed for arrival times and retry jitter")
	flag.Parse()
	if *n <= 0 || *period <= 0 || *speed <= 0 || *runs < 0 {
		fmt.Fprintln(os.Stderr, "warroom-notify-load: -n, -period and -speed must be positive, -runs not negative")
		os.Exit(2)
	}
	if err := run(os.Stdout, *n, *period, *grace, *speed, *runs, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "warroom-notify-load:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, n int, period, grace time.Duration, speed float64, runs int, seed uint64) error {
	fmt.Fprintf(w, "burst: %d posts × 4 channels over %v simulated, speed ×%g, real limits enforced (%s/%s, %d CPUs)\n",
		n, period, speed, runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	res, err := runBurst(n, period, grace, speed, seed)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "took %v simulated, %v real\n\n", res.virtual.Round(time.Second), res.wall.Round(time.Millisecond))
	fmt.Fprintf(w, "%-9s %8s %9s %8s %7s %9s %7s %6s %10s %5s %12s %12s\n",
		"channel", "enqueued", "delivered", "ids", "merged", "ids-in-mg", "failed", "lost", "rate-refus", "retry", "delay-p50", "delay-max")
	bad := false
	for _, ch := range names {
		s := res.stats[ch]
		fmt.Fprintf(w, "%-9s %8d %9d %8d %7d %9d %7d %6d %10d %5d %12v %12v\n",
			ch, s.enqueued, s.delivered, s.idsDelivered, s.merged, s.idsMerged, s.failedIDs, res.lost[ch], s.rateRefused, s.retries,
			quantile(s.delays, 0.5).Round(time.Millisecond), quantile(s.delays, 1).Round(time.Millisecond))
		reasons := make([]string, 0, len(s.reasons))
		for r := range s.reasons {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		for _, r := range reasons {
			fmt.Fprintf(w, "          failed ×%d: %s\n", s.reasons[r], r)
		}
		if res.lost[ch] > 0 || s.rateRefused > 0 || s.idsDelivered+s.failedIDs != s.enqueued {
			bad = true
		}
	}
	if runs > 0 {
		all, per, err := latencies(runs)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nlatency, enqueue → accepted, real clock, %d runs, limits off:\n", runs)
		fmt.Fprintf(w, "  all four channels: median %v  p99 %v  max %v\n", quantile(all, 0.5).Round(time.Microsecond),
			quantile(all, 0.99).Round(time.Microsecond), quantile(all, 1).Round(time.Microsecond))
		for _, ch := range names {
			fmt.Fprintf(w, "  %-9s median %v  p99 %v\n", ch, quantile(per[ch], 0.5).Round(time.Microsecond), quantile(per[ch], 0.99).Round(time.Microsecond))
		}
	}
	if bad {
		return fmt.Errorf("posts were lost or refused for rate (see the table)")
	}
	return nil
}
