package main

import (
	"fmt"
	"io"
)

// cmdCheck validates a config and says what it found.
func cmdCheck(args []string, stdout, stderr io.Writer) error {
	s, err := loadFromArgs("check", args, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: ok — site %q, origin %s, %d mirrors, theme %s, keymap %s, journal in %s\n",
		s.cfg.Path, s.cfg.Site, s.cfg.Origin.Name, len(s.cfg.Mirrors), s.cfg.Theme, s.keymap.Name, s.cfg.StateDir)
	return nil
}
