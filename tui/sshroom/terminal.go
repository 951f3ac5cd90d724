package sshroom

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
)

// terminalWait bounds the wait for the terminal's answers to the colour
// query. Terminals and tmux answer within milliseconds; one that never
// answers (some serial consoles, scripted clients) still gets its first
// frame this long after connecting, in colours for a dark background.
const terminalWait = 400 * time.Millisecond

// minProfile is the fewest colours a session is drawn with: OpenSSH does
// not forward COLORTERM unless asked, and every theme is made for 256.
const minProfile = termenv.ANSI256

// startInput takes over a PTY session's input, asks the terminal about its
// background within terminalWait, and builds the session's renderer.
func (s *Server) startInput(sess ssh.Session, ws *Session) {
	ws.in = newInput(sess, ws.ended)
	ws.in.atEOF = func() {
		if p := ws.program(); p != nil {
			go p.Quit() // the client closed its input: nothing can reach the program
		}
	}
	ws.stdin = ws.in
	dark := true
	if ws.Term != "" && ws.Term != "dumb" {
		var answered bool
		if dark, answered = ws.in.query(sess, terminalWait); !answered {
			s.opts.Logf("ssh: session %d %s: the terminal did not answer the colour query within %s; drawing for a dark background", ws.ID, ws.Remote, terminalWait)
		}
	}
	ws.Renderer = sessionRenderer(sess, ws.Term, dark)
}

// sessionRenderer draws in the colours the client's TERM and COLORTERM
// allow (at least minProfile), for the background the terminal reported.
func sessionRenderer(sess ssh.Session, term string, dark bool) *lipgloss.Renderer {
	env := sessionEnv(append(sess.Environ(), "TERM="+term))
	r := lipgloss.NewRenderer(sess, termenv.WithEnvironment(env), termenv.WithUnsafe(), termenv.WithColorCache(true))
	if r.ColorProfile() > minProfile {
		r.SetColorProfile(minProfile)
	}
	r.SetHasDarkBackground(dark)
	return r
}

// sessionEnv is the environment the client sent, as termenv reads it.
type sessionEnv []string

func (e sessionEnv) Environ() []string { return e }

func (e sessionEnv) Getenv(k string) string {
	v := ""
	for _, kv := range e { // the last one wins, as in a shell
		if rest, ok := strings.CutPrefix(kv, k+"="); ok {
			v = rest
		}
	}
	return v
}
