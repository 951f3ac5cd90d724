package tmplbound

import (
	"errors"
	"strings"
	"testing"
	"text/template"
	"time"
)

func guarded(t *testing.T, src string) *template.Template {
	t.Helper()
	tm, err := template.New("t").Funcs(Funcs(Default)).Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	Guard(tm)
	return tm
}

// Each template would exhaust memory or time unbounded; each must fail
// quickly with the bound it passed.
func TestRunawayTemplatesStopAtTheirBound(t *testing.T) {
	cases := []struct{ name, src, what string }{
		{"huge range with output", `{{range 100000000}}xxxxxxxxxxxxxxxx{{end}}`, "output"},
		{"huge range without output", `{{range 100000000}}{{end}}`, "steps"},
		{"nested ranges without output", `{{range 100000}}{{range 100000}}{{end}}{{end}}`, "steps"},
		{"printf width", `{{printf "%01000000000d" 0}}`, "output"},
		{"printf star width", `{{printf "%*d" 1000000000 0}}`, "output"},
		{"doubling variable", `{{$x := "ab"}}{{range 64}}{{$x = printf "%s%s" $x $x}}{{end}}{{len $x}}`, "output"},
		{"doubling with print", `{{$x := "ab"}}{{range 64}}{{$x = print $x $x}}{{end}}`, "output"},
		{"exponential recursion", `{{define "a"}}{{template "a" .}}{{template "a" .}}{{end}}{{template "a" .}}`, "steps"},
		{"range inside if inside range", `{{range 1000}}{{if true}}{{range 1000}}{{end}}{{end}}{{end}}`, "steps"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			out, err := Execute(guarded(t, c.src), nil, Default)
			var le *LimitError
			if !errors.As(err, &le) || le.What != c.what {
				t.Fatalf("err = %v (%d bytes out), want the %s bound", err, len(out), c.what)
			}
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %s to stop", took)
			}
		})
	}
}

func TestOrdinaryTemplatesAreUnchanged(t *testing.T) {
	tm := guarded(t, `{{define "row"}}[{{.}}]{{end}}{{range .}}{{template "row" .}}{{else}}none{{end}} {{printf "%-6s|%5.1f" "ab" 3.14159}} {{print "a" 1}}`)
	out, err := Execute(tm, []string{"x", "y"}, Default)
	if err != nil || out != "[x][y] ab    |  3.1 a1" {
		t.Fatalf("got %q, %v", out, err)
	}
	// Executions are independent: a budget is per run.
	small := Limits{Output: 1 << 10, Steps: 10, Timeout: time.Second}
	tm = guarded(t, `{{range 5}}.{{end}}`)
	for i := 0; i < 3; i++ {
		if out, err := Execute(tm, nil, small); err != nil || out != "....." {
			t.Fatalf("run %d: %q, %v", i, out, err)
		}
	}
	if !strings.Contains((&LimitError{What: "steps", L: Default}).Error(), "10000 steps") {
		t.Error("the steps error does not name its bound")
	}
}
