package sshroom_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/tui/sshroom"
)

// subscription is what the room's Subscribe returns: a one-slot,
// latest-wins mailbox (backends/room.Subscription has this shape).
type subscription interface {
	C() <-chan string
	Close()
}

type snapshotMsg string

type model struct {
	s    *sshroom.Session
	snap string
}

func (m model) Init() tea.Cmd { return nil }
func (m model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case snapshotMsg:
		m.snap = string(msg)
	case sshroom.ShutdownMsg:
		m.snap = "the server is shutting down"
		return m, tea.Quit
	}
	return m, nil
}
func (m model) View() string {
	return m.s.Renderer.NewStyle().Bold(true).Render(m.s.User.Name) + " " + m.snap + "\n"
}

// Example wires a per-session model: one forwarder goroutine per session
// moves the newest snapshot into the program and ends with the session.
func Example() {
	subscribe := func() subscription { return nil } // room.Subscribe in the real wiring
	roster, problems, err := sshroom.LoadRoster(sshroom.RosterSource{AuthorizedKeysFile: "/etc/warroom/authorized_keys"})
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range problems {
		log.Print(p) // "authorized_keys:12: ..."; the other lines are loaded
	}
	srv, err := sshroom.New(sshroom.Options{
		Addr:        ":2222",
		HostKeyPath: "/var/lib/warroom/ssh_host_ed25519",
		Roster:      roster,
		Program: func(s *sshroom.Session) (tea.Model, []tea.ProgramOption) {
			sub := subscribe()
			go func() {
				defer sub.Close()
				for {
					select {
					case <-s.Context().Done(): // the program has ended
						return
					case snap := <-sub.C():
						s.Send(snapshotMsg(snap)) // blocks this session only
					}
				}
			}()
			return model{s: s}, []tea.ProgramOption{tea.WithAltScreen()}
		},
		Command: func(s *sshroom.Session, args []string, stdout, stderr io.Writer) int {
			fmt.Fprintf(stdout, "%s (%s) ran %q\n", s.User.Name, s.User.Role, args)
			return 0
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	stopped, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		<-stopped.Done()
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx) // tells every session, then closes
	}()
	if err := srv.ListenAndServe(); err != nil {
		log.Fatal(err)
	}
}
