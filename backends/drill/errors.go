package drill

import (
	"strings"

	"warroom/backends/problems"
)

// FieldError is one problem in a scenario file: where it is and what to do.
// Parse and Check join several with errors.Join, so one run lists them all;
// match one with errors.As.
type FieldError = problems.FieldError

// oneOf lists choices for a message: "a, b or c".
func oneOf(choices []string) string {
	if len(choices) == 1 {
		return choices[0]
	}
	return strings.Join(choices[:len(choices)-1], ", ") + " or " + choices[len(choices)-1]
}
