package room

import (
	"fmt"
	"strings"
)

// Role is what a person may do in the room (the incident playbooks' roles).
// The room enforces it on every command; views only hide what a role cannot
// use.
type Role string

// The roles.
const (
	RoleCommander Role = "commander" // everything: approves, sets the level, hands over command
	RoleOperator  Role = "operator"  // acknowledges, runs failover and rollback, works the checklist
	RoleComms     Role = "comms"     // composes and sends announcements
	RoleObserver  Role = "observer"  // sees everything, changes nothing
)

// Roles lists the roles, most powerful first.
func Roles() []Role { return []Role{RoleCommander, RoleOperator, RoleComms, RoleObserver} }

// ParseRole accepts a role name in any case, with or without spaces around.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Roles() {
		if r == known {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q: want commander, operator, comms or observer", s)
}

// Actor is the person behind a command: their name goes into the journal,
// their role decides whether the room accepts it.
type Actor struct {
	Name string
	Role Role
}

func (a Actor) String() string { return a.Name }

// Perm is one kind of command, as the permission table knows it.
type Perm string

// Permissions.
const (
	PermAck      Perm = "acknowledge alerts"
	PermAct      Perm = "run failover, failback and rollback"
	PermAnnounce Perm = "send announcements"
	PermApprove  Perm = "approve or reject actions"
	PermIncident Perm = "declare incidents and work the checklist"
	PermCommand  Perm = "change the level, hand over command and close incidents"
	PermNote     Perm = "add notes"
	PermDrill    Perm = "start and stop drills"
	PermPen      Perm = "hand over the pen"
)

// grants is the permission table. The commander may do everything.
var grants = map[Role][]Perm{
	RoleOperator: {PermAck, PermAct, PermIncident, PermNote},
	RoleComms:    {PermAnnounce, PermNote},
}

// Can reports whether the role holds the permission.
func (r Role) Can(p Perm) bool {
	if r == RoleCommander {
		return true
	}
	for _, g := range grants[r] {
		if g == p {
			return true
		}
	}
	return false
}

// ForbiddenError is the room's refusal of a command the actor's role does
// not allow; its text is meant for the person.
type ForbiddenError struct {
	Actor Actor
	Perm  Perm
}

func (e *ForbiddenError) Error() string {
	role := e.Actor.Role
	if role == "" {
		role = "no role"
	}
	return fmt.Sprintf("%s is %s: only %s may %s", e.Actor.Name, role, holders(e.Perm), e.Perm)
}

// holders names the roles that hold p, for refusals.
func holders(p Perm) string {
	var names []string
	for _, r := range Roles() {
		if r.Can(p) {
			names = append(names, strings.TrimSuffix(string(r), "s")+"s") // comms stays comms
		}
	}
	return strings.Join(names, " and ")
}

// allow refuses a command the actor's role does not permit.
func allow(a Actor, p Perm) error {
	if !a.Role.Can(p) {
		return &ForbiddenError{Actor: a, Perm: p}
	}
	return nil
}
