package tui

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// everythingSnapshot is a room where every action has something to act
// on: a paused rollback, a proposal, a failback offer, rollback targets,
// channels and posts, an open incident with an unpinned note.
func everythingSnapshot(readOnly bool) *room.Snapshot {
	s := panestest.ActionsSnapshot()
	inc, posts := panestest.IncidentSnapshot(), panestest.PostsSnapshot()
	s.Incident, s.Presence, s.Timeline, s.Pen = inc.Incident, inc.Presence, inc.Timeline, inc.Pen
	s.Channels, s.Posts = posts.Channels, posts.Posts
	s.Failback = panestest.FailbackSnapshot().Failback
	s.ReadOnly = readOnly
	return s
}

// offered lists the keys the help bar offers ("f" of "f fail over").
func offered(bar string) map[string]bool {
	keys := map[string]bool{}
	for _, item := range strings.Split(bar, " · ") {
		if f := strings.Fields(item); len(f) > 0 {
			keys[f[0]] = true
		}
	}
	return keys
}

// TestEveryRoleEveryActionFromOneTable checks, for every role in a room
// that takes commands and in a read-only one, every action that needs a
// permission: help lists it, the footer offers it where it applies, and
// pressing its key does something, exactly when the keymap's table and
// the role allow it; otherwise the key is refused at once with the
// reason, nothing opens and nothing is sent.
func TestEveryRoleEveryActionFromOneTable(t *testing.T) {
	// Where each action's key is offered in everythingSnapshot, and the
	// Actions pane's row (4: the paused rollback) for abort.
	where := map[string]int{"ack": paneAlerts, "silence": paneAlerts, "failover": paneMirrors, "rollback": paneMirrors, "failback": paneMirrors,
		"abort": paneActions, "announce": panePosts, "note": paneIncident, "pin": paneIncident, "level": paneIncident,
		"hand_over": paneIncident, "advance": paneIncident, "report": paneIncident, "drill": paneIncident}
	for _, readOnly := range []bool{false, true} {
		for _, role := range room.Roles() {
			for _, a := range keymaps.Default().Actions() {
				if a.Perm == keymaps.Anyone {
					continue
				}
				want := role.Can(roomPerm(a.Perm)) && !(a.Dangerous && readOnly)
				name := string(role) + "/" + a.Name
				if readOnly {
					name = "read-only/" + name
				}
				t.Run(name, func(t *testing.T) {
					m, r := incModel(t, "sam", role, everythingSnapshot(readOnly), 200, 60)
					r.Composer = announceComposer(t)
					killed := false
					m.opts.KillLeader = func(context.Context) (string, error) { killed = true; return "n1", nil }
					km := m.km
					b := *a.Binding
					k := b.Help().Key

					press(m, km.Help)
					help := screen(m)
					listed := regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(k) + `\s+` + regexp.QuoteMeta(b.Help().Desc)).MatchString(help)
					if listed != want {
						t.Errorf("help lists %q %q: %v, want %v:\n%s", k, b.Help().Desc, listed, want, help)
					}
					press(m, km.Back)

					if pane, ok := where[a.Name]; ok {
						press(m, m.paneKey(pane))
						if a.Name == "abort" {
							for range 4 {
								press(m, km.Down)
							}
						}
						if got := offered(footerText(m))[k]; got != want {
							t.Errorf("footer on pane %d offers %q: %v, want %v: %q", pane+1, k, got, want, footerText(m))
						}
					}
					for i := range m.panes {
						press(m, m.paneKey(i))
						if !want && offered(footerText(m))[k] {
							t.Errorf("footer on pane %d offers %q, which %s may not use: %q", i+1, k, role, footerText(m))
						}
					}

					press(m, m.paneKey(paneHosts)) // a pane with no keys of its own
					before := strings.Split(screen(m), "\n")
					cmd := press(m, b)
					_, why := m.allows(a)
					if want {
						if why != "" || (m.flashBad && strings.Contains(m.flash, " may ")) {
							t.Errorf("allowed, but refused: %q %q", why, m.flash)
						}
						return
					}
					switch {
					case why == "" || m.flash != "✖ "+why || !m.flashBad:
						t.Errorf("refused for %q, but the notice says %q", why, m.flash)
					case readOnly && a.Dangerous && why != readOnlyText:
						t.Errorf("read-only refusal says %q", why)
					case !readOnly && !strings.Contains(why, "sam is "+string(role)+": only "):
						t.Errorf("role refusal says %q, want who may", why)
					}
					after := strings.Split(screen(m), "\n")
					if run(m, cmd); killed || cmd != nil || strings.Join(before[:len(before)-1], "\n") != strings.Join(after[:len(after)-1], "\n") {
						t.Errorf("a refused key opened something or sent a command:\n%s", screen(m))
					}
					incCalls := r.incidentCalls()
					r.mu.Lock()
					defer r.mu.Unlock()
					if len(r.acts)+len(r.decisions)+len(r.acks)+len(r.answers)+len(r.announced)+len(r.retried)+len(incCalls) > 0 {
						t.Errorf("a refused key reached the room")
					}
				})
			}
		}
	}
}

