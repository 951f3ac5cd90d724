package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"warroom/backends/drill"
	"warroom/backends/room"
)

// method is one room command that a follower forwards to the leader: its
// name on the wire, its arguments as one JSON-able value, and the call on
// a room, the same on the leader's side and when this node leads.
type method[A, R any] struct {
	name string
	call func(ctx context.Context, r *room.Room, actor room.Actor, args A) (R, error)
}

// none is the result of a command that returns only an error.
type none struct{}

// serve decodes a forwarded request's arguments and runs the call.
func (m method[A, R]) serve(ctx context.Context, r *room.Room, actor room.Actor, raw json.RawMessage) (any, error) {
	var args A
	if err := json.Unmarshal(raw, &args); err != nil {
		return nil, fmt.Errorf("%s: arguments: %v", m.name, err)
	}
	return m.call(ctx, r, actor, args)
}

// handler runs one forwarded request on the leader's room.
type handler func(ctx context.Context, r *room.Room, actor room.Actor, args json.RawMessage) (any, error)

// Arguments of the forwarded commands.
type (
	idArgs     struct{ ID string }
	decideArgs struct{ ID, Decision string }
	rejectArgs struct{ ID, Reason string }
	toArgs     struct{ To string }
	tickArgs   struct {
		Step int
		Note string
	}
	noteArgs struct {
		Text   string
		Pinned bool
	}
	drillArgs struct {
		Scenario *drill.Scenario
		File     string
	}
)

// The commands, one value each.
var (
	mAck = method[idArgs, none]{"ack", func(ctx context.Context, r *room.Room, a room.Actor, x idArgs) (none, error) {
		return none{}, r.Ack(ctx, x.ID, a)
	}}
	mPreview = method[room.Request, room.Preview]{"preview", func(ctx context.Context, r *room.Room, a room.Actor, x room.Request) (room.Preview, error) {
		return r.Preview(ctx, x, a)
	}}
	mAct = method[room.Request, string]{"act", func(ctx context.Context, r *room.Room, a room.Actor, x room.Request) (string, error) {
		return r.Act(ctx, x, a)
	}}
	mDecide = method[decideArgs, none]{"decide", func(ctx context.Context, r *room.Room, a room.Actor, x decideArgs) (none, error) {
		return none{}, r.Decide(ctx, x.ID, x.Decision, a)
	}}
	mDismiss = method[idArgs, none]{"dismiss", func(ctx context.Context, r *room.Room, a room.Actor, x idArgs) (none, error) {
		return none{}, r.Dismiss(ctx, x.ID, a)
	}}
	mVersions = method[idArgs, []room.Version]{"versions", func(ctx context.Context, r *room.Room, _ room.Actor, x idArgs) ([]room.Version, error) {
		return r.Versions(ctx, x.ID)
	}}
	mAnnounce = method[room.Announcement, []string]{"announce", func(ctx context.Context, r *room.Room, a room.Actor, x room.Announcement) ([]string, error) {
		return r.Announce(ctx, x, a)
	}}
	mRetryPost = method[idArgs, none]{"retry_post", func(ctx context.Context, r *room.Room, a room.Actor, x idArgs) (none, error) {
		return none{}, r.RetryPost(ctx, x.ID, a)
	}}
	mApprove = method[idArgs, none]{"approve", func(ctx context.Context, r *room.Room, a room.Actor, x idArgs) (none, error) {
		return none{}, r.Approve(ctx, x.ID, a)
	}}
	mReject = method[rejectArgs, none]{"reject", func(ctx context.Context, r *room.Room, a room.Actor, x rejectArgs) (none, error) {
		return none{}, r.Reject(ctx, x.ID, x.Reason, a)
	}}
	mHandPen = method[toArgs, none]{"hand_pen", func(ctx context.Context, r *room.Room, a room.Actor, x toArgs) (none, error) {
		return none{}, r.HandPen(ctx, x.To, a)
	}}
	mDeclare = method[room.IncidentSpec, string]{"declare", func(ctx context.Context, r *room.Room, a room.Actor, x room.IncidentSpec) (string, error) {
		return r.Declare(ctx, x, a)
	}}
	mSetLevel = method[int, none]{"set_level", func(ctx context.Context, r *room.Room, a room.Actor, level int) (none, error) {
		return none{}, r.SetLevel(ctx, level, a)
	}}
	mHandOver = method[toArgs, none]{"hand_over", func(ctx context.Context, r *room.Room, a room.Actor, x toArgs) (none, error) {
		return none{}, r.HandOver(ctx, x.To, a)
	}}
	mAdvance = method[string, none]{"advance", func(ctx context.Context, r *room.Room, a room.Actor, status string) (none, error) {
		return none{}, r.Advance(ctx, status, a)
	}}
	mTick = method[tickArgs, none]{"tick", func(ctx context.Context, r *room.Room, a room.Actor, x tickArgs) (none, error) {
		return none{}, r.Tick(ctx, x.Step, x.Note, a)
	}}
	mNote = method[noteArgs, uint64]{"note", func(ctx context.Context, r *room.Room, a room.Actor, x noteArgs) (uint64, error) {
		return r.Note(ctx, x.Text, x.Pinned, a)
	}}
	mPin = method[uint64, none]{"pin", func(ctx context.Context, r *room.Room, a room.Actor, seq uint64) (none, error) {
		return none{}, r.Pin(ctx, seq, a)
	}}
	mStartDrill = method[drillArgs, none]{"start_drill", func(ctx context.Context, r *room.Room, a room.Actor, x drillArgs) (none, error) {
		if x.Scenario == nil {
			return none{}, errors.New("start_drill: no scenario")
		}
		return none{}, r.StartDrill(ctx, x.Scenario, x.File, a)
	}}
	mStopDrill = method[string, none]{"stop_drill", func(ctx context.Context, r *room.Room, a room.Actor, reason string) (none, error) {
		return none{}, r.StopDrill(ctx, reason, a)
	}}
)

// served is a method as the leader's table holds it.
type served interface {
	key() string
	serve(context.Context, *room.Room, room.Actor, json.RawMessage) (any, error)
}

// handlers is the leader's table of forwardable commands by name.
func handlers() map[string]handler {
	out := map[string]handler{}
	for _, m := range []served{mAck, mPreview, mAct, mDecide, mDismiss, mVersions, mAnnounce, mRetryPost, mApprove, mReject,
		mHandPen, mDeclare, mSetLevel, mHandOver, mAdvance, mTick, mNote, mPin, mStartDrill, mStopDrill, mSilence, mExpireSilence} {
		out[m.key()] = m.serve
	}
	return out
}

func (m method[A, R]) key() string { return m.name }
