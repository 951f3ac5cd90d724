package panes

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// busySnapshot has rows enough to scroll in every pane: n mirrors and
// events, an alert per mirror, the fixtures' actions, posts and people.
func busySnapshot(n int) *room.Snapshot {
	s := panestest.Big(n)
	acts, posts := panestest.ActionsSnapshot(), panestest.PostsSnapshot()
	s.Actions, s.Proposals, s.Posts, s.Channels = acts.Actions, acts.Proposals, posts.Posts, posts.Channels
	s.Presence = panestest.People()
	s.Alerts = nil
	for i, m := range s.Mirrors {
		sev := room.Warning
		if i%3 == 0 {
			sev = room.Critical
		}
		s.Alerts = append(s.Alerts, room.Alert{ID: "a/" + m.Name, Severity: sev, Subject: m.Name,
			Text: fmt.Sprintf("alert %d", i), Raised: s.At.Add(-time.Duration(i) * time.Minute), Acked: i%4 == 0})
	}
	s.Silences = panestest.Silences() // rows after the alerts, with countdowns
	s.Alerts[1].Silence = &s.Silences[0]
	s.Alerts[2].EscalatedTo, s.Alerts[2].Paged = []string{"pd-managers"}, []string{"ops-slack"}
	return s
}

// TestViewMovesNothing draws every pane, scrolled, twice and under
// changed conditions (a new snapshot with its rows reordered and more
// events, another size, unfocused, no snapshot): the pane's state must be
// what Update and Sync left, and the same call must draw the same.
func TestViewMovesNothing(t *testing.T) {
	km := keymaps.Default()
	th := theme(t, "dark", termenv.Ascii)
	s1 := busySnapshot(30)
	s2 := busySnapshot(45)
	slices.Reverse(s2.Mirrors)
	slices.Reverse(s2.Alerts)
	all := append(allPanes(), NewActions(), NewPosts(), NewIncident(), NewPresence())
	for _, p := range all {
		t.Run(p.ID(), func(t *testing.T) {
			p.Sync(s1, 100, 20)
			for range 12 {
				p.Update(panestest.Press(km.Down), km, s1)
			}
			p.View(s1, th, 100, 20, true) // builds the theme's inks once
			before := reflect.New(reflect.TypeOf(p).Elem())
			before.Elem().Set(reflect.ValueOf(p).Elem())
			for _, v := range []struct {
				s       *room.Snapshot
				w, h    int
				focused bool
			}{{s1, 100, 20, true}, {s2, 100, 20, true}, {s2, 60, 6, false}, {s1, 100, 3, true}, {s2, 200, 60, true}, {nil, 40, 5, true}} {
				first := p.View(v.s, th, v.w, v.h, v.focused)
				if !reflect.DeepEqual(before.Interface(), p) {
					t.Fatalf("View at %d×%d changed the pane's state:\nbefore %+v\nafter  %+v", v.w, v.h, before.Elem().Interface(), reflect.ValueOf(p).Elem().Interface())
				}
				if again := p.View(v.s, th, v.w, v.h, v.focused); again != first {
					t.Fatalf("View at %d×%d drew something else the second time", v.w, v.h)
				}
			}
		})
	}
}
