package sshroom

import (
	"github.com/charmbracelet/ssh"

	"warroom/panes"
)

// boundedSession is a session whose terminal sizes are clamped where they
// enter: a pty-req or window-change carries any 32-bit size, and the
// program would draw (and allocate for) whatever it is told.
type boundedSession struct {
	ssh.Session
	pty   ssh.Pty
	winch <-chan ssh.Window
	isPty bool
}

// bound wraps sess; the sizes it hands on are at most panes.MaxWidth×MaxHeight.
func bound(sess ssh.Session) ssh.Session {
	pty, in, isPty := sess.Pty()
	pty.Window = boundWindow(pty.Window)
	b := &boundedSession{Session: sess, pty: pty, isPty: isPty}
	if in != nil {
		out := make(chan ssh.Window, 1)
		b.winch = out
		go forwardWindows(in, out)
	}
	return b
}

func (b *boundedSession) Pty() (ssh.Pty, <-chan ssh.Window, bool) { return b.pty, b.winch, b.isPty }

// forwardWindows hands on each size clamped, the newest winning when the
// reader is behind (only the last size matters), so it never blocks and
// ends when the library closes in with the session's channel.
func forwardWindows(in <-chan ssh.Window, out chan ssh.Window) {
	defer close(out)
	for w := range in {
		w = boundWindow(w)
		select {
		case out <- w:
			continue
		default:
		}
		select {
		case <-out: // drop the stale size
		default:
		}
		out <- w // the only sender: there is room now
	}
}

func boundWindow(w ssh.Window) ssh.Window {
	w.Width, w.Height = panes.Bound(w.Width, w.Height)
	return w
}
