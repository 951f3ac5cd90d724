package main

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"
)

// viewer is one PTY session: it answers the terminal queries a real
// terminal answers, counts what it receives, and keeps the text (escape
// sequences stripped) with arrival times while recording.
type viewer struct {
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser
	start  time.Time

	mu        sync.Mutex
	bytes     int64
	answered  bool
	tail      []byte // the raw end of the last chunk, so a split sequence still strips
	text      []byte // stripped text seen so far, until the first frame
	first     time.Time
	firstSeen chan struct{}
	recording bool
	chunks    []chunk
	kept      int
	rows      map[int]int // rows the server placed the cursor on while recording (warroom's screen writes each changed line there)
	ended     chan struct{}
}

// rowAt is warroom's screen placing the cursor at a row's start.
var rowAt = regexp.MustCompile(`\x1b\[(\d+);1H`)

// chunk is one read's text (with the previous read's end) and when it came.
type chunk struct {
	at   time.Time
	text string
}

// maxKept bounds what one viewer records.
const maxKept = 16 << 20

// firstFrameMark is in every first frame: a pane title.
const firstFrameMark = "Mirrors"

func dialViewer(addr string, signer gossh.Signer, w, h int) (*viewer, error) {
	v := &viewer{start: time.Now(), firstSeen: make(chan struct{}), ended: make(chan struct{})}
	c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "viewer", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), // loopback, a key made for this run
		Timeout:         10 * time.Second,
	})
	if err != nil {
		return nil, fmt.Errorf("dial %s: %v", addr, err)
	}
	v.client = c
	if v.sess, err = c.NewSession(); err != nil {
		c.Close()
		return nil, fmt.Errorf("session: %v", err)
	}
	if v.stdin, err = v.sess.StdinPipe(); err != nil {
		c.Close()
		return nil, err
	}
	v.sess.Stdout, v.sess.Stderr = v, io.Discard
	if err := v.sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		c.Close()
		return nil, fmt.Errorf("pty: %v", err)
	}
	if err := v.sess.Shell(); err != nil {
		c.Close()
		return nil, fmt.Errorf("shell: %v", err)
	}
	go func() { _ = v.sess.Wait(); close(v.ended) }()
	return v, nil
}

// Write takes the server's output.
func (v *viewer) Write(p []byte) (int, error) {
	now := time.Now()
	v.mu.Lock()
	v.bytes += int64(len(p))
	answer := !v.answered && bytes.Contains(append(v.tail, p...), []byte("\x1b]11;?"))
	if answer {
		v.answered = true
	}
	joined := append(append([]byte(nil), v.tail...), p...)
	text := ansi.Strip(string(joined))
	if v.first.IsZero() {
		v.text = append(v.text, text...)
		if bytes.Contains(v.text, []byte(firstFrameMark)) {
			v.first = now
			v.text = nil
			close(v.firstSeen)
		}
	}
	if v.recording {
		for _, m := range rowAt.FindAllSubmatch(p, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			v.rows[n]++
		}
	}
	if v.recording && v.kept < maxKept {
		v.chunks = append(v.chunks, chunk{at: now, text: text})
		v.kept += len(text)
	}
	v.tail = append(v.tail[:0], p[max(0, len(p)-64):]...)
	v.mu.Unlock()
	if answer { // a real terminal's reply: background colour, then device attributes
		go func() { _, _ = v.stdin.Write([]byte("\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;c")) }()
	}
	return len(p), nil
}

// waitFirst waits for the first frame and returns how long it took from dialling.
func (v *viewer) waitFirst(within time.Duration) (time.Duration, error) {
	select {
	case <-v.firstSeen:
		v.mu.Lock()
		defer v.mu.Unlock()
		return v.first.Sub(v.start), nil
	case <-v.ended:
		return 0, fmt.Errorf("session ended before its first frame")
	case <-time.After(within):
		return 0, fmt.Errorf("no first frame within %s", within)
	}
}

// record starts keeping text and returns the bytes received so far.
func (v *viewer) record() int64 {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.recording, v.chunks, v.kept, v.rows = true, nil, 0, map[int]int{}
	return v.bytes
}

// stopRecording returns the bytes received so far and what was recorded.
func (v *viewer) stopRecording() (int64, []chunk) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.recording = false
	return v.bytes, v.chunks
}

func (v *viewer) close() { _ = v.client.Close() }

// rowsText is the rows written while recording, "row×times", most first.
func (v *viewer) rowsText() string {
	v.mu.Lock()
	defer v.mu.Unlock()
	rows := make([]int, 0, len(v.rows))
	for r := range v.rows {
		rows = append(rows, r)
	}
	sort.Slice(rows, func(i, j int) bool {
		return v.rows[rows[i]] > v.rows[rows[j]] || v.rows[rows[i]] == v.rows[rows[j]] && rows[i] < rows[j]
	})
	parts := make([]string, 0, len(rows))
	for _, r := range rows {
		parts = append(parts, fmt.Sprintf("%d×%d", r, v.rows[r]))
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, " ")
}
