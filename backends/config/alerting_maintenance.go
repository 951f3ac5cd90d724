package config

import "gopkg.in/yaml.v3"

// maintenance decodes one alerting.maintenance item.
func (d *decoder) maintenance(n *yaml.Node, path string) Maintenance {
	_ = n
	_ = path
	return Maintenance{} // filled in by the silences work
}
