package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"warroom/backends/config"
	"warroom/backends/room"
)

// actFlags are the flags of failover, failback and rollback.
type actFlags struct {
	roomFlags
	from, to    string
	dryRun, yes bool
	list        bool
}

// oneShot is what a command without a screen needs: where to write, what
// to read confirmations from, and who is acting.
type oneShot struct {
	stdin          *bufio.Reader
	stdout, stderr io.Writer
	actor          room.Actor
}

// ask prints a question and reads one line of answer.
func (o oneShot) ask(question string) (string, error) {
	fmt.Fprint(o.stdout, question)
	line, err := o.stdin.ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("no answer on standard input (use --yes in scripts)")
	}
	return strings.TrimSpace(line), nil
}

// cmdAct runs failover, failback or rollback without a screen: it looks at
// the fleet once, prints the plan, asks for confirmation (unless --yes),
// runs it through the room (journaled like a keystroke) and waits.
func cmdAct(ctx context.Context, kind string, args []string, io oneShot) error {
	f, pos, err := parseAct(kind, args, io.stderr, true)
	if err != nil {
		return err
	}
	s, err := load(f.roomFlags)
	if err != nil {
		return err
	}
	if ran, err := throughRoom(ctx, s.cfg, append([]string{kind}, args...), io); ran {
		return err
	}
	io.actor = localActorIn(localRoster(s.cfg), io.actor.Name)
	// A dry run or a list only looks: it must not write the journal.
	look := f.dryRun || f.list
	l, err := startLive(ctx, s.cfg, liveOptions{readOnly: s.readOnly, decisive: true, noHosts: true, lookOnly: look}, io.stderr)
	if err != nil {
		return err
	}
	defer l.Close()
	return runAct(ctx, l, kind, f, pos, io)
}

// parseAct reads an action's flags; local adds the flags that choose a
// config (an SSH command acts on the server's room instead).
func parseAct(kind string, args []string, stderr io.Writer, local bool) (actFlags, []string, error) {
	var f actFlags
	fs := newFlags(kind, stderr)
	if local {
		f.register(fs)
	}
	fs.BoolVar(&f.dryRun, "dry-run", false, "print what would run, run nothing")
	fs.BoolVar(&f.yes, "yes", false, "do not ask for confirmation")
	switch kind {
	case room.Failover:
		fs.StringVar(&f.from, "from", "", "the mirror to move traffic away from (default: the active one)")
	case room.Rollback:
		fs.StringVar(&f.to, "to", "", "the version to roll back to")
		fs.BoolVar(&f.list, "list", false, "list the versions and exit")
	}
	pos, err := parseMixed(fs, args)
	if err != nil {
		return f, nil, err
	}
	if len(pos) > 1 || (kind == room.Failback && len(pos) > 0) || (kind == room.Rollback && len(pos) != 1) {
		return f, nil, usageError(fmt.Sprintf("%s: %s", kind, actUsage[kind]))
	}
	return f, pos, nil
}

// runAct is an action's core on an open room: the local command's own room
// or the SSH server's.
func runAct(ctx context.Context, l *live, kind string, f actFlags, pos []string, io oneShot) error {
	snap, err := firstLook(ctx, l.door, l.cfg)
	if err != nil {
		return err
	}
	var req room.Request
	switch kind {
	case room.Failover:
		req, err = failoverRequest(snap, f.from, pos)
	case room.Failback:
		if snap.Failback == nil {
			return fmt.Errorf("failback: not offered: %s", whyNoFailback(snap))
		}
		req = snap.Failback.Request
	case room.Rollback:
		if f.list || f.to == "" {
			// --list asked for the list; a missing --to is a mistake shown with it.
			return listVersions(ctx, l.door, pos[0], !f.list, io.stdout)
		}
		req = room.Request{Kind: room.Rollback, Target: pos[0], Version: f.to}
	}
	if err != nil {
		return err
	}
	p, err := l.door.Preview(ctx, req, io.actor)
	if err != nil {
		return err
	}
	printPreview(io.stdout, snap, p)
	if f.dryRun {
		fmt.Fprintln(io.stdout, "dry run: nothing was run")
		return nil
	}
	if f.readOnly {
		return fmt.Errorf("%s: read-only (--readonly): actions are disabled; nothing was run", kind)
	}
	if !f.yes {
		if err := confirmByName(io, confirmName(req)); err != nil {
			return err
		}
	}
	id, err := l.door.Act(ctx, req, io.actor)
	if err != nil {
		return err
	}
	return follow(ctx, l.door, id, io, f.yes)
}

