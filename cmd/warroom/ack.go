package main

import "context"

// cmdAck acknowledges an alert: in the running room through its control
// socket, or, when none runs, in a room of its own on the journal.
func cmdAck(ctx context.Context, args []string, o oneShot) error {
	fs, rf := commandFlags("ack", o, true)
	if _, err := parseMixed(fs, args); err != nil {
		return err
	}
	s, err := load(*rf)
	if err != nil {
		return err
	}
	if ran, err := throughRoom(ctx, s.cfg, append([]string{"ack"}, args...), o); ran {
		return err
	}
	o.actor = localActorIn(localRoster(s.cfg), o.actor.Name)
	l, err := startLive(ctx, s.cfg, liveOptions{decisive: true, noHosts: true}, o.stderr)
	if err != nil {
		return err
	}
	defer l.Close()
	return remoteAck(ctx, l.door, args, o, true)
}
