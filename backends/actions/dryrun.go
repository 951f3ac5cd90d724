package actions

import (
	"context"
	"fmt"
	"strings"
)

// DryRunPrefix starts every output line of a dry run, so nobody reads it
// as something that happened.
const DryRunPrefix = "dry run: "

// DryRun wraps e so that Run changes nothing: drills rehearse the room's
// actions without touching the world. Plan is e's own plan; Run streams
// that plan as output, each line prefixed "dry run: ", and succeeds without
// any I/O; Check passes without asking the world.
func DryRun(e Executor) Executor { return dryRun{e: e} }

type dryRun struct{ e Executor }

func (d dryRun) Name() string { return d.e.Name() }

func (d dryRun) Kind() string { return d.e.Kind() + " (dry run)" }

func (d dryRun) Plan(op Op) ([]string, error) { return d.e.Plan(op) }

func (d dryRun) Run(ctx context.Context, op Op, out func(line string)) (string, error) {
	lines, err := d.e.Plan(op)
	if err != nil {
		return "", fmt.Errorf("dry run of %s %q: %w", d.e.Kind(), d.e.Name(), err)
	}
	for _, l := range lines {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		out(DryRunPrefix + l)
	}
	what := op.Action
	if op.From != "" || op.To != "" {
		what += fmt.Sprintf(" %s → %s", op.From, op.To)
	}
	if op.Version != "" {
		what += " to " + op.Version
	}
	if len(op.Instances) > 0 {
		what += " on " + strings.Join(op.Instances, ", ")
	}
	return fmt.Sprintf("dry run: %s not performed (%d planned steps)", what, len(lines)), nil
}

func (d dryRun) Check(context.Context) error { return nil }
