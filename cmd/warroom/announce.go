package main

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"warroom/backends/notify"
	"warroom/backends/room"
)

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// announceFlags are announce's flags besides the config's.
type announceFlags struct {
	roomFlags
	sets, chans       multi
	tmpl              string
	list, dryRun, yes bool
}

// cmdAnnounce renders a template with the room's pre-filled fields (and
// --set overrides), shows each channel's exact payload on --dry-run, and
// otherwise sends through the room's outbox and waits for every channel.
func cmdAnnounce(ctx context.Context, args []string, io oneShot) error {
	f, err := parseAnnounce(args, io, true)
	if err != nil {
		return err
	}
	s, err := load(f.roomFlags)
	if err != nil {
		return err
	}
	templates, err := buildTemplates(s.cfg)
	if err != nil {
		return err
	}
	if f.list || f.tmpl == "" {
		return listTemplates(templates, f.list, io)
	}
	if ran, err := throughRoom(ctx, s.cfg, append([]string{"announce"}, args...), io); ran {
		return err
	}
	io.actor = localActorIn(localRoster(s.cfg), io.actor.Name)
	// A dry run only looks: it must not write the journal nor resume posts.
	l, err := startLive(ctx, s.cfg, liveOptions{decisive: true, noHosts: true, lookOnly: f.dryRun}, io.stderr)
	if err != nil {
		return err
	}
	defer l.Close()
	return runAnnounce(ctx, l, f, io)
}

// parseAnnounce reads announce's flags; local adds the flags that choose a
// config (an SSH command announces in the server's room instead).
func parseAnnounce(args []string, io oneShot, local bool) (announceFlags, error) {
	var f announceFlags
	fs := newFlags("announce", io.stderr)
	if local {
		f.register(fs)
	}
	fs.StringVar(&f.tmpl, "template", "", "template name (see --list)")
	fs.BoolVar(&f.list, "list", false, "list the templates and exit")
	fs.BoolVar(&f.dryRun, "dry-run", false, "print each channel's exact payload, send nothing")
	fs.BoolVar(&f.yes, "yes", false, "do not ask for confirmation")
	fs.Var(&f.sets, "set", "field=value, repeatable (e.g. --set ExpectedRecovery=\"14:30 UTC\")")
	fs.Var(&f.chans, "channel", "channel name, repeatable (default: every channel)")
	return f, parse(fs, args)
}

// listTemplates names the templates; without --list, a template is missing.
func listTemplates(templates *notify.Templates, list bool, io oneShot) error {
	fmt.Fprintf(io.stdout, "templates: %s\n", strings.Join(templates.Names(), ", "))
	if list {
		return nil
	}
	return usageError("announce: choose one with --template NAME")
}

// runAnnounce is announce's core on an open room: the local command's own
// room or the SSH server's.
func runAnnounce(ctx context.Context, l *live, f announceFlags, io oneShot) error {
	templates, chans := l.templates, f.chans
	if f.list || f.tmpl == "" {
		return listTemplates(templates, f.list, io)
	}
	snap, err := firstLook(ctx, l.door, l.cfg)
	if err != nil {
		return err
	}
	tm, _ := templates.Get(f.tmpl)
	fields := room.Prefill(snap, tm.Lang)
	for _, kv := range f.sets {
		if err := setField(&fields, kv); err != nil {
			return usageError("announce: --set " + err.Error())
		}
	}
	title, text, err := templates.Render(f.tmpl, fields)
	if err != nil {
		return err
	}
	if len(chans) == 0 {
		for _, c := range snap.Channels {
			chans = append(chans, c.Name)
		}
	}
	if len(chans) == 0 {
		return fmt.Errorf("announce: no channels configured (notify.channels)")
	}
	post := notify.Post{ID: "preview", Title: title, Text: text}
	fmt.Fprintf(io.stdout, "%s\n\n%s\n\n", title, text)
	for _, name := range chans {
		ch := channelNamed(l.channels, name)
		if ch == nil {
			return fmt.Errorf("announce: no channel %q (have: %s)", name, channelNames(l.channels))
		}
		for _, w := range ch.Warnings(post) {
			fmt.Fprintf(io.stdout, "warning: %s: %s\n", name, w)
		}
		if f.dryRun {
			body, err := ch.Payload(post)
			if err != nil {
				return fmt.Errorf("announce: %s: %v", name, err)
			}
			fmt.Fprintf(io.stdout, "--- %s (%s) → %s\n%s\n", name, ch.Kind(), ch.Target(), l.cfg.Mask(string(body)))
		}
	}
	if f.dryRun {
		fmt.Fprintln(io.stdout, "dry run: nothing was sent")
		return nil
	}
	if !f.yes {
		if answer, err := io.ask(fmt.Sprintf("send to %s? [y/N] ", strings.Join(chans, ", "))); err != nil || !strings.EqualFold(answer, "y") {
			return fmt.Errorf("not sent")
		}
	}
	phase := f.tmpl
	if t, ok := templates.Get(f.tmpl); ok && t.Phase != "" {
		phase = t.Phase
	}
	ids, err := l.door.Announce(ctx, room.Announcement{Template: f.tmpl, Phase: phase, Title: title, Text: text, Channels: chans}, io.actor)
	if err != nil {
		return err
	}
	return followPosts(ctx, l.door, ids, io)
}

