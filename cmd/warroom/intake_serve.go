package main

import (
	"context"
	"time"

	"warroom/backends/intake"
)

// listenIntake binds intake.listen for a room people keep open (warroom,
// warroom serve); nil when it is off. A taken port is an error: alerts
// the file says will arrive must not vanish unnoticed.
func (l *live) listenIntake(o liveOptions) (*intake.Server, error) {
	x := l.cfg.Intake
	if !x.Enabled() || !o.control || o.lookOnly {
		return nil, nil
	}
	return intake.Start(x.Listen, intake.Handler(intake.Options{Token: x.Token, Room: l.room}))
}

// closeIntake stops s once ctx ends, letting a delivery in flight finish.
func closeIntake(ctx context.Context, s *intake.Server) {
	<-ctx.Done()
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	_ = s.Close(stop)
}
