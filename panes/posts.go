package panes

import (
	"sort"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/themes"
)

// Posts is the Announcements pane: the room's recent announcements,
// newest first, each with one line per channel saying where its post is
// (queued, sending, sent, retrying, failed with the platform's own words,
// or unknown). The cursor moves over posts; retry sends a failed one again.
type Posts struct {
	list
	inks inkCache
	// AnnounceKey is the key that opens the composer, named in the empty
	// pane; the app sets it from its keymap.
	AnnounceKey string
	readOnly    bool
	selState    room.PostState // of the post under the cursor, for Keys
	w, h        int            // the body's size, from Sync
}

// Sync keeps the cursor on its post in a new snapshot, the window around
// it in a body of w×h cells, and what Keys needs.
func (p *Posts) Sync(s *room.Snapshot, w, h int) {
	rows := postList(postGroups(s))
	p.follow(len(rows), func(i int) string { return rows[i].ID })
	p.note(rows, s)
	p.w, p.h = w, h
	p.scrollTo(s)
}

// scrollTo stores the window View will draw for the cursor's post.
func (p *Posts) scrollTo(s *room.Snapshot) {
	gs := postGroups(s)
	rows := postList(gs)
	if len(rows) == 0 {
		p.offset, p.rows = 0, p.h
		return
	}
	detail := 0
	if p.h >= 12 {
		detail = len(postDetailLines(&inks{}, s, rows[p.cursor], p.w, 4))
	}
	lines, at := postLines(gs, p.cursor)
	p.rows = postListH(p.h, detail)
	p.offset = lineWindow(len(lines), at, p.rows, p.offset)
}

// NewPosts returns the Announcements pane.
func NewPosts() *Posts { return &Posts{} }

func (p *Posts) ID() string      { return "posts" }
func (p *Posts) Title() string   { return "Announcements" }
func (p *Posts) Capturing() bool { return false }
func (p *Posts) Version() uint64 { return p.version }

// postGroup is one announcement: the posts queued together to its channels.
type postGroup struct {
	title string
	by    string
	at    time.Time
	drill bool
	posts []*room.PostView
}

// postGroups groups the snapshot's posts by announcement (the same title
// queued at the same moment), newest first; posts keep the order the
// room queued them in.
func postGroups(s *room.Snapshot) []postGroup {
	if s == nil {
		return nil
	}
	type gk struct {
		title string
		at    time.Time
	}
	idx := map[gk]int{}
	var gs []postGroup
	for i := range s.Posts {
		pv := &s.Posts[i]
		k := gk{pv.Title, pv.QueuedAt}
		j, ok := idx[k]
		if !ok {
			j = len(gs)
			idx[k] = j
			gs = append(gs, postGroup{title: pv.Title, by: pv.QueuedBy, at: pv.QueuedAt, drill: pv.Drill})
		}
		gs[j].posts = append(gs[j].posts, pv)
	}
	// The room keeps posts oldest first: reverse, then order by time in
	// case a retry or a replay interleaved them.
	for i, j := 0, len(gs)-1; i < j; i, j = i+1, j-1 {
		gs[i], gs[j] = gs[j], gs[i]
	}
	sort.SliceStable(gs, func(a, b int) bool { return gs[a].at.After(gs[b].at) })
	return gs
}

// postList is the posts in display order, the cursor's rows.
func postList(gs []postGroup) []*room.PostView {
	var out []*room.PostView
	for _, g := range gs {
		out = append(out, g.posts...)
	}
	return out
}

// Retryable reports whether a post in state st may be sent again by hand.
func Retryable(st room.PostState) bool { return st == room.PostFailed || st == room.PostUnknown }

// Keys lists moving, and retry when the post under the cursor can be sent again.
func (p *Posts) Keys(km *keymaps.Keymap) []key.Binding {
	keys := []key.Binding{moveKeys(km)}
	if !p.readOnly && Retryable(p.selState) {
		keys = append(keys, relabel(km.Retry, "send again"))
	}
	return keys
}

// Update moves the cursor; retry on a failed post, or one of unknown
// outcome, asks the app to send it again.
func (p *Posts) Update(msg tea.KeyMsg, km *keymaps.Keymap, s *room.Snapshot) Intent {
	rows := postList(postGroups(s))
	keyAt := func(i int) string { return rows[i].ID }
	p.follow(len(rows), keyAt)
	defer func() {
		p.remember(len(rows), keyAt)
		p.note(rows, s)
		p.scrollTo(s)
	}()
	if p.navigate(msg, km, len(rows)) || len(rows) == 0 {
		return Intent{}
	}
	if pv := rows[p.cursor]; key.Matches(msg, km.Retry) && Retryable(pv.State) {
		return Intent{Kind: IntentRetryPost, PostID: pv.ID}
	}
	return Intent{}
}

// Selected is the post under the cursor, or nil.
func (p *Posts) Selected(s *room.Snapshot) *room.PostView {
	rows := postList(postGroups(s))
	if len(rows) == 0 {
		return nil
	}
	return rows[p.at(len(rows), func(i int) string { return rows[i].ID })]
}

// note remembers what Keys needs.
func (p *Posts) note(rows []*room.PostView, s *room.Snapshot) {
	var st room.PostState
	if p.cursor < len(rows) {
		st = rows[p.cursor].State
	}
	p.selState, p.readOnly = st, s != nil && s.ReadOnly
}

// PostSymbol and postInk give a post state's glyph and colour.
func PostSymbol(st room.PostState) string {
	switch st {
	case room.PostSent:
		return themes.Symbol("acked")
	case room.PostSending:
		return themes.Symbol("syncing")
	case room.PostRetrying:
		return themes.Symbol("warning")
	case room.PostFailed:
		return themes.Symbol("critical")
	case room.PostUnknown:
		return themes.Symbol("unknown")
	}
	return themes.Symbol("")
}

func postInk(ik *inks, st room.PostState) ink {
	switch st {
	case room.PostSent:
		return ik.ok
	case room.PostRetrying, room.PostUnknown:
		return ik.warn
	case room.PostFailed:
		return ik.crit
	case room.PostSending:
		return ik.info
	}
	return ik.muted
}
