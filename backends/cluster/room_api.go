package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"warroom/backends/drill"
	"warroom/backends/room"
)

// Room is the room as a session on this node uses it: snapshots come from
// the node's own room (a replica holds the leader's state), commands run on
// the leader's room, here when this node leads and forwarded otherwise.
// Refusals keep their meaning across the hop: a role's refusal is a
// *room.ForbiddenError, no leader or no quorum satisfy errors.Is with
// room.ErrNotLeader and room.ErrNoQuorum.
type Room struct{ n *Node }

// Room returns the room sessions and commands on this node use.
func (n *Node) Room() *Room { return &Room{n: n} }

// Snapshot is this node's latest snapshot.
func (c *Room) Snapshot() *room.Snapshot { return c.n.room.Snapshot() }

// Templates, Draft and ComposePreview draft announcements on this node:
// they do no I/O and never wait on the leader (the composer calls them on
// every keystroke); sending goes to the leader like any command.
func (c *Room) Templates() []room.Template { return c.n.room.Templates() }

func (c *Room) Draft(s *room.Snapshot, template string) room.Draft {
	return c.n.room.Draft(s, template)
}

func (c *Room) ComposePreview(d room.Draft, channels []string) room.DraftPreview {
	return c.n.room.ComposePreview(d, channels)
}

// Subscribe follows this node's snapshots.
func (c *Room) Subscribe() *room.Subscription { return c.n.room.Subscribe() }

// A command refused for want of a leader (the leader had just stopped
// leading, nothing ran) is tried again every forwardPause for up to
// forwardPatience: long enough for the next leader to take over.
const (
	forwardPatience = 5 * time.Second
	forwardPause    = 200 * time.Millisecond
)

// run calls m on the leader's room: here when this node leads, forwarded
// otherwise. Each try asks anew, so a command that was forwarded while the
// leadership changed hands runs here once it lands on this node. A node
// without quorum refuses at once: it could reach no leader.
func run[A, R any](ctx context.Context, n *Node, m method[A, R], actor room.Actor, args A) (R, error) {
	if s := n.room.Snapshot(); s.NoQuorum != "" && !n.Leading() {
		var none R
		return none, &room.NoQuorumError{Why: s.NoQuorumWhy}
	}
	giveUp := time.Now().Add(forwardPatience)
	for {
		out, err := runOnce(ctx, n, m, actor, args)
		if !errors.Is(err, room.ErrNotLeader) || time.Now().After(giveUp) {
			return out, err
		}
		select {
		case <-ctx.Done():
			return out, err
		case <-time.After(forwardPause):
		}
	}
}

// runOnce calls m on the local room if this node leads, on the leader's otherwise.
func runOnce[A, R any](ctx context.Context, n *Node, m method[A, R], actor room.Actor, args A) (R, error) {
	if n.Leading() {
		return m.call(ctx, n.room, actor, args)
	}
	var out R
	err := refusal(n.requests.Call(ctx, m.name, actor, args, &out), actor)
	return out, err
}

func (c *Room) Ack(ctx context.Context, alertID string, actor room.Actor) error {
	_, err := run(ctx, c.n, mAck, actor, idArgs{alertID})
	return err
}

func (c *Room) Preview(ctx context.Context, req room.Request, actor room.Actor) (room.Preview, error) {
	return run(ctx, c.n, mPreview, actor, req)
}

func (c *Room) Act(ctx context.Context, req room.Request, actor room.Actor) (string, error) {
	return run(ctx, c.n, mAct, actor, req)
}

func (c *Room) Decide(ctx context.Context, id, decision string, actor room.Actor) error {
	_, err := run(ctx, c.n, mDecide, actor, decideArgs{id, decision})
	return err
}

func (c *Room) Dismiss(ctx context.Context, rule string, actor room.Actor) error {
	_, err := run(ctx, c.n, mDismiss, actor, idArgs{rule})
	return err
}

func (c *Room) Versions(ctx context.Context, target string) ([]room.Version, error) {
	return run(ctx, c.n, mVersions, room.Actor{}, idArgs{target})
}

func (c *Room) Announce(ctx context.Context, a room.Announcement, actor room.Actor) ([]string, error) {
	return run(ctx, c.n, mAnnounce, actor, a)
}

func (c *Room) RetryPost(ctx context.Context, id string, actor room.Actor) error {
	_, err := run(ctx, c.n, mRetryPost, actor, idArgs{id})
	return err
}

func (c *Room) Approve(ctx context.Context, id string, actor room.Actor) error {
	_, err := run(ctx, c.n, mApprove, actor, idArgs{id})
	return err
}

func (c *Room) Reject(ctx context.Context, id, reason string, actor room.Actor) error {
	_, err := run(ctx, c.n, mReject, actor, rejectArgs{id, reason})
	return err
}

func (c *Room) HandPen(ctx context.Context, to string, actor room.Actor) error {
	_, err := run(ctx, c.n, mHandPen, actor, toArgs{to})
	return err
}

func (c *Room) Declare(ctx context.Context, spec room.IncidentSpec, actor room.Actor) (string, error) {
	return run(ctx, c.n, mDeclare, actor, spec)
}

func (c *Room) SetLevel(ctx context.Context, level int, actor room.Actor) error {
	_, err := run(ctx, c.n, mSetLevel, actor, level)
	return err
}

