package room

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"warroom/backends/config"
	"warroom/backends/notify"
)

// Outbox is what the room needs of the delivery worker.
type Outbox interface {
	Enqueue(channel string, p notify.Post) error
}

const postsKept = 100

type postState struct {
	view PostView
	page *notify.Page // alert posts: what a pager is told
}

// announceEvents validates an announcement and returns one queued event per
// channel. A channel that already has the same announcement (same key, not
// failed) is skipped: a double key press or two people send it once.
func (st *state) announceEvents(a Announcement, actor string, now time.Time) ([]Event, error) {
	if strings.TrimSpace(a.Text) == "" {
		return nil, fmt.Errorf("announcement is empty: write the text or pick a template")
	}
	if len(a.Channels) == 0 {
		return nil, fmt.Errorf("no channel chosen: pick at least one")
	}
	if actor == "" {
		actor = "someone"
	}
	a = st.drillAnnouncement(a) // marked, and kept to drill channels
	key := announcementKey(st.incidentID(), a)
	var evs []Event
	var skipped []string
	for _, name := range a.Channels {
		ch, ok := st.channel(name)
		if !ok {
			return nil, fmt.Errorf("no channel %q in notify.channels", name)
		}
		if ch.Kind == config.ChannelPager {
			return nil, fmt.Errorf("%s is a pagerduty channel: it takes alert pages only, not announcements", name)
		}
		if dup := st.duplicate(key, name, now); dup != nil {
			skipped = append(skipped, fmt.Sprintf("%s (%s by %s at %s)", name, dup.State, dup.QueuedBy, dup.QueuedAt.Format("15:04:05")))
			continue
		}
		st.nextPost++
		id := fmt.Sprintf("post-%d", st.nextPost)
		evs = append(evs, Event{At: now, Kind: EvPostQueued, Subject: name, Actor: actor, Level: "info",
			Text: fmt.Sprintf("%s queued %q to %s (%s)", actor, a.Title, name, id),
			Fields: PostFacts{ID: id, Channel: name, Kind: ch.Kind, Template: a.Template, Phase: a.Phase,
				Title: a.Title, Text: a.Text, Key: key, Drill: a.Drill}.Fields()})
	}
	if len(evs) == 0 {
		return nil, fmt.Errorf("already posted: %s", strings.Join(skipped, ", "))
	}
	return evs, nil
}

func announcementKey(incident string, a Announcement) string {
	sum := sha256.Sum256([]byte(a.Title + "\x00" + a.Text))
	return fmt.Sprintf("%s/%s/%s/%s", incident, a.Template, a.Phase, hex.EncodeToString(sum[:6]))
}

// dupWindow is how soon after a post the same incident, template and phase
// count as the same announcement even if a timestamp in the text moved:
// a double key press, or two people reacting to the same alert.
const dupWindow = 2 * time.Minute

// duplicate finds an earlier post of the same announcement on channel: the
// same key, or the same incident, template and phase within dupWindow.
func (st *state) duplicate(key, channel string, now time.Time) *PostView {
	stem := key[:strings.LastIndexByte(key, '/')+1]
	for i := len(st.posts) - 1; i >= 0; i-- {
		p := &st.posts[i].view
		if p.Channel != channel || p.State == PostFailed || !strings.HasPrefix(p.Key, stem) {
			continue
		}
		if p.Key == key || now.Sub(p.QueuedAt) < dupWindow {
			return p
		}
	}
	return nil
}

func (st *state) channel(name string) (ChannelView, bool) {
	for _, c := range st.cfg.Notify.Channels {
		if c.Name == name {
			return ChannelView{Name: c.Name, Kind: c.Kind, Public: c.Public, Drill: c.Drill}, true
		}
	}
	return ChannelView{}, false
}

// applyPost makes a post event's effect; replay uses it too.
func (st *state) applyPost(ev Event) {
	f := ev.PostFacts()
	if ev.Kind == EvPostQueued {
		p := &postState{view: PostView{ID: f.ID, Channel: f.Channel, Kind: f.Kind, Template: f.Template,
			Phase: f.Phase, Title: f.Title, Text: f.Text, Key: f.Key, Drill: f.Drill,
			State: PostQueued, QueuedBy: ev.Actor, QueuedAt: ev.At}}
		if f.Page.Route != "" {
			p.page = st.notifyPage(f.Page)
		}
		st.posts = append(st.posts, p)
		st.postByID[p.view.ID] = p
		if n, err := strconv.Atoi(strings.TrimPrefix(p.view.ID, "post-")); err == nil && n > st.nextPost {
			st.nextPost = n
		}
		st.postsChanged = true
		return
	}
	p, ok := st.postByID[f.ID]
	if !ok {
		return
	}
	v := &p.view
	v.Attempt = f.Attempt
	switch ev.Kind {
	case EvPostSending:
		v.State = PostSending
	case EvPostSent:
		v.State, v.SentAt, v.Err = PostSent, ev.At, ""
		if ch, ok := st.channel(v.Channel); ok && (ch.Public || !st.anyPublic()) && !v.Drill {
			st.nextUpdate = ev.At.Add(st.cfg.Notify.Cadence)
		}
	case EvPostRetrying:
		v.State, v.Err, v.RetryAt = PostRetrying, f.Error, f.RetryAt
	case EvPostFailed:
		v.State, v.Err = PostFailed, f.Error
	case EvPostUnknown:
		v.State = PostUnknown
	case EvPostRequeued:
		v.State, v.Err = PostQueued, ""
	}
	st.postsChanged = true
}

