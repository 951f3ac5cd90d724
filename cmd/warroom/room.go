package main

import (
	"context"
	"io"
	"os"
	"path/filepath"

	"warroom/backends/config"
	"warroom/backends/room"
	"warroom/examples/drills"
	"warroom/themes"
	"warroom/tui"
)

// cmdRoom opens the room on the configured fleet.
func cmdRoom(ctx context.Context, args []string, stderr io.Writer) error {
	s, err := loadFromArgs("warroom", args, stderr)
	if err != nil {
		return err
	}
	return openRoom(ctx, s, liveOptions{readOnly: s.readOnly, control: true}, stderr)
}

// journalPath is where a config's journal lives.
func journalPath(cfg *config.Config) string {
	return filepath.Join(cfg.StateDir, "journal.jsonl")
}

// openRoom runs the whole live room and the terminal app until the user
// quits or ctx ends. Everything it starts has stopped when it returns.
func openRoom(ctx context.Context, s *setup, o liveOptions, stderr io.Writer) error {
	return openRoomWith(ctx, s, o, stderr, nil)
}

// openRoomWith is openRoom that also starts alongside what also serves the
// running room (the demo's SSH server), stopped before the room closes.
func openRoomWith(ctx context.Context, s *setup, o liveOptions, stderr io.Writer, alongside func(*setup, *live) (stop func(), err error)) error {
	th, err := themes.New(s.themeName, renderer(os.Stdout))
	if err != nil {
		return err
	}
	// The room outlives the signal, as in serve: the people leave it and it
	// journals their departures before Close stops it and syncs the journal.
	l, err := startLive(context.WithoutCancel(ctx), s.cfg, o, stderr)
	if err != nil {
		return err
	}
	defer l.Close()
	if alongside != nil {
		stop, err := alongside(s, l)
		if err != nil {
			return err
		}
		defer stop()
	}
	me := localActorIn(l.roster.Load(), localName())
	presence, err := l.door.Join(ctx, me, room.Presence{Via: "local"})
	if err != nil {
		return err
	}
	defer l.door.Leave(presence)
	opts := sessionOptions(s, l, th, me, presence)
	opts.Greeting, opts.Hosting, opts.Context = l.greeting, l.hosting, ctx
	return tui.NewSession(l.room.Subscribe(), opts).Run(ctx)
}

// sessionOptions is one session's app over the live room, the same for the
// local terminal and every SSH session: only the person, their theme (from
// their own renderer) and their presence differ.
func sessionOptions(s *setup, l *live, th *themes.Theme, actor room.Actor, presence string) tui.Options {
	return tui.Options{
		Room: l.door, Theme: th, Keymap: s.keymap, Actor: actor, PresenceID: presence,
		LagWarn: s.cfg.Thresholds.LagWarning, LagCrit: s.cfg.Thresholds.LagCritical,
		Snapshot: l.room.Snapshot(), Report: reportWriter(s.cfg),
		Drills: drills.Names(), LoadDrill: loadShippedDrill,
		KillLeader: l.killLeader,
	}
}