// giveUpAfter is the longest retry wait followPosts sits through: a post
// parked longer (a platform's Retry-After) is reported and left in the
// outbox rather than holding the command.
const giveUpAfter = 2 * time.Minute

// followPosts waits until every post is sent or failed, or waits on a
// retry further off than giveUpAfter, printing each outcome.
func followPosts(ctx context.Context, r liveRoom, ids []string, io oneShot) error {
	sub := r.Subscribe()
	defer sub.Close()
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	var undelivered []string
	for len(want) > 0 {
		select {
		case s := <-sub.C():
			for _, p := range s.Posts {
				if want[p.ID] && p.State == room.PostRetrying && p.RetryAt.Sub(s.At) > giveUpAfter {
					delete(want, p.ID)
					fmt.Fprintf(io.stdout, "%s: not sent yet (attempt %d: %s); the next attempt is not before %s, so not waiting: it stays in the outbox and is retried while a room runs\n",
						p.Channel, p.Attempt, p.Err, p.RetryAt.Format("2006-01-02 15:04:05 MST"))
					undelivered = append(undelivered, p.Channel)
					continue
				}
				if !want[p.ID] || (p.State != room.PostSent && p.State != room.PostFailed) {
					continue
				}
				delete(want, p.ID)
				if p.State == room.PostSent {
					fmt.Fprintf(io.stdout, "%s: sent\n", p.Channel)
				} else {
					fmt.Fprintf(io.stdout, "%s: failed: %s\n", p.Channel, p.Err)
					undelivered = append(undelivered, p.Channel)
				}
			}
		case <-ctx.Done():
			return fmt.Errorf("announce: interrupted; posts still queued resume when the room opens")
		}
	}
	if len(undelivered) > 0 {
		return failed{fmt.Errorf("announce: not delivered to %s", strings.Join(undelivered, ", "))}
	}
	return nil
}

func channelNamed(chs []notify.Channel, name string) notify.Channel {
	for _, c := range chs {
		if c.Name() == name {
			return c
		}
	}
	return nil
}

func channelNames(chs []notify.Channel) string {
	var out []string
	for _, c := range chs {
		out = append(out, c.Name())
	}
	return strings.Join(out, ", ")
}

// setField sets one announcement field from "Name=value"; names are the
// template's ({{.Scope}} → Scope), any case; unknown names go to Extra.
func setField(f *notify.Fields, kv string) error {
	name, value, ok := strings.Cut(kv, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("%q: want field=value", kv)
	}
	v := reflect.ValueOf(f).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if strings.EqualFold(t.Field(i).Name, name) && t.Field(i).Type.Kind() == reflect.String {
			v.Field(i).SetString(value)
			return nil
		}
	}
	if f.Extra == nil {
		f.Extra = map[string]string{}
	}
	f.Extra[name] = value
	return nil
}
