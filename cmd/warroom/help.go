package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// helpRequest is -h or --help on one command: its own synopsis and flags
// are printed, and the exit code is 0.
type helpRequest struct{ fs *flag.FlagSet }

func (h helpRequest) Error() string { return "help requested" }
func (h helpRequest) Unwrap() error { return flag.ErrHelp }

// flagError is a bad flag of one command, shown with that command's flags
// rather than the whole program's usage.
type flagError struct {
	msg string
	fs  *flag.FlagSet
}

func (e flagError) Error() string { return e.msg }

// parseErr turns what flag.Parse returned into a helpRequest or a
// flagError; the flag package itself prints nothing (see newFlags).
func parseErr(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return helpRequest{fs}
	}
	return flagError{msg: fs.Name() + ": " + err.Error(), fs: fs}
}

// writeHelp prints a command's synopsis lines from text (the program's
// usage, or the SSH commands' over SSH) and then its flags. The room itself
// ("warroom") has the whole text.
func writeHelp(w io.Writer, fs *flag.FlagSet, text string) {
	if fs.Name() == "warroom" {
		fmt.Fprint(w, text+"\n")
	} else {
		fmt.Fprintf(w, "Usage:\n%s\n", synopsis(text, fs.Name()))
	}
	fmt.Fprintln(w, "Flags:")
	out := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(out)
}

// synopsis is text's line (or lines) for one command: those where
// "warroom NAME" stands first, or after "ssh".
func synopsis(text, name string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && f[0] == "ssh" {
			f = f[1:]
		}
		if len(f) >= 2 && f[0] == "warroom" && f[1] == name {
			b.WriteString(line + "\n")
		}
	}
	if b.Len() == 0 {
		return "  warroom " + name + " [flags]\n"
	}
	return b.String()
}
