package tmplbound

import (
	"fmt"
	"time"
)

// Limits bound one execution of a template.
type Limits struct {
	Output  int           // bytes written, and the longest string print/printf may build
	Steps   int           // template calls and range iterations
	Timeout time.Duration // wall-clock time
}

// Default bounds any template the config can hold: messages and command
// lines are a few KiB at most.
var Default = Limits{Output: 64 << 10, Steps: 10_000, Timeout: 2 * time.Second}

// LimitError says which bound a template went past.
type LimitError struct {
	What string // "output", "steps" or "time"
	L    Limits
}

func (e *LimitError) Error() string {
	switch e.What {
	case "output":
		return fmt.Sprintf("output is over %d KiB; is a range or a printf width too large?", e.L.Output>>10)
	case "steps":
		return fmt.Sprintf("more than %d steps (range iterations and template calls); is a range too large?", e.L.Steps)
	}
	return fmt.Sprintf("took longer than %s; is a range too large?", e.L.Timeout)
}
