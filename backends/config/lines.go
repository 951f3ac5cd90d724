package config

// Line is the line of the file where a field was written, for problems
// found after loading (the keymap's, an executor's): "keys.zoom",
// "actions.executors[1].haproxy.backend". A field not in the file takes
// its closest written parent's line; 0 when none (a config built in Go).
func (c *Config) Line(field string) int {
	for p := field; p != ""; p = parent(p) {
		if l, ok := c.lines[p]; ok {
			return l
		}
	}
	return 0
}

// keepLines copies where each field was written from the decoder.
func (c *Config) keepLines(d *decoder) {
	c.lines = make(map[string]int, len(d.where))
	for p, o := range d.where {
		c.lines[p] = o.line
	}
}
