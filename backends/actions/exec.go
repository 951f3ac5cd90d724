package actions

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"warroom/backends/config"
)

// execExec runs a program per action; a verify program confirms the result.
type execExec struct {
	name    string
	command []tmpl
	list    []tmpl
	verify  []tmpl
	env     []envVar
	dir     string
	mask    func(string) string
}

type envVar struct {
	name string
	val  tmpl
}

func newExec(name string, c config.ExecExecutor, mask func(string) string) (*execExec, error) {
	x := &execExec{name: name, dir: c.Dir, mask: mask}
	if len(c.Command) == 0 || c.Command[0] == "" {
		return nil, x.errorf("command is empty: want an argv list, e.g. [/usr/local/bin/deploy, \"{{.Action}}\", \"{{.Target}}\"]")
	}
	var err error
	if x.command, err = compileAll("command", c.Command); err != nil {
		return nil, x.errorf("%v", err)
	}
	if x.list, err = compileAll("list", c.List); err != nil {
		return nil, x.errorf("%v", err)
	}
	if x.verify, err = compileAll("verify", c.Verify); err != nil {
		return nil, x.errorf("%v", err)
	}
	for _, k := range slices.Sorted(maps.Keys(c.Env)) {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return nil, x.errorf("env %q: not a variable name", k)
		}
		t, err := compile(fmt.Sprintf("env[%s]", k), c.Env[k])
		if err != nil {
			return nil, x.errorf("%v", err)
		}
		x.env = append(x.env, envVar{k, t})
	}
	return x, nil
}

func (x *execExec) Name() string { return x.name }
func (x *execExec) Kind() string { return "exec" }

func (x *execExec) errorf(format string, args ...any) error {
	return errorf("exec", x.name, x.mask, format, args...)
}

// procs renders the command (and verify) for op.
func (x *execExec) procs(op Op) (cmd, verify *proc, err error) {
	if err := checkOp(op, true); err != nil {
		return nil, nil, x.errorf("%v", err)
	}
	env := make([]string, len(x.env))
	for i, e := range x.env {
		v, err := e.val.render(op)
		if err != nil {
			return nil, nil, x.errorf("%v", err)
		}
		env[i] = e.name + "=" + v
	}
	env = minimalEnv(env)
	argv, err := renderAll(x.command, op)
	if err != nil {
		return nil, nil, x.errorf("%v", err)
	}
	cmd = &proc{argv: argv, env: env, dir: x.dir}
	if len(x.verify) > 0 {
		v, err := renderAll(x.verify, op)
		if err != nil {
			return nil, nil, x.errorf("%v", err)
		}
		verify = &proc{argv: v, env: env, dir: x.dir}
	}
	return cmd, verify, nil
}

// show prints argv for a plan line: words with spaces or quotes are quoted.
func show(argv []string) string {
	out := make([]string, len(argv))
	for i, a := range argv {
		if a == "" || strings.ContainsAny(a, " \t\n\"'\\$") {
			a = strconv.Quote(a)
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

func (x *execExec) Plan(op Op) ([]string, error) {
	cmd, verify, err := x.procs(op)
	if err != nil {
		return nil, err
	}
	extra := ""
	if len(x.env) > 0 {
		names := make([]string, len(x.env))
		for i, e := range x.env {
			names[i] = e.name
		}
		extra += " (env " + strings.Join(names, ", ") + ")"
	}
	if x.dir != "" {
		extra += " (in " + x.dir + ")"
	}
	lines := []string{x.mask("exec: " + show(cmd.argv) + extra)}
	if verify != nil {
		lines = append(lines, x.mask("exec: verify: "+show(verify.argv)))
	}
	return lines, nil
}

func (x *execExec) Run(ctx context.Context, op Op, out func(string)) (string, error) {
	cmd, verify, err := x.procs(op)
	if err != nil {
		return "", err
	}
	masked := func(l string) { out(x.mask(l)) }
	tail, err := cmd.run(ctx, masked)
	if err != nil {
		return "", x.errorf("%w%s", err, lastLines(tail))
	}
	if verify == nil {
		return "exit 0", nil
	}
	var said []string
	tail, err = verify.run(ctx, func(l string) {
		masked("verify: " + l)
		said = append(said, l)
	})
	if err != nil {
		return "", x.errorf("verify: %w%s", err, lastLines(tail))
	}
	conf := strings.TrimSpace(strings.Join(said, "\n"))
	if conf == "" {
		return "verify exit 0", nil
	}
	return x.mask(clip(conf, 2048)), nil
}

func lastLines(tail []string) string {
	if len(tail) == 0 {
		return ""
	}
	return "; last output: " + strings.Join(tail, " | ")
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// List runs the list command and parses its versions.
func (x *execExec) List(ctx context.Context, op Op) ([]Version, error) {
	if len(x.list) == 0 {
		return nil, x.errorf("no list command: set list to a command printing the versions")
	}
	argv, err := renderAll(x.list, op)
	if err != nil {
		return nil, x.errorf("%v", err)
	}
	env := make([]string, 0, len(x.env))
	for _, e := range x.env {
		v, err := e.val.render(op)
		if err != nil {
			return nil, x.errorf("%v", err)
		}
		env = append(env, e.name+"="+v)
	}
	b, err := proc{argv: argv, env: minimalEnv(env), dir: x.dir}.output(ctx)
	if err != nil {
		return nil, x.errorf("list: %w", err)
	}
	v, err := parseVersions(b)
	if err != nil {
		return nil, x.errorf("list: %s: %v", argv[0], err)
	}
	return v, nil
}

// Check finds every program on PATH, the directory, and renders every
// template with a sample op so unknown fields show now, not mid-incident.
func (x *execExec) Check(ctx context.Context) error {
	op := sampleOp()
	for _, set := range [][]tmpl{x.command, x.list, x.verify} {
		argv, err := renderAll(set, op)
		if err != nil {
			return x.errorf("%v", err)
		}
		if len(argv) > 0 && !strings.Contains(set[0].src, "{{") {
			if _, err := exec.LookPath(argv[0]); err != nil {
				return x.errorf("%s: %s not found: %v (install it or give a full path)", set[0].field, argv[0], err)
			}
		}
	}
	for _, e := range x.env {
		if _, err := e.val.render(op); err != nil {
			return x.errorf("%v", err)
		}
	}
	if x.dir != "" {
		if st, err := os.Stat(x.dir); err != nil || !st.IsDir() {
			return x.errorf("dir %s: not a directory (%v)", x.dir, err)
		}
	}
	return ctx.Err()
}
