package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"warroom/backends/config"
	"warroom/backends/room"
	"warroom/backends/textsafe"
)

// silenceArgs are the silence command's flags.
type silenceArgs struct {
	forText, reason, expire string
	list                    bool
}

func silenceFlags(o oneShot, local bool) (*flag.FlagSet, *roomFlags, *silenceArgs) {
	fs, rf := commandFlags("silence", o, local)
	var a silenceArgs
	fs.StringVar(&a.forText, "for", "1h", "how long, at most 7d, e.g. 30m, 2h or 1d")
	fs.StringVar(&a.reason, "reason", "", "why these alerts may be quiet (required)")
	fs.BoolVar(&a.list, "list", false, "list the silences in force and the scheduled windows")
	fs.StringVar(&a.expire, "expire", "", "end the silence with this id now")
	return fs, rf, &a
}

const silenceUsage = `silence: usage: silence MATCHER --for 2h --reason TEXT, silence --list, or silence --expire ID
(MATCHER: label=value terms joined by "," with alternatives by "|", e.g. mirror=tokyo|osaka,kind=mirror-lag;
labels severity, kind, mirror, region, level, alert)`

// cmdSilence is a local silence: silences live in the running room's
// journal, reached through its control socket.
func cmdSilence(ctx context.Context, args []string, o oneShot) error {
	fs, rf, _ := silenceFlags(o, true)
	if _, err := parseMixed(fs, args); err != nil {
		return err
	}
	s, err := load(*rf)
	if err != nil {
		return err
	}
	if ran, err := throughRoom(ctx, s.cfg, append([]string{"silence"}, args...), o); ran {
		return err
	}
	return fmt.Errorf("no room is running on %s: silences are kept by the running room; start it (warroom, or warroom serve) and try again, or use ssh warroom silence on the server",
		s.cfg.StateDir)
}

// remoteSilence starts, lists or ends silences in the room, as o.actor.
func remoteSilence(ctx context.Context, r liveRoom, args []string, o oneShot, local bool) error {
	fs, _, a := silenceFlags(o, local)
	pos, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case a.list:
		if len(pos) > 0 || a.expire != "" {
			return usageError(silenceUsage)
		}
		return listSilences(o.stdout, r.Snapshot())
	case a.expire != "":
		if len(pos) > 0 {
			return usageError(silenceUsage)
		}
		if err := r.ExpireSilence(ctx, a.expire, o.actor); err != nil {
			return err
		}
		fmt.Fprintf(o.stdout, "ended %s as %s: the alerts it held are routed again\n", a.expire, o.actor.Name)
		return nil
	case len(pos) == 0:
		return usageError(silenceUsage)
	}
	d, err := config.ParseDuration(strings.TrimSpace(a.forText))
	if err != nil || d <= 0 {
		return usageError(fmt.Sprintf("silence: --for %q is not a duration (want e.g. 30m, 2h, 1d)", a.forText))
	}
	if strings.TrimSpace(a.reason) == "" {
		return usageError("silence: --reason is required: say why these alerts may be quiet, e.g. --reason \"planned disk swap\"")
	}
	// Terms given as separate words are one matcher: silence mirror=tokyo kind=mirror-lag.
	req := room.SilenceRequest{Matcher: strings.Join(pos, ","), For: d, Reason: a.reason}
	id, err := r.Silence(ctx, req, o.actor)
	if err != nil {
		return err
	}
	snap := shownSilence(ctx, r, id)
	held, v := 0, room.SilenceView{Matcher: req.Matcher}
	for _, al := range snap.Alerts {
		if al.Silence != nil && al.Silence.ID == id {
			held++
		}
	}
	for _, s := range snap.Silences {
		if s.ID == id {
			v = s
		}
	}
	fmt.Fprintf(o.stdout, "%s: silenced %s as %s until %s (%d alert(s) match now; they still show, but are not routed)\n",
		id, textsafe.Line(v.Matcher), o.actor.Name, silenceTime(v.End), held)
	return nil
}

// shownSilence is the first snapshot that shows the silence id (the
// command returns once it is journaled, a moment before it is published),
// or the latest after a short wait.
func shownSilence(ctx context.Context, r liveRoom, id string) *room.Snapshot {
	sub := r.Subscribe()
	defer sub.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	for {
		select {
		case snap := <-sub.C():
			for _, s := range snap.Silences {
				if s.ID == id {
					return snap
				}
			}
		case <-ctx.Done():
			if snap := r.Snapshot(); snap != nil {
				return snap
			}
			return &room.Snapshot{}
		}
	}
}

// listSilences prints the silences in force and the scheduled windows.
func listSilences(w io.Writer, snap *room.Snapshot) error {
	if snap == nil {
		return errors.New("the room has not published its state yet; try again in a moment")
	}
	if len(snap.Silences) == 0 {
		fmt.Fprintln(w, "no silences")
		return nil
	}
	held := map[string]int{}
	for _, a := range snap.Alerts {
		if a.Silence != nil {
			held[a.Silence.ID]++
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tMATCHER\tBY\tFROM\tUNTIL\tLEFT\tALERTS\tREASON")
	now := time.Now() // a quiet room publishes rarely: its snapshot's time may be old
	for _, s := range snap.Silences {
		left := "scheduled"
		if !now.Before(s.Start) {
			left = s.End.Sub(now).Truncate(time.Second).String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", textsafe.Line(s.ID), textsafe.Line(s.Matcher),
			textsafe.Line(s.By), silenceTime(s.Start), silenceTime(s.End), left, held[s.ID], textsafe.Line(s.Reason))
	}
	return tw.Flush()
}

// silenceTime is a time as the lists show it, in UTC so it reads the same on
// every machine.
func silenceTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}
