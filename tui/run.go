package tui

import (
	"context"
	"errors"
	"sync"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
)

// Run shows the room in one program until the user quits or ctx ends. One
// forwarder goroutine hands the program the newest snapshot; because the
// subscription keeps only the newest, a busy program skips frames instead
// of holding up the room. Everything Run starts has ended when it returns.
func Run(ctx context.Context, sub *room.Subscription, opts Options, progOpts ...tea.ProgramOption) error {
	defer sub.Close()
	m := New(opts)
	// No signal handler of its own: main handles SIGINT and SIGTERM through
	// ctx, and two handlers race at shutdown (Run then never returned).
	// In raw mode ctrl+c still arrives as a key, bound to quit.
	p := tea.NewProgram(m, append([]tea.ProgramOption{tea.WithContext(ctx), tea.WithoutSignalHandler(),
		tea.WithAltScreen(), tea.WithFPS(30)}, progOpts...)...)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			case snap := <-sub.C():
				p.Send(SnapshotMsg{Snap: snap}) // returns at once after the program ended
			}
		}
	}()
	_, err := p.Run()
	close(done)
	wg.Wait()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // asked to stop from outside: a normal end
	}
	return err
}
