package main

import (
	"errors"
	"fmt"

	"warroom/backends/config"
	"warroom/backends/notify"
)

// checkAnnouncements renders every announcement template once with sample
// fields and builds every channel (a webhook renders its body), under the
// bounds they run with, so a runaway template fails here, named with its
// line, rather than at the first incident.
func checkAnnouncements(cfg *config.Config) error {
	templates, err := buildTemplates(cfg)
	if err != nil {
		return err
	}
	var errs []error
	if err := templates.Check(); err != nil {
		for _, e := range unjoin(err) {
			errs = append(errs, fmt.Errorf("%s: notify.templates: %s", cfg.Path, cfg.Mask(e.Error())))
		}
	}
	for i, c := range cfg.Notify.Channels {
		if _, err := notify.New(c, notify.Options{}); err != nil {
			errs = append(errs, fmt.Errorf("%s: notify.channels[%d]: %s", cfg.Path, i, cfg.Mask(err.Error())))
		}
	}
	return errors.Join(errs...)
}
