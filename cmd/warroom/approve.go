package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"warroom/backends/room"
)

// remoteApprove is `ssh warroom approve [ID]`: without an id it lists the
// requests awaiting approval, with one it approves it as the SSH user.
func remoteApprove(ctx context.Context, r liveRoom, args []string, o oneShot, local bool) error {
	fs, _, _ := answerFlags("approve", o, local)
	pos, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	switch len(pos) {
	case 0:
		return listAwaiting(o.stdout, r.Snapshot())
	case 1:
	default:
		return usageError("approve: usage: approve [ID] (no id lists the requests awaiting approval)")
	}
	id := pos[0]
	if err := r.Approve(ctx, id, o.actor); err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "approved %s as %s: it runs now\n", id, o.actor.Name)
	return nil
}

// answerFlags are approve's and reject's flags; reason is reject's --reason.
func answerFlags(cmd string, o oneShot, local bool) (fs *flag.FlagSet, rf *roomFlags, reason *string) {
	fs, rf = commandFlags(cmd, o, local)
	reason = new(string)
	if cmd == "reject" {
		fs.StringVar(reason, "reason", "", "why, for the requester and the timeline")
	}
	return fs, rf, reason
}

// cmdAnswer is a local approve or reject: it answers in the running room,
// through its control socket; requests wait nowhere else.
func cmdAnswer(ctx context.Context, cmd string, args []string, o oneShot) error {
	fs, rf, _ := answerFlags(cmd, o, true)
	if _, err := parseMixed(fs, args); err != nil {
		return err
	}
	s, err := load(*rf)
	if err != nil {
		return fmt.Errorf("%w\n%v", err, approvalsAreShared(cmd))
	}
	ran, err := throughRoom(ctx, s.cfg, append([]string{cmd}, args...), o)
	if ran {
		return err
	}
	return fmt.Errorf("no room is running on %s: %w", s.cfg.StateDir, approvalsAreShared(cmd))
}

// remoteReject is `ssh warroom reject ID [--reason TEXT]`.
func remoteReject(ctx context.Context, r liveRoom, args []string, o oneShot, local bool) error {
	fs, _, reason := answerFlags("reject", o, local)
	pos, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("reject: usage: reject ID [--reason TEXT] (approve without an id lists the requests)")
	}
	id := pos[0]
	if err := r.Reject(ctx, id, strings.TrimSpace(*reason), o.actor); err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "rejected %s as %s\n", id, o.actor.Name)
	return nil
}

// listAwaiting prints the requests waiting for a commander, oldest first.
func listAwaiting(w io.Writer, snap *room.Snapshot) error {
	var waiting []room.ActionView
	for _, a := range snap.Actions {
		if a.State == room.ActionAwaiting {
			waiting = append(waiting, a)
		}
	}
	if len(waiting) == 0 {
		_, err := fmt.Fprintln(w, "no request awaits approval")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tREQUESTED BY\tACTION\tEXPIRES")
	for _, a := range waiting {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.ID, a.RequestedBy, a.Request.String(), a.ApprovalDue.Format("15:04:05"))
	}
	return tw.Flush()
}

// approvalsAreShared is the answer to a local `warroom approve` with no
// room running: requests wait in a running room.
func approvalsAreShared(cmd string) error {
	return fmt.Errorf("%s answers a request waiting in a running room: use %s in the room, `warroom %s ID` beside it, or `ssh warroom %s ID` on a served room", cmd, map[string]string{"approve": "Y", "reject": "N"}[cmd], cmd, cmd)
}
