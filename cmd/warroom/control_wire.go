package main

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
)

// The control socket speaks frames: one kind byte, a 4-byte big-endian
// length, the payload. The client sends a request, then its standard
// input; the room sends output and, last, the exit code. A connection that
// ends without a stdin-EOF frame means the client hung up.
const (
	frameRequest  = 'q' // JSON controlRequest
	frameStdin    = 'i'
	frameStdinEOF = 'e'
	frameStdout   = 'o'
	frameStderr   = 'r'
	frameExit     = 'x' // 4-byte exit code
)

// maxFrame bounds one frame: a request line or a chunk of output.
const maxFrame = 1 << 20

// controlRequest is what a local command asks of the running room.
type controlRequest struct {
	Args []string `json:"args"` // the command line after "warroom"
	User string   `json:"user"` // the person at the keyboard (WARROOM_USER, USER)
}

// frameConn writes frames from several goroutines, one whole frame at a
// time. A failed write may have sent part of a frame, so every later write
// fails too; broken, when set, hears of the first failure.
type frameConn struct {
	mu     sync.Mutex
	w      io.Writer
	err    error
	broken func(error)
}

func (c *frameConn) write(kind byte, payload []byte) error {
	if len(payload) > maxFrame {
		return fmt.Errorf("control frame of %d bytes is over %d", len(payload), maxFrame)
	}
	buf := make([]byte, 5+len(payload))
	buf[0] = kind
	binary.BigEndian.PutUint32(buf[1:5], uint32(len(payload)))
	copy(buf[5:], payload)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return c.err
	}
	if _, err := c.w.Write(buf); err != nil {
		c.err = err
		if c.broken != nil {
			c.broken(err)
		}
		return err
	}
	return nil
}

// stream is an io.Writer of one output kind, cut into frames.
type stream struct {
	c    *frameConn
	kind byte
}

func (s stream) Write(p []byte) (int, error) {
	for off := 0; off < len(p); off += maxFrame {
		if err := s.c.write(s.kind, p[off:min(len(p), off+maxFrame)]); err != nil {
			return off, err
		}
	}
	return len(p), nil
}

// readFrame reads one frame.
func readFrame(r io.Reader) (kind byte, payload []byte, err error) {
	var head [5]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return 0, nil, err
	}
	n := binary.BigEndian.Uint32(head[1:])
	if n > maxFrame {
		return 0, nil, fmt.Errorf("control frame of %d bytes is over %d", n, maxFrame)
	}
	payload = make([]byte, n)
	if _, err := io.ReadFull(r, payload); err != nil {
		return 0, nil, fmt.Errorf("control frame cut short: %w", err)
	}
	return head[0], payload, nil
}

// readRequest reads the first frame, which must be the request.
func readRequest(r io.Reader) (controlRequest, error) {
	var req controlRequest
	kind, payload, err := readFrame(r)
	if err != nil {
		return req, err
	}
	if kind != frameRequest {
		return req, fmt.Errorf("control: first frame is %q, want a request", kind)
	}
	if err := json.Unmarshal(payload, &req); err != nil {
		return req, fmt.Errorf("control: request: %v", err)
	}
	if len(req.Args) == 0 {
		return req, errors.New("control: request without a command")
	}
	return req, nil
}

func exitPayload(code int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(int32(code))) }

func exitFromPayload(p []byte) (int, error) {
	if len(p) != 4 {
		return 2, fmt.Errorf("control: exit frame of %d bytes, want 4", len(p))
	}
	return int(int32(binary.BigEndian.Uint32(p))), nil
}
