package drill

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// t0 is the fake clocks' start: a fixed instant, so scorecards are stable.
var t0 = time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)

// injection is what the fake injector saw of one fault.
type injection struct {
	fault     Fault
	appliedAt time.Time
	removedAt time.Time // zero while applied
	removes   int       // how often remove was called: must end at 1
}

// fakeInjector records every fault applied and removed, on the clock.
type fakeInjector struct {
	clock clockwork.Clock
	fail  func(Fault) error // nil = never fails

	mu  sync.Mutex
	log []*injection
}

func (fi *fakeInjector) Inject(f Fault) (func(), error) {
	if fi.fail != nil {
		if err := fi.fail(f); err != nil {
			return nil, err
		}
	}
	fi.mu.Lock()
	defer fi.mu.Unlock()
	in := &injection{fault: f, appliedAt: fi.clock.Now()}
	fi.log = append(fi.log, in)
	return func() {
		fi.mu.Lock()
		defer fi.mu.Unlock()
		in.removes++
		in.removedAt = fi.clock.Now()
	}, nil
}

// snapshot copies the log.
func (fi *fakeInjector) snapshot() []injection {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	out := make([]injection, len(fi.log))
	for i, in := range fi.log {
		out[i] = *in
	}
	return out
}

// applied counts faults applied and not removed.
func (fi *fakeInjector) applied() int {
	n := 0
	for _, in := range fi.snapshot() {
		if in.removes == 0 {
			n++
		}
	}
	return n
}

// assertAllRemovedOnce fails unless every fault applied was removed exactly once.
func assertAllRemovedOnce(t *testing.T, fi *fakeInjector) {
	t.Helper()
	for _, in := range fi.snapshot() {
		if in.removes != 1 {
			t.Errorf("fault %s (line %d) removed %d times, want exactly once", in.fault.Kind, in.fault.Line, in.removes)
		}
	}
}

// settle waits until the runner sleeps on its one timer, or has ended.
func settle(t *testing.T, clock *clockwork.FakeClock, r *Runner) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	idle := make(chan error, 1)
	go func() { idle <- clock.BlockUntilContext(ctx, 1) }()
	select {
	case err := <-idle:
		if err != nil {
			t.Fatalf("runner never went idle: %v", err)
		}
	case <-r.Done():
	}
}

// waitDone waits for the runner's end, failing the test after a bound.
func waitDone(t *testing.T, r *Runner) {
	t.Helper()
	select {
	case <-r.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("drill did not end")
	}
}

// mustParse parses a scenario written in a test.
func mustParse(t *testing.T, src string) *Scenario {
	t.Helper()
	s, err := Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return s
}

// fieldErrors unpacks a joined error into its FieldErrors' texts.
func fieldErrors(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		t.Fatal("want errors, got none")
	}
	var out []string
	for _, e := range unjoin(err) {
		var fe *FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("error %q is not a *FieldError", e)
		}
		out = append(out, fe.Error())
	}
	return out
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func fmtList(list []string) string {
	s := ""
	for _, l := range list {
		s += fmt.Sprintf("\n  %s", l)
	}
	return s
}
