package sshroom

import (
	"io"
	"sync"
	"time"
)

// input owns a PTY session's keyboard. One goroutine reads the client, so
// the terminal query can wait with a deadline (a read on an SSH channel
// has none) while every key typed meanwhile still reaches the program, and
// the query's answers never do.
type input struct {
	chunks  chan []byte     // from the reading goroutine; closed at the client's EOF
	done    <-chan struct{} // the session ended: nobody reads any more
	err     error           // the read error, set before chunks closes
	pending []byte          // read, filtered, not yet handed on
	replies replyFilter
	atEOF   func() // called once when the client's input ends
	eofOnce sync.Once
}

func newInput(r io.Reader, done <-chan struct{}) *input {
	in := &input{chunks: make(chan []byte), done: done}
	go in.pump(r)
	return in
}

func (in *input) pump(r io.Reader) {
	defer close(in.chunks)
	for {
		buf := make([]byte, 4096)
		n, err := r.Read(buf)
		if n > 0 {
			select {
			case in.chunks <- buf[:n]:
			case <-in.done:
				return
			}
		}
		if err != nil {
			in.err = err
			return
		}
	}
}

// Read hands on the client's bytes without the terminal's query answers.
func (in *input) Read(p []byte) (int, error) {
	for len(in.pending) == 0 {
		chunk, ok := <-in.chunks
		if !ok {
			in.eofOnce.Do(func() {
				if in.atEOF != nil {
					in.atEOF()
				}
			})
			if in.err != nil {
				return 0, in.err
			}
			return 0, io.EOF
		}
		in.pending = in.replies.strip(chunk, time.Now())
	}
	n := copy(p, in.pending)
	in.pending = in.pending[n:]
	return n, nil
}

// terminalQuery asks for the background colour (OSC 11) and the primary
// device attributes (DA1). Terminals answer in order, so the DA1 answer
// ends the OSC 11 one, or says there is none.
const terminalQuery = "\x1b]11;?\x07\x1b[c"

// query asks the terminal about itself and waits up to wait for its
// answers. It reports whether the background is dark: true when the
// terminal did not say, as most terminals are.
func (in *input) query(out io.Writer, wait time.Duration) (dark, answered bool) {
	in.replies.until = time.Now().Add(lateReplies)
	in.replies.holdEsc = true
	defer func() { in.pending = append(in.pending, in.replies.release()...) }()
	if _, err := io.WriteString(out, terminalQuery); err != nil {
		return true, false
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	for !in.replies.done {
		select {
		case chunk, ok := <-in.chunks:
			if !ok {
				return in.replies.dark(), false
			}
			in.pending = append(in.pending, in.replies.strip(chunk, time.Now())...)
		case <-t.C:
			return in.replies.dark(), false
		}
	}
	return in.replies.dark(), true
}

// lateReplies is how long after the query answers arriving late (a slow
// link) are still taken out of the input; after that, bytes pass as typed.
const lateReplies = 10 * time.Second
