package config

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// sizeUnits are the suffixes a size may carry, longest first so "MiB" is
// not read as "B".
var sizeUnits = []struct {
	suffix string
	bytes  int64
}{
	{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1},
}

func (d *decoder) size(n *yaml.Node, path string, dst *int64) bool {
	v, ok := d.scalar(n, path)
	if !ok {
		return false
	}
	b, err := parseSize(v)
	if err != nil {
		d.Fail(d.line(path), path, "%s is not a size (want e.g. 512MiB, 2GiB or a number of bytes)", d.show(path, v))
		return false
	}
	*dst = b
	return true
}

// parseSize reads "512MiB", "1.5GB" or a plain number of bytes.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range sizeUnits {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(num), u.bytes
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || s == "" {
		return 0, errors.New("not a size")
	}
	b := f * float64(mult)
	if b > math.MaxInt64/2 || b < math.MinInt64/2 {
		return 0, errors.New("size out of range")
	}
	return int64(b), nil
}

// formatSize writes the largest binary unit that divides b exactly.
func formatSize(b int64) string {
	for _, u := range sizeUnits[:3] {
		if b != 0 && b%u.bytes == 0 {
			return strconv.FormatInt(b/u.bytes, 10) + u.suffix
		}
	}
	return strconv.FormatInt(b, 10)
}
