package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"warroom/backends/config"
	"warroom/backends/report"
	"warroom/backends/room"
)

// cmdReport writes the post-incident review from the journal. It reads the
// journal without its lock, so it runs beside a live room.
func cmdReport(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", stderr)
	cfgFile := fs.String("config", "", "config file; the journal is in its state_dir")
	journalFile := fs.String("journal", "", "read this journal file instead of the config's")
	id := fs.String("incident", "", "incident or drill id (default: the latest; --list shows them)")
	format := fs.String("format", "md", "md or json")
	list := fs.Bool("list", false, "list the incidents and drills in the journal")
	out := fs.String("o", "", "write to this file instead of stdout")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "md" && *format != "json" {
		return usageError(fmt.Sprintf("report: --format %q: want md or json", *format))
	}
	path := *journalFile
	var cfg *config.Config
	if path == "" || *cfgFile != "" {
		s, err := load(roomFlags{config: *cfgFile})
		if err != nil {
			return err
		}
		cfg = s.cfg
	}
	if path == "" {
		path = journalPath(cfg)
	}
	evs, err := report.ReadJournal(path)
	if err != nil {
		return err
	}
	if cfg != nil {
		report.Mask(evs, cfg.Mask)
	}
	var body []byte
	if *list {
		body, err = renderList(report.List(evs), *format)
	} else {
		body, err = renderReport(evs, *id, *format)
	}
	if err != nil {
		return fmt.Errorf("journal %s: %w", path, err)
	}
	if *out == "" {
		_, err = stdout.Write(body)
		return err
	}
	if err := os.WriteFile(*out, body, 0o640); err != nil {
		return fmt.Errorf("report: write %s: %w", *out, err)
	}
	return nil
}

func renderReport(evs []room.Event, id, format string) ([]byte, error) {
	r, err := report.Build(evs, id)
	if err != nil {
		return nil, err
	}
	if format == "json" {
		b, err := r.JSON()
		return append(b, '\n'), err
	}
	return []byte(r.Markdown()), nil
}

// renderList prints incidents and drills as two tables, or as JSON.
func renderList(all []report.Summary, format string) ([]byte, error) {
	incidents, drills := []report.Summary{}, []report.Summary{}
	for _, s := range all {
		if s.Drill {
			drills = append(drills, s)
		} else {
			incidents = append(incidents, s)
		}
	}
	if format == "json" {
		b, err := json.MarshalIndent(map[string][]report.Summary{"incidents": incidents, "drills": drills}, "", "  ")
		return append(b, '\n'), err
	}
	var b bytes.Buffer
	for _, group := range []struct {
		name string
		list []report.Summary
	}{{"Incidents", incidents}, {"Drills", drills}} {
		fmt.Fprintf(&b, "%s:\n", group.name)
		if len(group.list) == 0 {
			fmt.Fprintf(&b, "  none\n\n")
			continue
		}
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  ID\tLEVEL\tSTATUS\tSTARTED (UTC)\tTITLE\n")
		for _, s := range group.list {
			level, status, title := fmt.Sprint(s.Level), s.Status, s.Title
			if !s.Declared {
				level, status = "-", "not declared"
			}
			if s.Scenario != "" {
				title += " (scenario " + s.Scenario + ")"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", s.ID, level, status, report.Stamp(s.DeclaredAt), title)
		}
		tw.Flush()
		fmt.Fprintln(&b)
	}
	return b.Bytes(), nil
}

// reportWriter is the room's "report" key: it writes the review of the
// latest incident or drill to <state_dir>/reports/<id>.md and returns the
// path. It reads the journal the room is writing, without its lock.
func reportWriter(cfg *config.Config) func(context.Context) (string, error) {
	return func(context.Context) (string, error) {
		path := journalPath(cfg)
		evs, err := report.ReadJournal(path)
		if err != nil {
			return "", err
		}
		report.Mask(evs, cfg.Mask)
		r, err := report.Build(evs, "")
		if err != nil {
			return "", fmt.Errorf("journal %s: %w", path, err)
		}
		return report.Write(cfg.StateDir, r)
	}
}