// The actions that only look (detail) need no permission: every role
// opens them, in a read-only room too, and help lists them for all.
func TestEveryRoleOpensWhatOnlyLooks(t *testing.T) {
	for _, readOnly := range []bool{false, true} {
		for _, role := range room.Roles() {
			m, r := incModel(t, "sam", role, everythingSnapshot(readOnly), 200, 60)
			press(m, m.km.Help)
			d := m.km.Detail.Help()
			if !regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(d.Key) + `\s+` + regexp.QuoteMeta(d.Desc)).MatchString(screen(m)) {
				t.Errorf("%s (read-only %v): help does not list %q", role, readOnly, d.Desc)
			}
			press(m, m.km.Back)
			press(m, m.paneKey(paneMirrors))
			if !offered(footerText(m))[m.km.Detail.Help().Key] {
				t.Errorf("%s: the Mirrors pane does not offer detail: %q", role, footerText(m))
			}
			run(m, press(m, m.km.Detail))
			if _, ok := m.modals.top().(*mirrorDetail); !ok || m.flashBad {
				t.Errorf("%s (read-only %v): detail did not open: %q", role, readOnly, m.flash)
			}
			r.mu.Lock()
			if len(r.acts)+len(r.decisions)+len(r.acks)+len(r.answers)+len(r.announced)+len(r.retried) > 0 {
				t.Errorf("%s: opening the detail reached the room", role)
			}
			r.mu.Unlock()
		}
	}
}

// Every permission the keymap names is one of the room's, the one of
// the same name.
func TestEveryKeymapPermIsARoomPerm(t *testing.T) {
	for k, r := range map[keymaps.Perm]room.Perm{keymaps.PermAct: room.PermAct, keymaps.PermPen: room.PermPen, keymaps.PermCommand: room.PermCommand} {
		if roomPerm(k) != r {
			t.Errorf("roomPerm(%s) = %q, want %q", k, roomPerm(k), r)
		}
	}
	seen := map[room.Perm]keymaps.Perm{}
	for _, p := range keymaps.Perms() {
		rp := roomPerm(p)
		if rp == "" {
			t.Errorf("keymaps.%s has no room permission", p)
		}
		if q, dup := seen[rp]; dup {
			t.Errorf("keymaps.%s and %s are both %q", p, q, rp)
		}
		seen[rp] = p
	}
}

// An operator may retry a paused batch (act), though not a post
// (announce): the Actions pane offers r there, and r decides.
func TestOperatorRetriesAPausedBatch(t *testing.T) {
	m, r := incModel(t, "sam", room.RoleOperator, everythingSnapshot(false), 200, 60)
	press(m, m.paneKey(paneActions))
	for range 4 {
		press(m, m.km.Down)
	}
	if want := m.km.Retry.Help().Key + " retry batch"; !strings.Contains(footerText(m), want) {
		t.Fatalf("footer lacks %q: %q", want, footerText(m))
	}
	run(m, press(m, m.km.Retry))
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.decisions) != 1 || r.decisions[0] != "sam:act-4:retry" {
		t.Fatalf("decisions %v, want sam:act-4:retry; flash %q", r.decisions, m.flash)
	}
}
