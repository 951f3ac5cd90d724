package tui

import (
	"context"
	"errors"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
)

// Run shows the session in a program of its own (the local terminal) until
// the user quits or ctx ends. Everything Run starts has ended when it
// returns, the subscription closed.
func (s *Session) Run(ctx context.Context, progOpts ...tea.ProgramOption) error {
	opts := append(append([]tea.ProgramOption{tea.WithContext(ctx)}, ProgramOptions()...), progOpts...)
	p := tea.NewProgram(s.Model, opts...)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.Feed(done, p.Send) // Send returns at once after the program ended
	}()
	_, err := p.Run()
	close(done)
	wg.Wait()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return nil // asked to stop from outside: a normal end
	}
	return err
}
