package main

import (
	"strings"
	"testing"

	"warroom/backends/room"
)

// TestSilenceCommandsBesideARunningRoom: the real binary's `warroom
// silence` reaches a running room through its control socket as its user:
// it starts a silence (journaled with who, why and until when, the alert
// still listed), lists it, refuses an observer, a missing reason and a bad
// matcher with clear words, and ends it early; with no room it says so.
func TestSilenceCommandsBesideARunningRoom(t *testing.T) {
	bin := buildBinary(t)
	f := startFleet(t, 3)
	cfg, _ := routedConfig(t, f)
	appendFile(t, cfg, serveSection(newPerson(t, "olga", "operator"), newPerson(t, "oscar", "observer")))
	jpath := stateDirOf(t, cfg) + "/journal.jsonl"
	third := f.Mirrors()[2].Name

	code, _, errOut := runBinaryAs(t, bin, "olga", "", "silence", "--config", cfg, "mirror="+third, "--reason", "disk swap")
	if code != 2 || !strings.Contains(errOut, "no room is running") {
		t.Fatalf("silence without a room: exit %d, stderr %q", code, errOut)
	}

	rp := startRoomProcess(t, bin, cfg)
	run := func(user string, args ...string) (int, string, string) {
		t.Helper()
		return runBinaryAs(t, bin, user, "", append([]string{"silence", "--config", cfg}, args...)...)
	}
	f.Mirrors()[2].SetDown(true)
	waitForRecord(t, jpath, "an alert on "+third, func(ev room.Event) bool {
		return ev.Kind == room.EvAlertRaised && ev.Subject == third
	})

	for _, c := range []struct {
		user string
		args []string
		want string
	}{
		{"oscar", []string{"mirror=" + third, "--reason", "x"}, "oscar is observer"},
		{"olga", []string{"mirror=" + third}, "--reason is required"},
		{"olga", []string{"mirro=" + third, "--reason", "x"}, `unknown label "mirro"`},
		{"olga", []string{"mirror=" + third, "--for", "8x", "--reason", "x"}, "not a duration"},
		{"olga", []string{"mirror=" + third, "--for", "8d", "--reason", "x"}, "at most 7d"},
		{"olga", []string{"--expire", "sil-9"}, `no active silence "sil-9"`},
	} {
		if code, out, errOut := run(c.user, c.args...); code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("silence %v as %s: exit %d, stderr %q, stdout %q; want 2 and %q", c.args, c.user, code, errOut, out, c.want)
		}
	}

	code, out, errOut := run("olga", "mirror="+third, "--for", "2h", "--reason", "disk swap")
	if code != 0 || !strings.Contains(out, "sil-1: silenced mirror="+third+" as olga until") || !strings.Contains(out, "1 alert(s) match now") {
		t.Fatalf("silence: exit %d\n%s%s\nroom:\n%s", code, out, errOut, rp.out.String())
	}
	added := waitForRecord(t, jpath, "olga's silence", func(ev room.Event) bool { return ev.Kind == room.EvSilenceAdded })
	if sf := added.SilenceFacts(); added.Actor != "olga" || sf.Reason != "disk swap" || sf.End.Sub(sf.Start).Hours() != 2 {
		t.Errorf("journaled %+v %+v", added, sf)
	}
	code, out, _ = run("oscar", "--list") // looking is for everyone
	for _, want := range []string{"sil-1", "mirror=" + third, "olga", "disk swap", "1h59m", "ALERTS"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("--list: exit %d, lacks %q:\n%s", code, want, out)
		}
	}
	if code, out, errOut := run("olga", "--expire", "sil-1"); code != 0 || !strings.Contains(out, "ended sil-1 as olga") {
		t.Fatalf("--expire: exit %d\n%s%s", code, out, errOut)
	}
	waitForRecord(t, jpath, "olga ending it", func(ev room.Event) bool {
		return ev.Kind == room.EvSilenceExpired && ev.Actor == "olga"
	})
	if code, out, _ := run("olga", "--list"); code != 0 || strings.TrimSpace(out) != "no silences" {
		t.Errorf("--list after expiry: exit %d %q", code, out)
	}
}

// TestServeSilenceCommands: `ssh warroom silence` as each SSH user, under
// their role, on the server's room.
func TestServeSilenceCommands(t *testing.T) {
	sr := startApprovalRoom(t)
	li, ob := sr.li, sr.ob
	if code, out, errOut := sr.command(t, ob, "silence mirror="+sr.third+" --reason 'looks noisy'"); code == 0 || !strings.Contains(errOut, "ob is observer") {
		t.Errorf("an observer's silence: exit %d %q %q", code, out, errOut)
	}
	code, out, errOut := sr.command(t, li, "silence kind=mirror-lag mirror="+sr.third+"|"+sr.second+" --for 30m --reason 'rsync rebuild'")
	if code != 0 || !strings.Contains(out, "sil-1: silenced kind=mirror-lag,mirror=") || !strings.Contains(out, "as li.wei") {
		t.Fatalf("li.wei's silence: exit %d\n%s%s", code, out, errOut)
	}
	s := sr.live.room.Snapshot()
	if len(s.Silences) != 1 || s.Silences[0].By != "li.wei" || s.Silences[0].Reason != "rsync rebuild" {
		t.Fatalf("the room's silences: %+v", s.Silences)
	}
	if code, out, _ := sr.command(t, ob, "silence --list"); code != 0 || !strings.Contains(out, "sil-1") || !strings.Contains(out, "rsync rebuild") {
		t.Errorf("an observer's list: exit %d\n%s", code, out)
	}
	if code, _, errOut := sr.command(t, li, "silence --expire maint-1"); code == 0 || !strings.Contains(errOut, "alerting.maintenance") {
		t.Errorf("expiring a window: exit %d %q", code, errOut)
	}
	if code, out, errOut := sr.command(t, li, "silence --expire sil-1"); code != 0 || !strings.Contains(out, "ended sil-1") {
		t.Fatalf("expire: exit %d %q %q", code, out, errOut)
	}
	if code, out, _ := sr.command(t, li, "help"); code != 0 || !strings.Contains(out, "ssh warroom silence MATCHER") {
		t.Errorf("help lacks silence: %q", out)
	}
}
