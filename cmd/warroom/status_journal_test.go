package main

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"warroom/backends/room"
)

// TestStatusPagesOnTheActiveMirrorTheJournalKnows: after a failover made
// by the real binary, status judges the new active mirror (from the
// journal) and reads back what the load balancer serves; the old primary
// being down pages nobody, the new one being down does.
func TestStatusPagesOnTheActiveMirrorTheJournalKnows(t *testing.T) {
	bin := buildBinary(t)
	f := startFleet(t, 3)
	cfg, router := routedConfig(t, f)
	oldActive, newActive := f.Mirrors()[0], f.Mirrors()[1]
	if code, out, errOut := runBinary(t, bin, "", "failover", "--config", cfg, "--yes", newActive.Name); code != 0 {
		t.Fatalf("failover: exit %d\n%s%s", code, out, errOut)
	}

	oldActive.SetDown(true)
	code, out, errOut := runBinary(t, bin, "", "status", "--config", cfg)
	if code != 0 {
		t.Fatalf("the old primary down paged: exit %d\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"roles from the journal", "load balancer (edge, haproxy) serves " + newActive.Name} {
		if !strings.Contains(out, want) {
			t.Fatalf("status lacks %q:\n%s", want, out)
		}
	}

	oldActive.SetDown(false)
	newActive.SetDown(true)
	code, out, errOut = runBinary(t, bin, "", "status", "--json", "--config", cfg)
	if code != 1 {
		t.Fatalf("the new active mirror down: exit %d, want 1\n%s%s", code, out, errOut)
	}
	var got statusJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	m := got.Mirrors[1]
	if m.Name != newActive.Name || m.Role != "active" || m.State != "down" || got.Mirrors[0].Role != "backup" {
		t.Fatalf("mirrors after failover: %+v", got.Mirrors)
	}
	lb := got.LoadBalancer
	if lb == nil || len(lb.Serving) != 1 || lb.Serving[0] != newActive.Name || lb.Disagrees {
		t.Fatalf("load balancer: %+v (router serves %v)", lb, router.Active())
	}
}

// TestStatusSaysWhyTheJournalCannotBeRead: a journal damaged in the middle
// pages, naming the file, the line and what to trust instead.
func TestStatusSaysWhyTheJournalCannotBeRead(t *testing.T) {
	bin := buildBinary(t)
	f := startFleet(t, 2)
	cfg, _ := routedConfig(t, f)
	if code, out, errOut := runBinary(t, bin, "", "failover", "--config", cfg, "--yes", f.Mirrors()[1].Name); code != 0 {
		t.Fatalf("failover: exit %d\n%s%s", code, out, errOut)
	}
	path := stateDirOf(t, cfg) + "/journal.jsonl"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	lines[1] = "{\"damaged\n"
	if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runBinary(t, bin, "", "status", "--config", cfg)
	if code != 1 {
		t.Fatalf("damaged journal: exit %d, want 1\n%s%s", code, out, errOut)
	}
	for _, want := range []string{"journal.jsonl", "line 2", "damaged", "the roles shown are the config's"} {
		if !strings.Contains(out, want) {
			t.Fatalf("status lacks %q:\n%s", want, out)
		}
	}
}

// TestStatusSaysWhyTheRoomsJournalFailed: a room whose journal failed (a
// full disk) pages through status, and the table and JSON say why.
func TestStatusSaysWhyTheRoomsJournalFailed(t *testing.T) {
	snap := &room.Snapshot{Origin: &room.MirrorView{Name: "origin", Role: "origin"},
		JournalErr: "journal state/journal.jsonl: write: no space left on device"}
	for _, asJSON := range []bool{false, true} {
		var out strings.Builder
		err := printStatus(&out, statusReport{snap: snap}, asJSON)
		if !errors.Is(err, errCritical) {
			t.Fatalf("json %v: %v, want critical", asJSON, err)
		}
		if !strings.Contains(out.String(), "no space left on device") {
			t.Fatalf("json %v: the reason is not shown:\n%s", asJSON, out.String())
		}
	}
}

// TestStatusSaysWhenTheClusterHasNoQuorum: a node on the minority side
// pages through status, and the table and JSON say why and who leads.
func TestStatusSaysWhenTheClusterHasNoQuorum(t *testing.T) {
	snap := &room.Snapshot{Origin: &room.MirrorView{Name: "origin", Role: "origin"},
		Role: room.RoleReplica, Leader: "eu-1", LeaderTerm: "7", NoQuorum: room.NoQuorumText, NoQuorumWhy: "2 of 3 members unreachable"}
	for asJSON, want := range map[bool][]string{
		false: {"no quorum — read-only (2 of 3 members unreachable)", "replica; the room's leader: eu-1"},
		true:  {`"role": "replica"`, `"leader": "eu-1"`, `"no_quorum": "2 of 3 members unreachable"`},
	} {
		var out strings.Builder
		if err := printStatus(&out, statusReport{snap: snap}, asJSON); !errors.Is(err, errCritical) {
			t.Fatalf("json %v: %v, want critical", asJSON, err)
		}
		for _, w := range want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("json %v: status lacks %q:\n%s", asJSON, w, out.String())
			}
		}
	}
}
