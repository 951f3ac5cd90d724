package main

import (
	"strings"
	"unicode/utf8"

	"warroom/backends/config"
	"warroom/backends/room"
	"warroom/backends/textsafe"
	"warroom/tui/sshroom"
)

// localActorIn is the person at this machine's keyboard, named name, under
// the same roles as over SSH: a person listed in the serve roster
// (serve.users, the authorized_keys file) has their role there, so an
// operator stays an operator (and needs a commander's approval) at the
// console too. Anyone else is the account that runs the room, which owns
// its journal and config: commander, as in the local room.
func localActorIn(roster *sshroom.Roster, name string) room.Actor {
	name = cleanLocalName(name)
	if roster != nil {
		for _, u := range roster.Users() {
			if u.Name == name {
				return room.Actor{Name: name, Role: u.Role}
			}
		}
	}
	return room.Actor{Name: name, Role: room.RoleCommander}
}

// localRoster is the config's serve roster for deciding local roles. An
// authorized_keys file that cannot be read still leaves the config's own
// users (and their roles) in force.
func localRoster(cfg *config.Config) *sshroom.Roster {
	src := rosterSource(cfg)
	r, _, err := sshroom.LoadRoster(src)
	if err != nil {
		src.AuthorizedKeysFile = ""
		r, _, _ = sshroom.LoadRoster(src)
	}
	return r
}

// maxLocalName bounds a name from the environment (it goes into the journal).
const maxLocalName = 64

// cleanLocalName makes a name from the environment safe to journal and show.
func cleanLocalName(name string) string {
	name = strings.TrimSpace(textsafe.Line(name))
	for len(name) > maxLocalName {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" {
		return "local"
	}
	return name
}
