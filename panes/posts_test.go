package panes

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// TestGoldenPosts renders the Announcements pane with a post in every
// state, the cursor on the failed WeCom post (its error shown in full).
func TestGoldenPosts(t *testing.T) {
	km := keymaps.Default()
	s := panestest.PostsSnapshot()
	for _, set := range goldenSets() {
		for _, name := range set.themes {
			th := theme(t, name, set.profile)
			for _, sz := range [][2]int{{80, 24}, {160, 48}, {64, 11}, {38, 5}} {
				w, h := sz[0], sz[1]
				t.Run(fmt.Sprintf("%s/%s/%dx%d", set.name, name, w, h), func(t *testing.T) {
					p := NewPosts()
					p.AnnounceKey = "p"
					p.View(s, th, w-2, h-2, true)
					for i := 0; i < 6; i++ {
						p.Update(panestest.Press(km.Down), km, s)
					}
					out := Frame(th, p.Title(), p.View(s, th, w-2, h-2, true), w, h, true)
					checkSize(t, "posts", out, w, h)
					golden.RequireEqual(t, out)
				})
			}
		}
	}
}

func TestPostsNewestFirstWithEveryState(t *testing.T) {
	th := theme(t, "dark", 0)
	s := panestest.PostsSnapshot()
	p := NewPosts()
	lines := plain(p.View(s, th, 120, 30, true))
	idf, inv := find(lines, "Identified — tokyo"), find(lines, "Investigating — tokyo")
	if idf < 0 || inv < 0 || idf > inv {
		t.Fatalf("want the newer announcement first:\n%s", strings.Join(lines, "\n"))
	}
	for _, want := range []string{
		"li.wei · 14:04:05 (15s ago)", "mei · 13:58:20 (6m ago)",
		"⟳ sending", "▲ retrying in 12s", "· queued", "✓ sent",
		"✖ failed", "errcode 93000: invalid webhook url", "? unknown", "check the channel",
		"attempt 2: errcode 130101: send too fast",
	} {
		if find(lines, want) < 0 {
			t.Fatalf("pane lacks %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	// Each post sits under its own announcement.
	if find(lines, "✖ failed") < inv || find(lines, "⟳ sending") > inv {
		t.Fatalf("the failed post is not under its announcement:\n%s", strings.Join(lines, "\n"))
	}
	// A retry 12.3 s away says 13s: never "in 0s" while it still waits.
	s2 := panestest.PostsSnapshot()
	s2.Posts[5].RetryAt = s2.At.Add(12300 * time.Millisecond)
	if got := PostStateText(&s2.Posts[5], s2.At); got != "retrying in 13s" {
		t.Fatalf("retry 12.3s away = %q", got)
	}
	s2.Posts[5].RetryAt = s2.At.Add(-time.Second)
	if got := PostStateText(&s2.Posts[5], s2.At); got != "retrying now" {
		t.Fatalf("retry in the past = %q", got)
	}
}

func TestPostsRetryOnlyFailedOrUnknown(t *testing.T) {
	km := keymaps.Vim()
	s := panestest.PostsSnapshot()
	p := NewPosts()
	p.View(s, theme(t, "dark", 0), 100, 30, true)
	want := map[string]string{"post-3": "post-3", "post-4": "post-4"}
	seen := 0
	for i := 0; i < len(s.Posts); i++ {
		sel := p.Selected(s)
		in := p.Update(panestest.Press(km.Retry), km, s)
		if id, ok := want[sel.ID]; ok {
			seen++
			if in != (Intent{Kind: IntentRetryPost, PostID: id}) {
				t.Fatalf("retry on %s (%s) = %+v", sel.ID, sel.State, in)
			}
			if help := p.Keys(km); len(help) != 2 || help[1].Help().Desc != "send again" {
				t.Fatalf("help bar on %s lacks send again: %+v", sel.ID, help)
			}
		} else if in.Kind != "" {
			t.Fatalf("retry on %s (%s) asked %+v", sel.ID, sel.State, in)
		}
		p.Update(panestest.Press(km.Down), km, s)
	}
	if seen != 2 {
		t.Fatalf("visited %d retryable posts, want 2", seen)
	}
	// The cursor stays on its post when a new announcement arrives on top.
	p.Update(panestest.Press(km.Top), km, s)
	p.Update(panestest.Press(km.Down), km, s)
	before := p.Selected(s).ID
	next := *s
	next.Posts = append(append([]room.PostView(nil), s.Posts...), room.PostView{ID: "post-9", Channel: "ops-slack",
		Title: "Resolved", State: room.PostQueued, QueuedBy: "ana", QueuedAt: s.At})
	if got := p.Selected(&next).ID; got != before {
		t.Fatalf("cursor moved from %s to %s when post-9 arrived", before, got)
	}
	// A read-only room offers no retry.
	ro := *s
	ro.ReadOnly = true
	for p.Selected(&ro).ID != "post-3" {
		p.Update(panestest.Press(km.Down), km, &ro)
	}
	if keys := p.Keys(km); len(keys) != 1 {
		t.Fatalf("read-only room offers %d keys, want only move", len(keys))
	}
}

func TestPostsEmptyAndEverySize(t *testing.T) {
	th := theme(t, "dark", 0)
	p := NewPosts()
	p.AnnounceKey = "p"
	if lines := plain(p.View(panestest.Snapshot(), th, 60, 5, true)); find(lines, "no announcements yet · p composes one") < 0 {
		t.Fatalf("empty pane:\n%s", strings.Join(lines, "\n"))
	}
	s := panestest.PostsSnapshot()
	for w := 0; w <= 130; w += 7 {
		for h := 0; h <= 30; h += 3 {
			checkSize(t, "posts", p.View(s, th, w, h, true), w, h)
			checkSize(t, "posts", p.View(nil, th, w, h, false), w, h)
		}
	}
	// The cursor's post is always on screen, even in a short pane.
	km := keymaps.Default()
	for i := 0; i < len(s.Posts); i++ {
		sel := p.Selected(s)
		if lines := plain(p.View(s, th, 70, 4, true)); find(lines, "> ") < 0 {
			t.Fatalf("cursor on %s not shown:\n%s", sel.ID, strings.Join(lines, "\n"))
		}
		p.Update(panestest.Press(km.Down), km, s)
	}
}
