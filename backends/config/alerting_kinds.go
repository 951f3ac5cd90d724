package config

import "gopkg.in/yaml.v3"

// alertKinds decodes alerting.kinds: a map of kind → {for:, keep_for:}.
func (d *decoder) alertKinds(n *yaml.Node, path string) map[string]AlertKind {
	_ = n
	_ = path
	return nil // filled in by the hysteresis work
}

func (d *decoder) flapping(n *yaml.Node, path string, x *Flapping) {
	_ = n
	_ = path
	_ = x
}
