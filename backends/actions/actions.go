package actions

import (
	"context"
	"errors"
	"fmt"
	"time"

	"warroom/backends/config"
)

// Actions an Op can ask for.
const (
	ActionFailover = "failover"
	ActionFailback = "failback"
	ActionRollback = "rollback"
)

// Op is one action to run; its fields are what argument, URL and body
// templates see (text/template, missingkey=error).
type Op struct {
	Action    string   // failover | failback | rollback
	Target    string   // service (site) or rollback target name
	From, To  string   // mirror names (failover/failback): move traffic From → To
	Version   string   // rollback: version id
	Instances []string // rollback: the instances of this batch
	Incident  string
	Actor     string
}

// Executor is one configured way of acting on the world.
type Executor interface {
	Name() string
	Kind() string
	// Plan says exactly what Run will do for op, one line per step, secrets
	// masked; no I/O. Errors name the executor and the field.
	Plan(op Op) ([]string, error)
	// Run does op and then reads the result back from the world. out gets
	// output lines as they happen (from Run's goroutine). It returns the
	// read-back evidence. A timeout satisfies errors.Is(err, context.DeadlineExceeded).
	Run(ctx context.Context, op Op, out func(line string)) (confirmed string, err error)
	// Check verifies the configuration against the world without changing anything.
	Check(ctx context.Context) error
}

// Lister is implemented by exec and http executors that have a list step.
type Lister interface {
	// List returns the rollback versions, newest first.
	List(ctx context.Context, op Op) ([]Version, error)
}

// Version is one version a rollback can go to.
type Version struct {
	ID, Label string
	At        time.Time // zero if unknown
}

// Reader is implemented by haproxy and dns: which mirrors receive traffic
// now, read from the world.
type Reader interface {
	Active(ctx context.Context) ([]string, error)
}

// New builds an executor from its configuration. mirrors maps mirror name
// → its config (dns default values are the mirror URL's host; haproxy's
// default server name is the mirror name). mask hides secrets in plans,
// output and errors; nil means none to hide.
func New(e config.Executor, mirrors map[string]config.Mirror, mask func(string) string) (Executor, error) {
	if mask == nil {
		mask = func(s string) string { return s }
	}
	set := 0
	for _, on := range []bool{e.HAProxy != nil, e.DNS != nil, e.Exec != nil, e.HTTP != nil} {
		if on {
			set++
		}
	}
	if set != 1 {
		return nil, fmt.Errorf("executor %q%s: %d kinds set: want exactly one of haproxy, dns, exec, http", e.Name, line(e.Line), set)
	}
	switch {
	case e.HAProxy != nil:
		return newHAProxy(e.Name, *e.HAProxy, mirrors, mask)
	case e.DNS != nil:
		return newDNS(e.Name, *e.DNS, mirrors, mask)
	case e.Exec != nil:
		return newExec(e.Name, *e.Exec, mask)
	default:
		return newHTTP(e.Name, *e.HTTP, mask)
	}
}

func line(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(" (line %d)", n)
}

// checkOp refuses an op that cannot be planned: an unknown action, a
// failover without both ends, a rollback without a version.
func checkOp(op Op, rollback bool) error {
	switch op.Action {
	case ActionFailover, ActionFailback:
		if op.From == "" || op.To == "" {
			return fmt.Errorf("%s needs a from and a to mirror (got from %q, to %q)", op.Action, op.From, op.To)
		}
		if op.From == op.To {
			return fmt.Errorf("%s from %q to itself: pick another mirror", op.Action, op.From)
		}
	case ActionRollback:
		if !rollback {
			return errors.New("rollback is not supported by this kind of executor: use an exec or http executor")
		}
		if op.Version == "" {
			return errors.New("rollback needs a version: pick one from the list")
		}
	default:
		return fmt.Errorf("unknown action %q: want failover, failback or rollback", op.Action)
	}
	return nil
}

// sampleOp is what Check renders templates with, to find mistakes early.
func sampleOp() Op {
	return Op{Action: ActionFailover, Target: "target", From: "from", To: "to", Version: "version",
		Instances: []string{"instance"}, Incident: "INC-0", Actor: "check"}
}

// execError is an executor's error: its text names the executor and is
// masked; its chain is kept for errors.Is (timeouts).
type execError struct {
	msg string
	err error
}

func (e *execError) Error() string { return e.msg }
func (e *execError) Unwrap() error { return e.err }

// errorf builds an execError: `<kind> executor "<name>": <masked text>`.
func errorf(kind, name string, mask func(string) string, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	var chain []error // errors formatted with %v stay reachable too
	for _, a := range args {
		if e, ok := a.(error); ok {
			chain = append(chain, e)
		}
	}
	if len(chain) > 0 {
		err = &execError{msg: err.Error(), err: errors.Join(chain...)}
	}
	return &execError{msg: fmt.Sprintf("%s executor %q: %s", kind, name, mask(err.Error())), err: err}
}
