package main

import (
	"flag"
	"io"
	"slices"
	"testing"
)

// Flags may follow the arguments, as the README's commands write them.
func TestParseMixedTakesFlagsAnywhere(t *testing.T) {
	for _, c := range []struct {
		args    []string
		pos     []string
		to      string
		yes     bool
		wantErr bool
	}{
		{args: []string{"web", "--to", "2026.11.20", "--yes"}, pos: []string{"web"}, to: "2026.11.20", yes: true},
		{args: []string{"--yes", "web", "--to=v2"}, pos: []string{"web"}, to: "v2", yes: true},
		{args: []string{"a", "b"}, pos: []string{"a", "b"}},
		{args: []string{"web", "--", "--to", "x"}, pos: []string{"web", "--to", "x"}},
		{args: nil, pos: nil},
		{args: []string{"web", "--frob"}, wantErr: true},
		{args: []string{"web", "--to"}, wantErr: true},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		to, yes := fs.String("to", "", ""), fs.Bool("yes", false, "")
		pos, err := parseMixed(fs, c.args)
		if c.wantErr {
			if err == nil {
				t.Errorf("%q: no error", c.args)
			}
			continue
		}
		if err != nil || !slices.Equal(pos, c.pos) || *to != c.to || *yes != c.yes {
			t.Errorf("%q: pos %q to %q yes %v err %v; want %q %q %v", c.args, pos, *to, *yes, err, c.pos, c.to, c.yes)
		}
	}
}
