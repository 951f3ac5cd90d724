package cluster

import (
	"context"

	"warroom/backends/room"
)

// Silences are decided by the leader's room like acknowledgements.
var (
	mSilence = method[room.SilenceRequest, string]{"silence", func(ctx context.Context, r *room.Room, a room.Actor, x room.SilenceRequest) (string, error) {
		return r.Silence(ctx, x, a)
	}}
	mExpireSilence = method[idArgs, none]{"expire_silence", func(ctx context.Context, r *room.Room, a room.Actor, x idArgs) (none, error) {
		return none{}, r.ExpireSilence(ctx, x.ID, a)
	}}
)

func (c *Room) Silence(ctx context.Context, req room.SilenceRequest, actor room.Actor) (string, error) {
	return run(ctx, c.n, mSilence, actor, req)
}

func (c *Room) ExpireSilence(ctx context.Context, id string, actor room.Actor) error {
	_, err := run(ctx, c.n, mExpireSilence, actor, idArgs{id})
	return err
}
