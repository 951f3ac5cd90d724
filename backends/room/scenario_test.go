package room

import (
	"context"
	"strings"
	"testing"
)

func TestScenarioIsDescribedInTheRoomsWords(t *testing.T) {
	s := ScenarioOf(scenario(t, tokyoDrill), "drills/test.yaml")
	got := strings.Join([]string{s.Name, s.Summary, s.File, s.Lasts, strings.Join(s.Goals, "; "), strings.Join(s.Faults, "; ")}, " | ")
	want := "tokyo-dies | the active mirror stops answering | drills/test.yaml | 10m | detect within 1m; failover within 5m | " +
		"at 0s: mirror-down tokyo for 4m; at 8m: slow osaka until the end"
	if got != want || s.Live {
		t.Fatalf("ScenarioOf =\n%s (live %t)\nwant\n%s", got, s.Live, want)
	}
}

func TestStartScenarioStartsTheDescribedDrill(t *testing.T) {
	j := &memJournal{}
	h := drillRoom(t, actionConfig(), newInjector(), j, nil, nil)
	ctx := context.Background()
	if err := h.r.StartScenario(ctx, Scenario{}, commander("ana")); err == nil || !strings.Contains(err.Error(), "no drill scenario") {
		t.Fatalf("an empty scenario: err = %v", err)
	}
	if err := h.r.StartScenario(ctx, ScenarioOf(scenario(t, tokyoDrill), "drills/test.yaml"), commander("ana")); err != nil {
		t.Fatal(err)
	}
	if d := h.settle().Drill; d == nil || d.Name != "tokyo-dies" || d.Ended {
		t.Fatalf("drill view: %+v", d)
	}
}
