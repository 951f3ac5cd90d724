// Command warroom is a terminal command centre for incident response on a
// mirrored site: live mirror health, sync lag, host metrics and alerts.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `warroom — a terminal command centre for incidents on mirrored sites

Usage:
  warroom [--config FILE]                 open the room on a real fleet
  warroom demo [--mirrors N] [--seed N]   open the room on a simulated fleet (--serve ADDR: over SSH too; --cluster 3: on three nodes)
  warroom serve --config FILE [--listen ADDR]  serve the room over SSH: ssh -p 2222 NAME@HOST
  warroom check --config FILE             validate a config and exit
  warroom status --config FILE [--json]   probe once, print the fleet, exit 1 if anything is critical
  warroom cluster status [--json]         the cluster's members, leader, term and each node's lag; exit 1 without quorum
  warroom failover [--from M] [TO]        move traffic from the active mirror to TO (default: the best one)
  warroom failback                        move traffic back to the original primary once it is ready
  warroom rollback TARGET --to VERSION    roll TARGET back (--list shows the versions)
  warroom announce --template NAME        post an update (--set field=value, --channel NAME)
  warroom ack ALERT                       acknowledge an alert
  warroom silence MATCHER --for 2h --reason TEXT  shown but not routed, e.g. mirror=tokyo,kind=mirror-lag (--list, --expire ID)
  warroom approve [ID] / reject ID        answer a request waiting in the running room (--reason TEXT)
  warroom report [--incident ID]          write the post-incident review from the journal (--list, --format json, -o FILE)
  warroom drill [--demo] SCENARIO         rehearse an outage (--list: the shipped ones; --headless: print the scorecard, exit 1 if a goal was missed)
  warroom version                         print the version and build (also --version)
  warroom CMD --help                      that command's flags

Actions and announce print the plan and ask first; --dry-run prints it and
stops, --yes skips the question. They exit 1 when the action fails.
Beside a running room (same state_dir) they act through it, as you, under
your role; with no room running they open the journal themselves.

The config defaults to $WARROOM_CONFIG, then ~/.config/warroom/warroom.yaml.
Exit codes: 0 fine, 1 something is critical (status), 2 warroom could not run.
Options for the room: --theme dark|light|high-contrast, --keymap default|vim,
--readonly (hide and refuse every action).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run dispatches a command line and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := ""
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if cmd == "" && len(args) > 0 && (args[0] == "--version" || args[0] == "-version") {
		cmd, args = "version", args[1:]
	}
	var err error
	switch cmd {
	case "":
		err = cmdRoom(ctx, args, stderr)
	case "demo":
		err = cmdDemo(ctx, args, stderr)
	case "serve":
		err = cmdServe(ctx, args, stderr)
	case "demo-node": // demo --cluster's children
		err = cmdDemoNode(ctx, args, stderr)
	case "check":
		err = cmdCheck(ctx, args, stdout, stderr)
	case "status":
		err = cmdStatus(ctx, args, stdout, stderr)
	case "cluster":
		err = cmdCluster(ctx, args, stdout, stderr)
	case "failover", "failback", "rollback":
		err = cmdAct(ctx, cmd, args, oneShot{stdin: bufio.NewReader(stdin), stdout: stdout, stderr: stderr, actor: localActor()})
	case "announce":
		err = cmdAnnounce(ctx, args, oneShot{stdin: bufio.NewReader(stdin), stdout: stdout, stderr: stderr, actor: localActor()})
	case "ack":
		err = cmdAck(ctx, args, oneShot{stdin: bufio.NewReader(stdin), stdout: stdout, stderr: stderr, actor: localActor()})
	case "silence":
		err = cmdSilence(ctx, args, oneShot{stdin: bufio.NewReader(stdin), stdout: stdout, stderr: stderr, actor: localActor()})
	case "approve", "reject":
		err = cmdAnswer(ctx, cmd, args, oneShot{stdin: bufio.NewReader(stdin), stdout: stdout, stderr: stderr, actor: localActor()})
	case "drill":
		err = cmdDrill(ctx, args, stdout, stderr)
	case "report":
		err = cmdReport(ctx, args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
	case "version":
		err = cmdVersion(args, stdout)
	default:
		err = usageError(fmt.Sprintf("unknown command %q", cmd))
	}
	// Help that was asked for goes to stdout, so it can be paged.
	if hr := (helpRequest{}); errors.As(err, &hr) {
		writeHelp(stdout, hr.fs, usage)
		return 0
	}
	return exitCode(err, stderr)
}

// exitCode reports err on stderr and turns it into the exit code.
func exitCode(err error, stderr io.Writer) int { return exitWith(err, stderr, usage) }

// exitWith is exitCode with the usage text of where the command ran; SSH
// commands return theirs through the same mapping with their own text.
func exitWith(err error, stderr io.Writer, text string) int {
	var (
		ue usageError
		fe flagError
		hr helpRequest
		es exitStatus
	)
	switch {
	case err == nil:
		return 0
	case errors.As(err, &hr):
		writeHelp(stderr, hr.fs, text)
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &fe):
		fmt.Fprintf(stderr, "warroom: %s\n\n", fe.msg)
		writeHelp(stderr, fe.fs, text)
		return 2
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "warroom: %s\n\n%s", ue, text)
		return 2
	case errors.Is(err, errCritical):
		return 1
	case errors.As(err, &es):
		return int(es) // the room's command printed its own errors
	case errors.As(err, new(failed)):
		fmt.Fprintf(stderr, "warroom: %v\n", err)
		return 1
	default:
		fmt.Fprintf(stderr, "warroom: %v\n", err)
		return 2
	}
}

// usageError is a mistake in the command line itself.
type usageError string

func (e usageError) Error() string { return string(e) }

// failed is an action or announcement that ran and failed (exit 1), as
// opposed to one that could not run at all (exit 2).
type failed struct{ error }

func (f failed) Unwrap() error { return f.error }

// errCritical is returned by status when the fleet has something critical;
// the table already said what.
var errCritical = errors.New("critical")

// newFlags makes a flag set that reports errors instead of exiting and
// prints nothing itself: parseErr's result says what went wrong once, with
// the command's own flags (the flag package would print them a second time).
func newFlags(name string, _ io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// parseMixed parses flags wherever they stand among the arguments
// (`rollback web --to v2 --yes`, `reject ACT-3 --reason "…"`), which the
// flag package alone stops at the first argument; "--" ends the flags.
// It returns the arguments that are not flags, in order.
func parseMixed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, parseErr(fs, err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// parse parses flags and refuses stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return parseErr(fs, err)
	}
	if fs.NArg() > 0 {
		return usageError(fmt.Sprintf("%s: unexpected argument %q", fs.Name(), fs.Arg(0)))
	}
	return nil
}
