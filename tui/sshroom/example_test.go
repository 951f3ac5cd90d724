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

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/themes"
	"warroom/tui"
	"warroom/tui/sshroom"
)

// Example wires a per-session app: each session gets its own theme from
// its own renderer, and its tui.Session's one forwarder moves the newest
// snapshot into the program and ends with the session.
func Example() {
	var r *room.Room // the running room
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
			th, err := themes.New("dark", s.Renderer)
			if err != nil {
				return nil, nil // passes the session on to Command
			}
			sess := tui.NewSession(r.Subscribe(), tui.Options{Room: r, Theme: th, Keymap: keymaps.Default(),
				Actor: room.Actor{Name: s.User.Name, Role: s.User.Role}})
			go sess.Feed(s.Context().Done(), s.Send) // blocks this session only
			return sess.Model, tui.ProgramOptions()
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
