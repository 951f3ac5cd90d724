package panestest

import (
	"time"

	"warroom/backends/room"
)

// ActionsSnapshot is Snapshot in a room that can act (failover executor
// "edge", rollback targets web and api, confirm by typing the name) with a
// rollback proposal open and six actions, one in nearly every state: a
// failover and its failback that succeeded, a rollback still watched for
// its version, a batch rollback paused on a failed batch, a failover that
// timed out and a failover running now.
func ActionsSnapshot() *room.Snapshot {
	s := Snapshot()
	at := Now()
	ago := func(d time.Duration) time.Time { return at.Add(-d) }
	s.Confirm, s.CanFailover = "type-name", true
	s.RollbackTargets = []string{"web", "api"}
	s.Proposals = []room.Proposal{{Rule: "web-5xx", Request: room.Request{Kind: room.Rollback, Target: "web", Rule: "web-5xx"},
		Reason: "web errors at 7 % (over 5 %) for 10m", At: ago(90 * time.Second)}}
	haproxyPlan := func(from, to string) []string {
		return []string{"set server mirrors/" + to + " state ready", "set server mirrors/" + from + " state maint",
			"show servers state mirrors (read back: " + to + " ready, " + from + " maint)"}
	}
	s.Actions = []room.ActionView{
		{ID: "act-1", Request: room.Request{Kind: room.Failover, From: "fra-1", To: "ams-2"}, Executor: "edge",
			Plan: haproxyPlan("fra-1", "ams-2"), RPO: 9 * time.Second, RPOKnown: true, RequestedBy: "ana",
			RequestedAt: ago(50 * time.Minute), State: room.ActionSucceeded, StartedAt: ago(50 * time.Minute),
			EndedAt: ago(50*time.Minute - 1200*time.Millisecond), Output: []string{"ams-2 ready", "fra-1 maint"},
			Confirmed: "ams-2 READY, fra-1 MAINT"},
		{ID: "act-2", Request: room.Request{Kind: room.Failback, From: "ams-2", To: "fra-1"}, Executor: "edge",
			Plan: haproxyPlan("ams-2", "fra-1"), RPO: 3 * time.Second, RPOKnown: true, RequestedBy: "ana",
			RequestedAt: ago(31 * time.Minute), State: room.ActionSucceeded, StartedAt: ago(31 * time.Minute),
			EndedAt: ago(31*time.Minute - 900*time.Millisecond), Confirmed: "fra-1 READY, ams-2 MAINT"},
		{ID: "act-3", Request: room.Request{Kind: room.Rollback, Target: "web", Version: "2026.08.20"}, Executor: "deploy",
			Plan:        []string{"batch 1/1: deploy-web --version 2026.08.20 --hosts w1,w2"},
			RequestedBy: "chen.jing", RequestedAt: ago(20 * time.Minute), State: room.ActionSucceeded,
			StartedAt: ago(20 * time.Minute), EndedAt: ago(18 * time.Minute), Output: []string{"w1 ok", "w2 ok"},
			Confirmed: "deployed w1,w2", Watching: []string{"tokyo"}},
		{ID: "act-4", Request: room.Request{Kind: room.Rollback, Target: "api", Version: "2026.08.19"}, Executor: "deploy",
			Plan: []string{"batch 1/3: deploy-api --version 2026.08.19 --hosts api-1",
				"batch 2/3: deploy-api --version 2026.08.19 --hosts api-2,api-3",
				"batch 3/3: deploy-api --version 2026.08.19 --hosts api-4,api-5,api-6"},
			RequestedBy: "li.wei", RequestedAt: ago(8 * time.Minute), State: room.ActionPaused, StartedAt: ago(8 * time.Minute),
			Output: []string{"batch 1/3: api-1 ok", "batch 1/3: done: deployed api-1", "batch 2/3: api-2: GET /healthz: 503"},
			Err:    "api-2: health check failed", Batch: 2, Batches: 3},
		{ID: "act-5", Request: room.Request{Kind: room.Failover, From: "fra-1", To: "nyc-3"}, Executor: "edge",
			Plan: haproxyPlan("fra-1", "nyc-3"), RPO: 58 * time.Second, RPOKnown: true, RequestedBy: "bob",
			RequestedAt: ago(4 * time.Minute), State: room.ActionTimedOut, StartedAt: ago(4 * time.Minute),
			EndedAt: ago(4*time.Minute - 10*time.Second), Output: []string{"connecting to /run/haproxy/admin.sock"},
			Err: "context deadline exceeded after 10s: executor edge did not stop"},
		{ID: "act-6", Request: room.Request{Kind: room.Failover, From: "fra-1", To: "ams-2"}, Executor: "edge",
			Plan: haproxyPlan("fra-1", "ams-2"), RPO: 4*time.Minute + 5*time.Second, RPOKnown: true, RequestedBy: "li.wei",
			RequestedAt: ago(12 * time.Second), State: room.ActionRunning, StartedAt: ago(12 * time.Second),
			Output: []string{"set server mirrors/ams-2 state ready: ok"}},
	}
	return s
}

// ProposalSnapshot is a room whose active mirror fra-1 is down, with rule
// active-down proposing a failover to ams-2 and nothing run yet.
func ProposalSnapshot() *room.Snapshot {
	s := Snapshot()
	at := Now()
	s.Seq = 43
	s.Confirm, s.CanFailover = "type-name", true
	s.RollbackTargets = []string{"web"}
	ms := Mirrors()
	fra := *ms[0]
	fra.State, fra.Since, fra.Reason, fra.Status, fra.ErrorRate = room.StateDown, at.Add(-40*time.Second),
		"unreachable: dial tcp 198.51.100.7:443: connect: connection refused", 0, 1
	ms[0] = &fra
	s.Mirrors = ms
	s.Proposals = []room.Proposal{{Rule: "active-down", Request: room.Request{Kind: room.Failover, From: "fra-1", To: "ams-2", Rule: "active-down"},
		Reason: "active mirror fra-1 down since 14:03:40", At: at.Add(-5 * time.Second)}}
	return s
}

// FailbackSnapshot is a room that failed over from fra-1 to ams-2 and now
// offers the switch back: fra-1 is healthy and caught up.
func FailbackSnapshot() *room.Snapshot {
	s := Snapshot()
	at := Now()
	s.Confirm, s.CanFailover = "yes", true
	ms := Mirrors()
	fra, ams := *ms[0], *ms[1]
	fra.Role, ams.Role = "backup", "active"
	ms[0], ms[1] = &fra, &ams
	s.Mirrors = ms
	s.Actions = []room.ActionView{{ID: "act-1", Request: room.Request{Kind: room.Failover, From: "fra-1", To: "ams-2"},
		Executor: "edge", RequestedBy: "ana", RequestedAt: at.Add(-20 * time.Minute), State: room.ActionSucceeded,
		StartedAt: at.Add(-20 * time.Minute), EndedAt: at.Add(-20*time.Minute + time.Second), Confirmed: "ams-2 READY, fra-1 MAINT"}}
	s.Failback = &room.FailbackOffer{Request: room.Request{Kind: room.Failback, From: "ams-2", To: "fra-1"},
		Reason: "fra-1 is healthy and 12s behind the origin, at the origin's serial 2026082203"}
	return s
}
