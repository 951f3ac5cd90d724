package sshroom

import "fmt"

// Problem is one roster entry that was skipped, and why. The other entries
// still load: one bad line never locks out the users after it.
type Problem struct {
	Source string // a file path, or where a config user came from
	Line   int    // 1-based line in Source; 0 when Source is not a file
	Msg    string
}

func (p Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.Source, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.Source, p.Msg)
}
