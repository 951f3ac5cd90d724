package room

import (
	"strings"
	"testing"
	"time"

	"warroom/backends/actions"
	"warroom/backends/config"
)

// The preview renders the plan with the op the run gets, actor included:
// an exec executor whose command names {{.Actor}} shows the same name in
// the preview, in the journaled plan, and in the run.
func TestPreviewRendersTheActorLikeTheRun(t *testing.T) {
	cfg := actionConfig()
	cfg.Actions.Failover = "switch"
	cfg.Actions.Executors = append(cfg.Actions.Executors, config.Executor{Name: "switch", Timeout: 5 * time.Second,
		Exec: &config.ExecExecutor{Command: []string{"sh", "-c", `echo "by $1"`, "sh", "{{.Actor}} {{.From}}→{{.To}}"}}})
	x, err := actions.New(cfg.Actions.Executors[len(cfg.Actions.Executors)-1], nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	j := &memJournal{}
	h := startRoom(t, Options{Config: cfg, Journal: j, Executors: map[string]actions.Executor{"switch": x}})
	ctx, cancel := bg()
	defer cancel()
	req := Request{Kind: Failover, From: "tokyo", To: "osaka"}
	p, err := h.r.Preview(ctx, req, commander("mei"))
	if err != nil {
		t.Fatal(err)
	}
	if plan := strings.Join(p.Plan, "\n"); !strings.Contains(plan, "mei tokyo→osaka") {
		t.Fatalf("preview plan lacks the actor: %q", plan)
	}
	id, err := h.r.Act(ctx, req, commander("mei"))
	if err != nil {
		t.Fatal(err)
	}
	v := h.waitAction(id, ActionSucceeded, ActionFailed)
	if v.State != ActionSucceeded || !strings.Contains(strings.Join(v.Output, "\n"), "by mei tokyo→osaka") {
		t.Fatalf("run: %s %q %q", v.State, v.Err, v.Output)
	}
	for _, ev := range j.events(t) {
		if ev.Kind == EvActionRequested && !strings.Contains(ev.Fields["plan"], "mei tokyo→osaka") {
			t.Fatalf("journaled plan lacks the actor: %q", ev.Fields["plan"])
		}
	}
}
