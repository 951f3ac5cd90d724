package actions_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"warroom/backends/actions"
	"warroom/backends/config"
)

func shExec(t *testing.T, script string, more ...func(*config.ExecExecutor)) actions.Executor {
	t.Helper()
	c := &config.ExecExecutor{Command: []string{"sh", "-c", script, "sh", "{{.Action}}", "{{.Target}}", "{{.Version}}"}}
	for _, f := range more {
		f(c)
	}
	return mustNew(t, config.Executor{Name: "deploy", Exec: c}, nil, nil)
}

func rollback(version string) actions.Op {
	return actions.Op{Action: actions.ActionRollback, Target: "web", Version: version, Incident: "INC-7"}
}

func TestExecRunStreamsOutputAndMinimalEnv(t *testing.T) {
	t.Setenv("WARROOM_LEAK", "should-not-pass")
	x := shExec(t, `echo "$1 $2 $3"; echo to-stderr >&2; env | sort`, func(c *config.ExecExecutor) {
		c.Env = map[string]string{"INCIDENT": "{{.Incident}}"}
	})
	var out lines
	conf, err := x.Run(t.Context(), rollback("2026.11.20"), out.out)
	if err != nil {
		t.Fatal(err)
	}
	if conf != "exit 0" {
		t.Fatalf("confirmation %q, want exit 0", conf)
	}
	got := out.String()
	for _, want := range []string{"rollback web 2026.11.20", "to-stderr", "INCIDENT=INC-7", "PATH=", "HOME="} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "WARROOM_LEAK") {
		t.Errorf("the child saw this process's environment:\n%s", got)
	}
}

func TestExecNonZeroExit(t *testing.T) {
	x := shExec(t, `for i in 1 2 3 4 5 6 7; do echo line$i; done; exit 3`)
	_, err := x.Run(t.Context(), rollback("1"), func(string) {})
	wantErr(t, err, `exec executor "deploy"`, "exit status 3", "line7", "line3")
	if strings.Contains(err.Error(), "line1 ") {
		t.Errorf("error keeps more than the last lines: %v", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a failed exit is not a timeout: %v", err)
	}
}

// TestExecTimeoutKillsProcessGroup starts a child that starts a grandchild;
// at the timeout both must be gone and Run must return at once.
func TestExecTimeoutKillsProcessGroup(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "grandchild")
	x := shExec(t, `sleep 60 & echo $! > `+pidFile+`; echo started; wait`)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	var out lines
	_, err := x.Run(ctx, rollback("1"), out.out)
	took := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	wantErr(t, err, "process group killed")
	if took > 2*time.Second {
		t.Fatalf("Run returned %v after the start, want soon after the 300ms timeout", took)
	}
	if !strings.Contains(out.String(), "started") {
		t.Fatalf("output before the kill was not streamed: %q", out.String())
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	deadline := time.Now().Add(2 * time.Second)
	for syscall.Kill(pid, 0) == nil { // a zombie awaiting init counts as alive: poll
		if data, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat"); strings.Contains(string(data), ") Z ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("grandchild %d still alive after the timeout", pid)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestExecVerifyConfirms(t *testing.T) {
	x := shExec(t, `echo switched`, func(c *config.ExecExecutor) {
		c.Verify = []string{"sh", "-c", `echo "now on $1"`, "sh", "{{.Version}}"}
	})
	var out lines
	conf, err := x.Run(t.Context(), rollback("v9"), out.out)
	if err != nil || conf != "now on v9" {
		t.Fatalf("Run = %q, %v; want the verify output", conf, err)
	}
	if !strings.Contains(out.String(), "verify: now on v9") {
		t.Fatalf("verify output not streamed: %q", out.String())
	}
	bad := shExec(t, `true`, func(c *config.ExecExecutor) { c.Verify = []string{"sh", "-c", "echo still old; exit 1"} })
	_, err = bad.Run(t.Context(), rollback("v9"), func(string) {})
	wantErr(t, err, "verify:", "exit status 1", "still old")
}

func TestExecMissingCommand(t *testing.T) {
	x := mustNew(t, config.Executor{Name: "deploy", Exec: &config.ExecExecutor{Command: []string{"no-such-warroom-tool", "x"}}}, nil, nil)
	wantErr(t, x.Check(t.Context()), `exec executor "deploy"`, "command[0]", "no-such-warroom-tool", "not found")
	_, err := x.Run(t.Context(), rollback("1"), func(string) {})
	wantErr(t, err, "no-such-warroom-tool")
	ok := mustNew(t, config.Executor{Name: "deploy", Exec: &config.ExecExecutor{Command: []string{"sh", "-c", "true"}, Dir: "/no/such/dir"}}, nil, nil)
	wantErr(t, ok.Check(t.Context()), "dir /no/such/dir")
}

func TestExecList(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for name, tc := range map[string]struct {
		print string
		want  []actions.Version
	}{
		"json sorted newest first": {
			`[{"id":"v1","label":"first","at":"2026-11-01T10:00:00Z"},{"id":"v3","at":1795000000},{"id":2,"label":"second","at":"2026-11-10T10:00:00Z"}]`,
			[]actions.Version{{ID: "v3", At: time.Unix(1795000000, 0).UTC()}, {ID: "2", Label: "second", At: at("2026-11-10T10:00:00Z")}, {ID: "v1", Label: "first", At: at("2026-11-01T10:00:00Z")}},
		},
		"json without dates keeps order": {
			`[{"id":"b"},{"id":"a","label":"x"}]`,
			[]actions.Version{{ID: "b"}, {ID: "a", Label: "x"}},
		},
		"lines": {
			"# versions\n2026.11.20 good one  \n\n2026.11.19\n2026.11.18 the\tlast\n",
			[]actions.Version{{ID: "2026.11.20", Label: "good one"}, {ID: "2026.11.19"}, {ID: "2026.11.18", Label: "the\tlast"}},
		},
	} {
		t.Run(name, func(t *testing.T) {
			x := mustNew(t, config.Executor{Name: "deploy", Exec: &config.ExecExecutor{
				Command: []string{"true"},
				List:    []string{"sh", "-c", `echo "warning on stderr" >&2; printf '%s' "$1"`, "sh", tc.print},
			}}, nil, nil)
			got, err := x.(actions.Lister).List(t.Context(), rollback(""))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("List\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
	bad := mustNew(t, config.Executor{Name: "deploy", Exec: &config.ExecExecutor{
		Command: []string{"true"}, List: []string{"sh", "-c", `echo '[{"label":"no id"}]'`},
	}}, nil, nil)
	_, err := bad.(actions.Lister).List(t.Context(), rollback(""))
	wantErr(t, err, "list", "entry 1", "id")
	failing := mustNew(t, config.Executor{Name: "deploy", Exec: &config.ExecExecutor{
		Command: []string{"true"}, List: []string{"sh", "-c", `echo "registry down" >&2; exit 2`},
	}}, nil, nil)
	_, err = failing.(actions.Lister).List(t.Context(), rollback(""))
	wantErr(t, err, "exit status 2", "registry down")
}
