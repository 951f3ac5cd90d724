package main

import (
	"os"
	"strings"
	"testing"

	"github.com/charmbracelet/x/term"
)

// demo --cluster refuses what cannot work before it starts any node.
func TestDemoClusterRefusesBadUse(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"demo", "--cluster", "4"}, "want 3 or 5 nodes"},
		{[]string{"demo", "--cluster", "3", "--serve", "127.0.0.1:0"}, "leave out --serve"},
		{[]string{"demo", "--cluster", "3"}, "needs a terminal"},
	} {
		if c.want == "needs a terminal" && term.IsTerminal(os.Stdin.Fd()) {
			continue // run by hand from a terminal: it would start the demo
		}
		code, _, errOut := runCmd(t, "", c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, want 2 and %q\n%s", c.args, code, c.want, errOut)
		}
	}
}
