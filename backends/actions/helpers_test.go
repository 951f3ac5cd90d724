package actions_test

import (
	"net/url"
	"strings"
	"testing"

	"warroom/backends/actions"
	"warroom/backends/config"
)

// mirrorsFor builds the mirrors map New takes from name → URL.
func mirrorsFor(t testing.TB, urls map[string]string) map[string]config.Mirror {
	t.Helper()
	out := map[string]config.Mirror{}
	for n, u := range urls {
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatal(err)
		}
		out[n] = config.Mirror{Name: n, URL: pu}
	}
	return out
}

func mustNew(t *testing.T, e config.Executor, mirrors map[string]config.Mirror, mask func(string) string) actions.Executor {
	t.Helper()
	x, err := actions.New(e, mirrors, mask)
	if err != nil {
		t.Fatalf("New(%s %q): %v", e.Kind(), e.Name, err)
	}
	return x
}

// maskOf hides each secret as ***.
func maskOf(secrets ...string) func(string) string {
	return func(s string) string {
		for _, x := range secrets {
			s = strings.ReplaceAll(s, x, "***")
		}
		return s
	}
}

// lines collects Run's output.
type lines struct{ l []string }

func (l *lines) out(s string)   { l.l = append(l.l, s) }
func (l *lines) String() string { return strings.Join(l.l, "\n") }

func failover(from, to string) actions.Op {
	return actions.Op{Action: actions.ActionFailover, Target: "mirrors", From: from, To: to, Incident: "INC-7", Actor: "ana"}
}

func wantErr(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Fatalf("error %q does not contain %q", err, p)
		}
	}
}
