package main

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"warroom/backends/room"
)

// remoteUsage is the help of `ssh warroom COMMAND`.
const remoteUsage = `Commands over SSH (they act on the server's room, as you, under your role):
  ssh warroom status [--json]                 the fleet as the room sees it; exit 1 if anything is critical
  ssh warroom ack ALERT                       acknowledge an alert
  ssh warroom silence MATCHER --for 2h --reason TEXT  quiet matching alerts' pages (--list, --expire ID)
  ssh warroom failover [--from M] [TO] --yes  move traffic (--dry-run shows the plan)
  ssh warroom failback --yes                  move traffic back to the primary
  ssh warroom rollback TARGET --to VERSION --yes  (or --list)
  ssh warroom announce --template NAME --yes  post an update (--set field=value, --channel NAME)
  ssh warroom approve [ID]                    approve a request awaiting a commander (no id: list them)
  ssh warroom reject ID [--reason TEXT]       reject it, saying why
Without --yes the command asks on standard input. Without a command you get the room.
`

// remoteCommand runs one of the binary's commands against the server's
// running room on behalf of actor; the room refuses what the role may not do.
func remoteCommand(ctx context.Context, sr *sshRoom, args []string, stdin io.Reader, stdout, stderr io.Writer, actor room.Actor) error {
	if len(args) > 0 && (args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
		fmt.Fprint(stdout, remoteUsage)
		return nil
	}
	o := oneShot{stdin: bufio.NewReader(stdin), stdout: stdout, stderr: stderr, actor: actor}
	return roomCommand(ctx, sr.live, args, o, false)
}

// remoteExit is exitCode with the SSH commands' own usage text.
func remoteExit(err error, stderr io.Writer) int { return exitWith(err, stderr, remoteUsage) }

// remoteStatus prints the room's current view of the fleet: no probe of
// its own, the server's probes already run.
func remoteStatus(snap *room.Snapshot, args []string, o oneShot) error {
	fs := newFlags("status", o.stderr)
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if err := parse(fs, args); err != nil {
		return err
	}
	return printStatus(o.stdout, statusReport{snap: snap}, *asJSON)
}
