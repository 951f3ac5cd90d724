package config

import "warroom/backends/problems"

// Validate checks a Config built in Go (after ApplyDefaults) by the same
// rules Parse applies to a file. Problems name the field path; those from
// ${ENV} values show the variable, not the value.
func (c *Config) Validate() error {
	errs := problems.List{File: c.Path}
	k := &checker{
		report: func(path, msg string) { errs.Add(0, path, "%s", msg) },
		secret: func(path string) []string {
			raw, ok := c.secrets[path]
			if !ok {
				return nil
			}
			return envNames(raw)
		},
		bad: func(string) bool { return false },
	}
	check(c, k)
	return errs.Err()
}

// envNames lists the ${NAME}s in a value as written.
func envNames(raw string) []string {
	var names []string
	for i := 0; i+1 < len(raw); i++ {
		if raw[i] == '$' && i+2 < len(raw) && raw[i+1] == '$' && raw[i+2] == '{' {
			i += 2
			continue
		}
		if raw[i] != '$' || raw[i+1] != '{' {
			continue
		}
		end := -1
		for j := i + 2; j < len(raw); j++ {
			if raw[j] == '}' {
				end = j
				break
			}
		}
		if end < 0 {
			break
		}
		if n := raw[i+2 : end]; !contains(names, n) {
			names = append(names, n)
		}
		i = end
	}
	if len(names) == 0 {
		names = []string{"ENV"}
	}
	return names
}
