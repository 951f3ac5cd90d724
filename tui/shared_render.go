package tui

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/charmbracelet/lipgloss"

	"warroom/themes"
)

// RenderCache shares pane renders between the sessions of one server: a
// pane whose view state nobody has touched (Version 0) looks the same in
// every session with the same snapshot, size, focus, title and style, so
// it is rendered once per snapshot and size, not once per viewer. The first
// session to ask renders; the others asking meanwhile wait for its result.
type RenderCache struct {
	mu      sync.Mutex
	entries map[renderKey]*renderEntry
	newest  uint64 // highest snapshot seq seen; older entries are dropped

	renders, hits atomic.Uint64
}

// renderKey is everything a framed, untouched pane's text depends on.
type renderKey struct {
	pane    string
	seq     uint64
	w, h    int
	focused bool
	title   string
	style   string // theme, colour profile, background, and the caller's variant
}

type renderEntry struct {
	done chan struct{}
	out  string
}

// maxRenderEntries bounds the cache if sessions of very many sizes come and go.
const maxRenderEntries = 4096

// NewRenderCache makes an empty cache; one per server.
func NewRenderCache() *RenderCache {
	return &RenderCache{entries: map[renderKey]*renderEntry{}}
}

// SharedPanes is one session's handle on a RenderCache: the cache and the
// session's style key. Pass it as Options.Shared.
type SharedPanes struct {
	cache *RenderCache
	style string
}

// For makes a session's handle. Sessions share renders only when theme,
// renderer profile and background, and variant (anything else a pane's
// text depends on for this session, such as the role) are all equal.
func (c *RenderCache) For(th *themes.Theme, r *lipgloss.Renderer, variant string) *SharedPanes {
	name := ""
	if th != nil {
		name = th.Name
	}
	style := fmt.Sprintf("%s|%d|%v|%s", name, r.ColorProfile(), r.HasDarkBackground(), variant)
	return &SharedPanes{cache: c, style: style}
}

// Stats says how many renders the cache made and how many it saved.
func (c *RenderCache) Stats() (renders, hits uint64) { return c.renders.Load(), c.hits.Load() }

// get returns the shared render for k, calling render if nobody has yet.
func (s *SharedPanes) get(k renderKey, render func() string) string {
	c := s.cache
	k.style = s.style
	c.mu.Lock()
	if e, ok := c.entries[k]; ok {
		c.mu.Unlock()
		<-e.done
		c.hits.Add(1)
		return e.out
	}
	e := &renderEntry{done: make(chan struct{})}
	c.evictLocked(k.seq)
	c.entries[k] = e
	c.mu.Unlock()
	ok := false
	defer func() {
		if !ok { // render panicked: let the next asker try again
			c.mu.Lock()
			delete(c.entries, k)
			c.mu.Unlock()
		}
		close(e.done) // waiters never hang
	}()
	e.out = render()
	ok = true
	c.renders.Add(1)
	return e.out
}

// evictLocked drops renders of snapshots older than the previous one when a
// newer snapshot arrives: a session a snapshot behind still finds its pane.
func (c *RenderCache) evictLocked(seq uint64) {
	if len(c.entries) >= maxRenderEntries {
		clear(c.entries)
	}
	if seq <= c.newest {
		return
	}
	prev := c.newest
	c.newest = seq
	for k := range c.entries {
		if k.seq < prev {
			delete(c.entries, k)
		}
	}
}

// shareFocused says whether a focused, untouched pane may be shared. Some
// panes' View also updates their selection (the actions pane, whose keys
// the footer shows) or their page size (the timeline); a session renders
// those itself when focused. These four only read their view state, which
// is at its start while Version is 0.
func shareFocused(id string) bool {
	switch id {
	case "mirrors", "lag", "hosts", "alerts":
		return true
	}
	return false
}

// sharedHeader is the header line, shared like an untouched pane: it shows
// only the snapshot, in the session's theme, at its width. With 100 viewers
// sharing it saved 1.6 % of a core (13.2 % → 11.6 %, docs/measurements.md).
func (m *Model) sharedHeader(w int) string {
	if m.opts.Shared == nil {
		return m.header(w)
	}
	var seq uint64
	if m.snap != nil {
		seq = m.snap.Seq
	}
	return m.opts.Shared.get(renderKey{pane: "header", seq: seq, w: w}, func() string { return m.header(w) })
}

// sharedFrame is the whole frame shared with the other sessions of the
// same style that look the same: no dialog, no flash, the same focus,
// zoom and places, every pane as it was when the session opened, the same
// things waiting for review and the same notices. Then nothing personal is
// on screen, so the frame is rendered once per snapshot and size, not once
// per viewer; ok is false when this session must render alone.
func (m *Model) sharedFrame() (frame string, ok bool) {
	if m.opts.Shared == nil || m.snap == nil || m.flash != "" || m.modals.top() != nil ||
		!shareFocused(m.panes[m.focus].ID()) { // those Views move their own state
		return "", false
	}
	for i, p := range m.panes {
		if p.Version() != m.start[i] {
			return "", false
		}
	}
	if rs := m.paneRects(); len(rs) > panePresence && rs[panePresence].w > 0 {
		return "", false // it marks this session's own row
	}
	var who strings.Builder
	fmt.Fprintf(&who, "%d|%t|%d|%d|%d", m.focus, m.zoomed, m.shared, m.log, m.ir.ctx)
	lines, _ := m.waiting()
	for _, l := range lines {
		who.WriteString("\x00w" + l)
	}
	for _, n := range m.notes.list {
		who.WriteString("\x00n" + n.text)
	}
	k := renderKey{pane: "frame", seq: m.snap.Seq, w: m.width, h: m.height, title: who.String()}
	return m.opts.Shared.get(k, m.render), true
}
