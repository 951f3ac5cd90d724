package actions_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"warroom/backends/actions"
)

// spy is an executor that counts the calls that would touch the world.
type spy struct {
	runs, checks atomic.Int32
	planErr      error
}

func (s *spy) Name() string { return "lb" }
func (s *spy) Kind() string { return "haproxy" }
func (s *spy) Plan(op actions.Op) ([]string, error) {
	if s.planErr != nil {
		return nil, s.planErr
	}
	return []string{"set server mirrors/" + op.From + " state maint", "set server mirrors/" + op.To + " state ready"}, nil
}
func (s *spy) Run(context.Context, actions.Op, func(string)) (string, error) {
	s.runs.Add(1)
	return "moved", nil
}
func (s *spy) Check(context.Context) error {
	s.checks.Add(1)
	return errors.New("world unreachable")
}

func TestDryRunStreamsThePlanAndTouchesNothing(t *testing.T) {
	wrapped := &spy{}
	x := actions.DryRun(wrapped)
	op := actions.Op{Action: actions.ActionFailover, From: "tokyo", To: "osaka"}
	plan, err := x.Plan(op)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := wrapped.Plan(op)
	if strings.Join(plan, "\n") != strings.Join(want, "\n") {
		t.Fatalf("plan = %q, want the wrapped executor's %q", plan, want)
	}
	var out []string
	confirmed, err := x.Run(t.Context(), op, func(l string) { out = append(out, l) })
	if err != nil {
		t.Fatalf("dry run failed: %v", err)
	}
	if len(out) != len(want) {
		t.Fatalf("output %q: want one line per plan step %q", out, want)
	}
	for i, l := range out {
		if l != "dry run: "+want[i] {
			t.Errorf("line %d = %q, want %q", i, l, "dry run: "+want[i])
		}
	}
	if !strings.Contains(confirmed, "dry run") || !strings.Contains(confirmed, "tokyo → osaka") {
		t.Errorf("confirmed = %q: want it to say it was a dry run of tokyo → osaka", confirmed)
	}
	if err := x.Check(t.Context()); err != nil {
		t.Errorf("Check = %v, want nil without asking the world", err)
	}
	if wrapped.runs.Load() != 0 || wrapped.checks.Load() != 0 {
		t.Fatalf("wrapped executor ran %d times and checked %d times; a dry run must do neither", wrapped.runs.Load(), wrapped.checks.Load())
	}
	if x.Name() != "lb" || !strings.Contains(x.Kind(), "dry run") {
		t.Errorf("name %q kind %q: want the wrapped name and a kind that says dry run", x.Name(), x.Kind())
	}
}

func TestDryRunFailsWhenThePlanFails(t *testing.T) {
	x := actions.DryRun(&spy{planErr: errors.New("no server osaka")})
	_, err := x.Run(t.Context(), actions.Op{Action: actions.ActionFailover, From: "tokyo", To: "osaka"}, func(string) {
		t.Error("no output expected when the plan fails")
	})
	if err == nil || !strings.Contains(err.Error(), "no server osaka") || !strings.Contains(err.Error(), `"lb"`) {
		t.Fatalf("err = %v: want the plan's error naming the executor", err)
	}
}

func TestDryRunStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := actions.DryRun(&spy{}).Run(ctx, actions.Op{Action: actions.ActionFailover, From: "a", To: "b"}, func(string) {})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
