// Command warroom-sshload measures `warroom serve` under many SSH viewers:
// it runs a simulated fleet, starts the real binary's server on loopback
// for it, connects N PTY sessions with golang.org/x/crypto/ssh while the
// fleet changes, and reports the server's CPU and memory, bytes per
// session, time to first frame and the delay from a change in the room to
// each screen. The fleet runs in this process, so the server's figures are
// the server's alone.
//
//	go build -o /tmp/warroom ./cmd/warroom
//	go run ./cmd/warroom-sshload --bin /tmp/warroom --sessions 100 --duration 30s
//	go run ./cmd/warroom-sshload --bin /tmp/warroom --sessions 50 --stalled 200
//	go run ./cmd/warroom-sshload --bin /tmp/warroom --sessions 100 --naive   # then the naive server, same run
//	go run ./cmd/warroom-sshload --bin /tmp/warroom --sessions 25 --frozen   # bytes while only the clock moves
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	var err error
	if len(os.Args) > 1 && os.Args[1] == naiveCommand {
		err = naiveServe(ctx, os.Args[2:])
	} else {
		err = run(ctx, os.Args[1:])
	}
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "warroom-sshload: %v\n", err)
		os.Exit(1)
	}
}

// options are the command line.
type options struct {
	bin         string
	sessions    int
	duration    time.Duration
	mirrors     int
	width       int
	height      int
	toggle      time.Duration
	mark        time.Duration
	stalled     int
	probes      int
	stalledWait time.Duration
	keep        bool
	naive       bool
	frozen      bool
}

func run(ctx context.Context, args []string) error {
	var o options
	fs := flag.NewFlagSet("warroom-sshload", flag.ContinueOnError)
	fs.StringVar(&o.bin, "bin", "warroom", "the warroom binary to serve with (go build -o /tmp/warroom ./cmd/warroom)")
	fs.IntVar(&o.sessions, "sessions", 25, "PTY sessions kept open while measuring")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "how long to measure with every session open")
	fs.IntVar(&o.mirrors, "mirrors", 8, "simulated mirrors")
	fs.IntVar(&o.width, "width", 120, "terminal width of every session")
	fs.IntVar(&o.height, "height", 40, "terminal height of every session")
	fs.DurationVar(&o.toggle, "toggle", 7*time.Second, "take a backup mirror down and up this often (state changes to time)")
	fs.DurationVar(&o.mark, "mark", 3*time.Second, "a marker user joins and leaves this often: the changes timed from room to screen")
	fs.IntVar(&o.probes, "probes", 20, "first-frame probes (connect, first frame, close) with every session open")
	fs.IntVar(&o.stalled, "stalled", 0, "then open this many TCP connections that never send an SSH version, and time a real user's first frame")
	fs.DurationVar(&o.stalledWait, "stalled-wait", 15*time.Second, "how long to wait for the server to close the stalled connections")
	fs.BoolVar(&o.naive, "naive", false, "then measure the naive design (one program per session, nothing shared) the same way on the same fleet, and give the ratio")
	fs.BoolVar(&o.frozen, "frozen", false, "freeze the fleet (no animation, no toggling, no marker): the bytes sent while only the clock and the host's figures change")
	fs.BoolVar(&o.keep, "keep", false, "keep the state folder (config, journal, server log) and print where")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.sessions < 1 || o.sessions > 2000 {
		return fmt.Errorf("--sessions %d: want 1 to 2000", o.sessions)
	}
	return measure(ctx, o)
}
