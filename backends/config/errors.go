package config

import (
	"strings"

	"warroom/backends/problems"
)

// FieldError is one problem in a config: where it is and what to do about
// it. Parse and Validate return several joined with errors.Join, so callers
// can list them or match one with errors.As.
type FieldError = problems.FieldError

// maxErrors is how many problems one report lists.
const maxErrors = problems.MaxReported

// fromEnv names the variables a secret value came from, in place of it.
func fromEnv(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = "${" + n + "}"
	}
	return "value from " + strings.Join(parts, ", ")
}