func (st *state) anyPublic() bool {
	for _, c := range st.cfg.Notify.Channels {
		if c.Public {
			return true
		}
	}
	return false
}

// postReport records one step the delivery worker reports.
func (st *state) postReport(rep notify.Report, now time.Time) {
	ids := rep.IDs
	if len(ids) == 0 {
		ids = []string{rep.PostID}
	}
	for _, id := range ids {
		p, ok := st.postByID[id]
		if !ok || p.view.State == PostSent || p.view.State == PostFailed {
			continue
		}
		f := PostFacts{ID: id, Attempt: rep.Attempt}
		ev := Event{At: now, Subject: p.view.Channel, Level: "info"}
		merged := ""
		if len(rep.IDs) > 1 {
			merged = fmt.Sprintf(" (merged with %d other updates: rate limit)", len(rep.IDs)-1)
			f.Merged = rep.IDs
		}
		switch rep.State {
		case notify.StateSending:
			ev.Kind, ev.Text = EvPostSending, fmt.Sprintf("sending %s to %s, attempt %d%s", id, p.view.Channel, rep.Attempt, merged)
		case notify.StateSent:
			ev.Kind, ev.Level, ev.Text = EvPostSent, "ok", fmt.Sprintf("%q sent to %s (%s)%s", p.view.Title, p.view.Channel, id, merged)
		case notify.StateRetrying:
			f.Error, f.RetryAt = rep.Err, rep.RetryAt
			ev.Kind, ev.Level = EvPostRetrying, "warning"
			ev.Text = fmt.Sprintf("%s to %s failed (attempt %d): %s; retrying at %s", id, p.view.Channel, rep.Attempt, rep.Err, clockAt(rep.RetryAt, now))
		case notify.StateFailed:
			f.Error = rep.Err
			ev.Kind, ev.Level = EvPostFailed, "critical"
			ev.Text = fmt.Sprintf("%s to %s failed: %s", id, p.view.Channel, rep.Err)
		default:
			continue
		}
		ev.Fields = f.Fields()
		st.record(ev)
	}
}

// interrupted settles posts the journal left in flight: queued or retrying
// ones are sent again (nothing went out, or it failed); one that was being
// sent may have arrived, so a person must check the channel.
func (st *state) interrupted(now time.Time) (resume []*postState) {
	for _, p := range st.posts {
		switch p.view.State {
		case PostQueued, PostRetrying:
			resume = append(resume, p)
		case PostSending:
			st.record(Event{At: now, Kind: EvPostUnknown, Subject: p.view.Channel, Level: "warning",
				Text: fmt.Sprintf("%s to %s was being sent when warroom stopped: unknown — check the channel, then retry if it is missing",
					p.view.ID, p.view.Channel),
				Fields: PostFacts{ID: p.view.ID, Attempt: p.view.Attempt}.Fields()})
		}
	}
	return resume
}

// clockAt is t as a time of day, with the date when t is not on now's day.
func clockAt(t, now time.Time) string {
	t = t.In(now.Location())
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04:05")
	}
	return t.Format("2006-01-02 15:04:05")
}

func (p *postState) post() notify.Post {
	return notify.Post{ID: p.view.ID, Title: p.view.Title, Text: p.view.Text, Drill: p.view.Drill, Page: p.page}
}

// postViews copies the recent posts for a snapshot.
func (st *state) postViews() []PostView {
	from := max(len(st.posts)-postsKept, 0)
	out := make([]PostView, 0, len(st.posts)-from)
	for _, p := range st.posts[from:] {
		out = append(out, p.view)
	}
	return out
}

func (st *state) channelViews() []ChannelView {
	out := make([]ChannelView, 0, len(st.cfg.Notify.Channels))
	for _, c := range st.cfg.Notify.Channels {
		if c.Kind == config.ChannelPager {
			continue // pages only: the composer does not offer it
		}
		out = append(out, ChannelView{Name: c.Name, Kind: c.Kind, Public: c.Public, Drill: c.Drill})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Public && !out[j].Public })
	return out
}