var actUsage = map[string]string{
	room.Failover: "usage: warroom failover [--from MIRROR] [--dry-run] [--yes] [TO]",
	room.Failback: "usage: warroom failback [--dry-run] [--yes]",
	room.Rollback: "usage: warroom rollback TARGET --to VERSION [--dry-run] [--yes] (or --list)",
}

// firstLook waits until every mirror has been probed once.
func firstLook(ctx context.Context, r liveRoom, cfg *config.Config) (*room.Snapshot, error) {
	sub := r.Subscribe()
	defer sub.Close()
	wait := cfg.Origin.Health.Timeout
	for _, m := range cfg.Mirrors {
		wait = max(wait, m.Health.Timeout)
	}
	deadline := time.NewTimer(wait + 2*time.Second)
	defer deadline.Stop()
	for {
		select {
		case s := <-sub.C():
			if probedAll(s) {
				return s, nil
			}
		case <-deadline.C:
			return r.Snapshot(), nil // act on what answered; the rest show as unknown
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

func probedAll(s *room.Snapshot) bool {
	if s.Origin.LastProbe.IsZero() {
		return false
	}
	for _, m := range s.Mirrors {
		if m.LastProbe.IsZero() {
			return false
		}
	}
	return true
}

// failoverRequest picks the source (the active mirror) and the target
// (the named one, or the best-ranked healthy one).
func failoverRequest(s *room.Snapshot, from string, pos []string) (room.Request, error) {
	if from == "" {
		var active []string
		for _, m := range s.Mirrors {
			if m.Role == "active" {
				active = append(active, m.Name)
			}
		}
		switch len(active) {
		case 0:
			return room.Request{}, fmt.Errorf("failover: no mirror is active; nothing to move")
		case 1:
			from = active[0]
		default:
			return room.Request{}, usageError(fmt.Sprintf("failover: %d mirrors are active (%s): say which with --from", len(active), strings.Join(active, ", ")))
		}
	}
	if len(pos) == 1 {
		return room.Request{Kind: room.Failover, From: from, To: pos[0]}, nil
	}
	if best, ok := room.Best(room.Rank(s, from)); ok {
		return room.Request{Kind: room.Failover, From: from, To: best.Mirror.Name}, nil
	}
	return room.Request{}, fmt.Errorf("failover: no mirror is fit to take %s's traffic (each is drifted, down, flapping or erring); name one to force it", from)
}

func whyNoFailback(s *room.Snapshot) string {
	if s.FailbackWait != "" {
		return s.FailbackWait
	}
	for i := len(s.Actions) - 1; i >= 0; i-- {
		a := s.Actions[i]
		if a.Request.Kind == room.Failover && a.State == room.ActionSucceeded {
			return fmt.Sprintf("%s is not yet healthy and caught up with the origin", a.Request.From)
		}
	}
	return "no failover has moved traffic away from its primary"
}

func listVersions(ctx context.Context, r liveRoom, target string, missing bool, w io.Writer) error {
	vs, err := r.Versions(ctx, target)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "versions of %s, newest first:\n", target)
	for _, v := range vs {
		age := ""
		if !v.At.IsZero() {
			age = fmt.Sprintf("  (%s ago)", time.Since(v.At).Round(time.Minute))
		}
		fmt.Fprintf(w, "  %-24s %s%s\n", v.ID, v.Label, age)
	}
	if missing {
		return usageError(fmt.Sprintf("rollback: choose a version with --to (e.g. --to %s)", firstID(vs)))
	}
	return nil
}

func firstID(vs []room.Version) string {
	if len(vs) == 0 {
		return "VERSION"
	}
	return vs[0].ID
}

func printPreview(w io.Writer, s *room.Snapshot, p room.Preview) {
	fmt.Fprintf(w, "%s via %s (%s), timeout %s\n", p.Request.String(), p.Executor, p.Kind, p.Timeout)
	if p.Request.Kind != room.Rollback {
		rpo := "unknown (no lag reading)"
		if p.RPOKnown {
			rpo = fmt.Sprintf("up to %s of changes not yet on %s", p.RPO.Round(time.Second), p.Request.To)
		}
		fmt.Fprintf(w, "RPO: %s\n", rpo)
		for _, c := range room.Rank(s, p.Request.From) {
			if c.Mirror.Name == p.Request.To {
				for _, warn := range c.Warnings {
					fmt.Fprintf(w, "warning: %s\n", warn)
				}
			}
		}
	}
	fmt.Fprintln(w, "will run:")
	for _, line := range p.Plan {
		fmt.Fprintf(w, "  %s\n", line)
	}
}

// endedText says how an action that did not succeed ended, and why.
func endedText(a room.ActionView) string {
	switch a.State {
	case room.ActionRejected:
		if a.Err == "" {
			return "was rejected by " + a.RejectedBy
		}
		return fmt.Sprintf("was rejected by %s: %s", a.RejectedBy, a.Err)
	case room.ActionExpired:
		return "expired: " + a.Err
	}
	return fmt.Sprintf("%s: %s", a.State, a.Err)
}

// confirmName is what a person types to confirm: the target's name.
func confirmName(r room.Request) string {
	if r.Kind == room.Rollback {
		return r.Target
	}
	return r.To
}

func confirmByName(io oneShot, name string) error {
	line, err := io.ask(fmt.Sprintf("type %q to confirm: ", name))
	if err != nil {
		return fmt.Errorf("not confirmed: %v", err)
	}
	if line != name {
		return fmt.Errorf("not confirmed: typed %q, not %q; nothing was run", line, name)
	}
	return nil
}

// follow prints an action's output as it comes and returns its outcome.
// A paused batch rollback (a failed batch, or one that soaked) asks how
// to go on (--yes aborts).
func follow(ctx context.Context, r liveRoom, id string, io oneShot, yes bool) error {
	sub := r.Subscribe()
	defer sub.Close()
	w := io.stdout
	printed, asked := 0, ""
	toldAwaiting, toldApproved := false, false
	for {
		select {
		case s := <-sub.C():
			for _, a := range s.Actions {
				if a.ID != id {
					continue
				}
				// Output keeps the last lines; print the ones not yet shown.
				total := a.OutputLines
				for i := max(printed, total-len(a.Output)); i < total; i++ {
					fmt.Fprintf(w, "  | %s\n", a.Output[i-(total-len(a.Output))])
				}
				printed = total
				// Snapshots are latest-wins: the one that showed the approval
				// may be skipped, so say it from whichever snapshot has it.
				if a.ApprovedBy != "" && !toldApproved {
					toldApproved = true
					fmt.Fprintf(w, "%s approved by %s\n", id, a.ApprovedBy)
				}
				switch {
				case a.State == room.ActionSucceeded:
					fmt.Fprintf(w, "%s succeeded: %s\n", id, a.Confirmed)
					return nil
				case a.State.Ended():
					return failed{fmt.Errorf("%s %s", id, endedText(a))}
				case a.State == room.ActionAwaiting && !toldAwaiting:
					toldAwaiting = true
					fmt.Fprintf(w, "%s awaits a commander's approval until %s (they press Y in the room, or run: ssh warroom approve %s)\n",
						id, a.ApprovalDue.Format("15:04:05"), id)
				case a.State == room.ActionPaused:
					pause := fmt.Sprintf("%d/%v", a.Batch, a.Soaked) // a soak's pause and a failure's differ
					if pause == asked {
						continue
					}
					asked = pause
					question := fmt.Sprintf("batch %d/%d failed: %s\nretry, continue or abort? ", a.Batch, a.Batches, a.Err)
					if a.Soaked {
						question = fmt.Sprintf("batch %d/%d went well and soaked; check it\ncontinue or abort? ", a.Batch, a.Batches)
					}
					decision := "abort"
					if !yes {
						var err error
						if decision, err = io.ask(question); err != nil {
							decision = "abort"
						}
					}
					if err := r.Decide(ctx, id, decision, io.actor); err != nil {
						fmt.Fprintf(w, "%v\n", err)
						asked = ""
					}
				default:
					asked = "" // running again: its next pause is asked anew
				}
			}
		case <-ctx.Done():
			return fmt.Errorf("%s: interrupted while it ran; the room shows its outcome", id)
		}
	}
}
