package main

import (
	"context"
	"flag"
	"fmt"
)

// roomCommand runs one of the binary's commands against a running room as
// o.actor; the room refuses what the role may not do. It serves both the
// SSH commands and the local ones that reach a room through its control
// socket. local: the arguments are a local command line, which may carry
// the flags that choose a config (--config …); the running room acts with
// its own config, so they are accepted and ignored.
func roomCommand(ctx context.Context, l *live, args []string, o oneShot, local bool) error {
	if len(args) == 0 {
		return usageError("no command")
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "status":
		return remoteStatus(l.door.Snapshot(), args, o)
	case "ack":
		return remoteAck(ctx, l.door, args, o, local)
	case "silence":
		return remoteSilence(ctx, l.door, args, o, local)
	case "failover", "failback", "rollback":
		f, pos, err := parseAct(cmd, args, o.stderr, local)
		if err != nil {
			return err
		}
		return runAct(ctx, l, cmd, f, pos, o)
	case "announce":
		f, err := parseAnnounce(args, o, local)
		if err != nil {
			return err
		}
		return runAnnounce(ctx, l, f, o)
	case "approve":
		return remoteApprove(ctx, l.door, args, o, local)
	case "reject":
		return remoteReject(ctx, l.door, args, o, local)
	}
	return usageError(fmt.Sprintf("unknown command %q", cmd))
}

// commandFlags is a room command's flag set; a local one also takes the
// flags that choose a config, returned so the command can read them.
func commandFlags(name string, o oneShot, local bool) (*flag.FlagSet, *roomFlags) {
	fs := newFlags(name, o.stderr)
	var rf roomFlags
	if local {
		rf.register(fs)
	}
	return fs, &rf
}

// remoteAck acknowledges one alert.
func remoteAck(ctx context.Context, r liveRoom, args []string, o oneShot, local bool) error {
	fs, _ := commandFlags("ack", o, local)
	pos, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("ack: usage: ack ALERT (the id the alerts pane and status show)")
	}
	if err := r.Ack(ctx, pos[0], o.actor); err != nil {
		return err
	}
	fmt.Fprintf(o.stdout, "acknowledged %s as %s\n", pos[0], o.actor.Name)
	return nil
}
