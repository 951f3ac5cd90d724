package sshroom

import (
	"context"
	"errors"
	"fmt"
)

// RevokedMsg is sent to the program of a person whose access a roster
// reload withdrew or changed, so the model can show Why. Answering with
// tea.Quit ends the session at once; otherwise the server ends it after
// Options.ShutdownGrace.
type RevokedMsg struct{ Why string }

// Reload loads the roster from src (the re-read config) and ends, with a
// notice, every open session whose key no longer admits the same person
// with the same role: a removed person is out at once, and a new role
// takes effect on their next session, never under the old one. It returns
// the roster's problems; a source that cannot be read keeps the previous
// roster and its sessions.
func (s *Server) Reload(src RosterSource) []Problem {
	problems := s.opts.Roster.Load(src)
	for _, ws := range s.openSessions() {
		if why := s.withdrawn(ws); why != "" {
			s.opts.Logf("ssh: session %d %s: %s: %s; ending it", ws.ID, ws.Remote, ws.User.Name, why)
			go s.revoke(ws, why)
		}
	}
	return problems
}

// withdrawn says why the roster no longer admits a session's person as
// they are, "" when it does.
func (s *Server) withdrawn(ws *Session) string {
	u, err := s.opts.Roster.Identify(ws.key)
	switch {
	case err != nil:
		return "your access was withdrawn: the roster no longer has your key"
	case u.Name != ws.User.Name || u.Role != ws.User.Role:
		return fmt.Sprintf("your access changed (now %s, %s): reconnect to go on", u.Name, u.Role)
	}
	return ""
}

// revoke tells the session why it ends, stops its command (its context
// ends), ends its program like a shutdown does, and closes its connection:
// no session of that key stays open behind a program that would not quit.
func (s *Server) revoke(ws *Session, why string) {
	if !ws.revoked.CompareAndSwap(nil, &why) {
		return // already on its way out
	}
	if ws.PTY {
		go ws.Send(RevokedMsg{Why: why})
	}
	ws.cancel(errors.New(why))
	s.endTold(context.Background(), []*Session{ws})
	if ws.conn != nil {
		_ = ws.conn.Close()
	}
}
