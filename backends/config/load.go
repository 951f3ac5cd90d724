package config

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"warroom/backends/yamlnode"
)

// Load reads a config file and parses it with the process environment.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: read %s: %w; pass the path of your warroom.yaml (examples/warroom.yaml shows every setting)", path, err)
	}
	return Parse(path, data, os.LookupEnv)
}

// Parse decodes, expands, fills defaults and validates a config. path is
// used in messages and to resolve a relative state_dir; getenv looks up
// ${NAME} references (nil: none are set). All problems are returned
// together, one *FieldError per line, in file order.
func Parse(path string, data []byte, getenv func(string) (string, bool)) (*Config, error) {
	if getenv == nil {
		getenv = func(string) (string, bool) { return "", false }
	}
	d := newDecoder(path, getenv)
	root := yamlnode.Document(data, &d.errs, "start from examples/warroom.yaml")
	if root == nil {
		return nil, d.errs.Err()
	}
	c := d.config(root)
	c.Path = path
	c.Actions.applyDefaults()
	c.Notify.applyDefaults()
	c.Serve.applyDefaults()
	c.Cluster.applyDefaults()
	c.Hosts.applyFleetDefaults()
	c.applyHysteresisDefaults()
	d.stateDir(c, path)
	check(c, d.checker())
	if err := d.errs.Err(); err != nil {
		return nil, err
	}
	c.keepLines(d)
	c.secrets = map[string]string{}
	for field, o := range d.where {
		if o.leaf && len(o.env) > 0 && field != "" {
			c.secrets[field] = o.raw
			if v, _, err := expand(o.raw, getenv); err == nil {
				c.addSecret(v)
			}
			for _, name := range o.env {
				v, _ := getenv(name)
				c.addSecret(v)
			}
		}
	}
	c.addChannelSecrets()
	c.addSecret(c.Intake.Token) // masked even when written in the file
	c.sortSecrets()
	return c, nil
}

// stateDir expands ~ and resolves a relative state_dir against the
// config file's folder, so the journal does not move with the working
// directory.
func (d *decoder) stateDir(c *Config, file string) {
	dir := c.StateDir
	explicit := dir != ""
	if !explicit {
		dir = DefaultStateDir
	}
	if strings.HasPrefix(dir, "~") && dir != "~" && !strings.HasPrefix(dir, "~/") {
		d.Fail(d.line("state_dir"), "state_dir", "%s: ~user is not supported; write the full path", d.show("state_dir", dir))
		return
	}
	home, err := expandHome(dir)
	if err != nil {
		d.Fail(d.line("state_dir"), "state_dir", "cannot expand ~ (%v); set state_dir to an absolute path", err)
		return
	}
	dir = home
	if explicit && !filepath.IsAbs(dir) {
		dir = filepath.Join(filepath.Dir(file), dir)
		if abs, err := filepath.Abs(dir); err == nil {
			dir = abs
		}
	}
	c.StateDir = dir
}

// checker ties the shared rules to this file: paths become lines, secret
// values are named by their variables, and fields that failed to decode are
// not reported twice.
func (d *decoder) checker() *checker {
	return &checker{
		report: func(path, msg string) {
			if field, line, ok := d.inheritedSection(path); ok {
				d.errs.Add(line, field, "%s", msg)
				return
			}
			field, line := path, 0
			for p := path; ; p = parent(p) {
				if o, ok := d.where[p]; ok {
					line = o.line
					if p == path && o.path != "" {
						field = o.path
					}
					break
				}
				if p == "" {
					break
				}
			}
			d.errs.Add(line, field, "%s", msg)
		},
		secret: func(path string) []string {
			if o, ok := d.where[path]; ok {
				return o.env
			}
			if o, ok := d.where[parent(path)]; ok && o.leaf {
				return o.env // an item of a list given as one value
			}
			return nil
		},
		bad: func(path string) bool {
			for p := path; p != ""; p = parent(p) {
				if d.bad[p] {
					return true
				}
			}
			return false
		},
	}
}

// inheritedSection finds where a missing mirror field came from when the
// mirror took that whole section from defaults: (mirrors[1].lag.path, kind
// set in defaults.lag) is reported once, at defaults.lag.
func (d *decoder) inheritedSection(path string) (string, int, bool) {
	if _, exact := d.where[path]; exact {
		return "", 0, false
	}
	var prefix string
	switch {
	case strings.HasPrefix(path, "origin."):
		prefix = "origin"
	case strings.HasPrefix(path, "mirrors["):
		i := strings.Index(path, "].")
		if i < 0 {
			return "", 0, false
		}
		prefix = path[:i+1]
	default:
		return "", 0, false
	}
	rel := path[len(prefix)+1:]
	section, _, _ := strings.Cut(rel, ".")
	if _, own := d.where[join(prefix, section)]; own || section == rel {
		return "", 0, false
	}
	o, ok := d.where[join("defaults", section)]
	if !ok {
		return "", 0, false
	}
	return join("defaults", rel), o.line, true
}
