package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"warroom/backends/actions"
	"warroom/backends/config"
)

// cmdCheck validates a config: the file itself, then every executor and
// channel against the world, without changing anything.
func cmdCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	s, err := loadFromArgs("check", args, stderr)
	if err != nil {
		return err
	}
	if err := checkExecutors(ctx, s.cfg); err != nil {
		return err
	}
	if err := checkAnnouncements(s.cfg); err != nil {
		return err
	}
	for _, n := range s.cfg.DriftNotes() {
		fmt.Fprintf(stdout, "warning: %s\n", n)
	}
	fmt.Fprintf(stdout, "%s: ok — site %q, origin %s, %d mirrors, %d executors, %d channels, theme %s, keymap %s, journal in %s\n",
		s.cfg.Path, s.cfg.Site, s.cfg.Origin.Name, len(s.cfg.Mirrors), len(s.cfg.Actions.Executors),
		len(s.cfg.Notify.Channels), s.cfg.Theme, s.keymap.Name, s.cfg.StateDir)
	return nil
}

// checkExecutors builds each executor and asks it to check itself: the
// socket answers, the backend and servers exist, the command is found.
func checkExecutors(ctx context.Context, cfg *config.Config) error {
	byName := map[string]config.Mirror{}
	for _, m := range cfg.Mirrors {
		byName[m.Name] = m
	}
	var errs []error
	for i, e := range cfg.Actions.Executors {
		where := fmt.Sprintf("%s:%d: actions.executors[%d] (%s)", cfg.Path, e.Line, i, e.Name)
		x, err := actions.New(e, byName, cfg.Mask)
		if err == nil {
			cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err = x.Check(cctx)
			cancel()
		}
		// One line per problem, each saying where (an executor may find several).
		for _, e := range unjoin(err) {
			errs = append(errs, fmt.Errorf("%s: %s", where, cfg.Mask(e.Error())))
		}
	}
	return errors.Join(errs...)
}

// unjoin lists the errors an errors.Join holds; nil gives none.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
