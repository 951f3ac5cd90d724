package sshroom

import (
	"fmt"
	"strings"
)

// Role is what a person may do in the room; the room enforces it, this
// package only says who has which.
type Role string

// The roles of the incident playbooks.
const (
	RoleCommander Role = "commander" // everything, approves, hands over command
	RoleOperator  Role = "operator"  // acknowledges, runs failover and rollback
	RoleComms     Role = "comms"     // composes and sends announcements
	RoleObserver  Role = "observer"  // sees everything, changes nothing
)

// ParseRole accepts a role name in any case, surrounded by spaces or not.
func ParseRole(s string) (Role, error) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleCommander, RoleOperator, RoleComms, RoleObserver:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q: want commander, operator, comms or observer", s)
}