func (c *Room) HandOver(ctx context.Context, to string, actor room.Actor) error {
	_, err := run(ctx, c.n, mHandOver, actor, toArgs{to})
	return err
}

func (c *Room) Advance(ctx context.Context, status string, actor room.Actor) error {
	_, err := run(ctx, c.n, mAdvance, actor, status)
	return err
}

func (c *Room) Tick(ctx context.Context, step int, note string, actor room.Actor) error {
	_, err := run(ctx, c.n, mTick, actor, tickArgs{step, note})
	return err
}

func (c *Room) Note(ctx context.Context, text string, pinned bool, actor room.Actor) (uint64, error) {
	return run(ctx, c.n, mNote, actor, noteArgs{text, pinned})
}

func (c *Room) Pin(ctx context.Context, noteSeq uint64, actor room.Actor) error {
	_, err := run(ctx, c.n, mPin, actor, noteSeq)
	return err
}

// StartDrill sends the parsed scenario (its exported fields; the leader
// checks it again without the file's line numbers).
func (c *Room) StartDrill(ctx context.Context, sc *drill.Scenario, file string, actor room.Actor) error {
	_, err := run(ctx, c.n, mStartDrill, actor, drillArgs{sc, file})
	return err
}

// StartScenario starts a drill the room described (room.ScenarioOf).
func (c *Room) StartScenario(ctx context.Context, s room.Scenario, actor room.Actor) error {
	return c.StartDrill(ctx, s.Source(), s.File, actor)
}

func (c *Room) StopDrill(ctx context.Context, reason string, actor room.Actor) error {
	_, err := run(ctx, c.n, mStopDrill, actor, reason)
	return err
}

// Join enters the room on this node: the session is shown here at once
// and shared with every node; the leader journals the join.
func (c *Room) Join(_ context.Context, actor room.Actor, p room.Presence) (string, error) {
	return c.n.join(actor, p)
}

// Leave and Look never block their caller.
func (c *Room) Leave(id string) { c.n.leave(id) }

func (c *Room) Look(presenceID, pane string) { c.n.look(presenceID, pane) }

// Error codes of a reply, so refusals keep their meaning on the caller's side.
const (
	codeForbidden = "forbidden:" // + the permission
	codeNotLeader = "not_leader"
	codeNoQuorum  = "no_quorum"
	codeDeadline  = "deadline"
	codeCanceled  = "canceled"
)

// errorCode is the code a reply carries for err ("" for a plain error).
func errorCode(err error) string {
	var fe *room.ForbiddenError
	switch {
	case errors.As(err, &fe):
		return codeForbidden + string(fe.Perm)
	case errors.Is(err, room.ErrNotLeader):
		return codeNotLeader
	case errors.Is(err, room.ErrNoQuorum):
		return codeNoQuorum
	case errors.Is(err, context.DeadlineExceeded):
		return codeDeadline
	case errors.Is(err, context.Canceled):
		return codeCanceled
	}
	return ""
}

// remoteErr is the leader's error with its message, matching what it matched there.
type remoteErr struct {
	msg string
	is  error
}

func (e *remoteErr) Error() string        { return e.msg }
func (e *remoteErr) Is(target error) bool { return target == e.is }

// refusal turns a reply's coded error back into the room's error; actor is
// who the command was sent for.
func refusal(err error, actor room.Actor) error {
	var re *RemoteError
	if !errors.As(err, &re) {
		return err
	}
	if perm, ok := strings.CutPrefix(re.Code, codeForbidden); ok {
		return &room.ForbiddenError{Actor: actor, Perm: room.Perm(perm)}
	}
	is := map[string]error{codeNotLeader: room.ErrNotLeader, codeNoQuorum: room.ErrNoQuorum,
		codeDeadline: context.DeadlineExceeded, codeCanceled: context.Canceled}[re.Code]
	if is == nil {
		return errors.New(re.Msg)
	}
	return &remoteErr{msg: re.Msg, is: is}
}

// serveTimeout bounds one forwarded command on the leader.
const serveTimeout = time.Minute

// serve runs one forwarded request on the leader's room.
func (n *Node) serve(ctx context.Context, req Request) Reply {
	h, ok := n.methods[req.Method]
	if !ok {
		return Reply{Err: fmt.Sprintf("the leader (%s) knows no command %q: are the nodes running different versions?", n.cfg.Node, req.Method)}
	}
	var actor room.Actor
	if len(req.Actor) > 0 {
		if err := json.Unmarshal(req.Actor, &actor); err != nil {
			return Reply{Err: fmt.Sprintf("%s from %s: actor: %v", req.Method, req.From, err)}
		}
	}
	// The request runs to its answer even when serving stops (the term
	// ended) meanwhile: a room that no longer leads refuses it "not the
	// leader", which the caller takes to the next leader; a cut-short
	// "context canceled" would tell it nothing.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), serveTimeout)
	defer cancel()
	res, err := h(ctx, n.room, actor, req.Args)
	if err != nil {
		return Reply{Err: err.Error(), Code: errorCode(err)}
	}
	b, err := json.Marshal(res)
	if err != nil {
		return Reply{Err: fmt.Sprintf("%s: encode the result: %v", req.Method, err)}
	}
	return Reply{Result: b}
}
