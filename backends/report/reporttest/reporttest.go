// Package reporttest records realistic journals by hand, for the report's
// tests and its golden file: an incident worked end to end, and a drill.
package reporttest

import (
	"encoding/json"
	"strconv"
	"time"

	"warroom/backends/drill"
	"warroom/backends/room"
)

// Base is when the recorded incident's room opened.
var Base = time.Date(2026, 11, 21, 3, 10, 0, 0, time.UTC)

// Recorder appends events with increasing seqs at times relative to Base.
type Recorder struct {
	Events []room.Event
	at     time.Time
}

// NewRecorder starts at Base.
func NewRecorder() *Recorder { return &Recorder{at: Base} }

// At moves the clock to Base + d.
func (r *Recorder) At(d time.Duration) *Recorder { r.at = Base.Add(d); return r }

// Add records one event; fields are key, value pairs spelled as the
// journal on disk has them, older builds' forms included. Written by hand
// on purpose: the report reads them through the room's typed facts, so a
// renamed key, which would orphan every journal already written, fails
// the report's tests.
func (r *Recorder) Add(kind, subject, actor, level, text string, fields ...string) room.Event {
	var payload map[string]string
	if len(fields) > 0 {
		payload = map[string]string{}
		for i := 0; i+1 < len(fields); i += 2 {
			payload[fields[i]] = fields[i+1]
		}
	}
	ev := room.Event{Seq: uint64(len(r.Events) + 1), At: r.at, Kind: kind, Subject: subject, Actor: actor,
		Level: level, Text: text, Fields: payload}
	r.Events = append(r.Events, ev)
	return ev
}

func m(min, sec int) time.Duration {
	return time.Duration(min)*time.Minute + time.Duration(sec)*time.Second
}

// IncidentID is the id of the incident Incident records.
const IncidentID = "INC-20261121-1"

// Incident records a level 2 incident worked end to end, with RTO 15m and
// RPO 10m: tokyo degrades at 03:11:40 and goes down at 03:12:10 (first
// alert), bo acknowledges at 03:13:05, ana declares at 03:14:00, bo's
// failover to osaka (42 s behind) waits for ana's approval and is confirmed
// at 03:16:10, cleo's first update is sent to slack at 03:16:42 (the status
// page webhook fails), command passes to bo at 03:20, tokyo recovers at
// 03:34:10, failback is confirmed at 03:41:05, resolved at 03:45 and closed
// at 04:05; bo silences tokyo's lag alerts at 03:18:10 for an hour and ana
// ends that silence at 03:43. rto and rpo are the declared targets.
func Incident(rto, rpo string) *Recorder {
	r := NewRecorder()
	r.At(m(0, 5)).Add(room.EvRoomOpened, "", "", "info", "room opened on 3 mirrors", "mirrors", "3")
	r.At(m(0, 6)).Add(room.EvPresenceJoined, "", "ana", "info", "ana joined as commander", "role", "commander", "via", "local")
	r.At(m(0, 9)).Add(room.EvPresenceJoined, "", "bo", "info", "bo joined as operator", "role", "operator", "via", "ssh", "remote", "10.0.0.7")
	r.At(m(0, 12)).Add(room.EvPresenceJoined, "", "cleo", "info", "cleo joined as comms", "role", "comms", "via", "ssh", "remote", "10.0.0.9")
	r.At(m(1, 40)).Add(room.EvMirrorState, "tokyo", "", "degraded", "tokyo degraded: slow (2.1s)", "from", "up", "to", "degraded", "reason", "slow (2.1s)")
	r.At(m(2, 10)).Add(room.EvMirrorState, "tokyo", "", "down", "tokyo went down: unreachable", "from", "degraded", "to", "down", "reason", "unreachable")
	r.Add(room.EvAlertRaised, "tokyo", "", "critical", "critical alert: tokyo down: unreachable", "alert", "mirror-down/tokyo", "text", "tokyo down: unreachable")
	r.At(m(3, 5)).Add(room.EvAlertAcked, "tokyo", "bo", "info", "bo acknowledged: tokyo down: unreachable", "alert", "mirror-down/tokyo")
	r.At(m(3, 30)).Add(room.EvIncidentProposed, "", "", "warning", "proposal: declare a level 2 incident", "level", "2", "reason", "active mirror tokyo down")
	r.At(m(4, 0)).Add(room.EvIncidentDeclared, IncidentID, "ana", "critical", "ana declared level 2 incident: tokyo mirror down",
		"level", "2", "title", "tokyo mirror down", "commander", "ana", "drill", "", "rto", rto, "rpo", rpo, "detected", Base.Add(m(2, 10)).Format(time.RFC3339))
	r.At(m(4, 20)).Add(room.EvIncidentStep, IncidentID, "ana", "info", "step 1 done", "step", "1", "note", "only tokyo; osaka and frankfurt healthy")
	note := r.At(m(4, 40)).Add(room.EvNoteAdded, IncidentID, "bo", "info", "tokyo DC reports a power fault in hall 2", "pinned", "")
	r.At(m(5, 0)).Add(room.EvActionAwaiting, "tokyo", "bo", "info", "bo asks to failover tokyo → osaka (act-1)",
		"id", "act-1", "action", "failover", "from", "tokyo", "to", "osaka", "executor", "haproxy", "rpo", "42", "batches", "0", "expires", Base.Add(m(10, 0)).Format(time.RFC3339))
	r.At(m(5, 30)).Add(room.EvActionApproved, "tokyo", "ana", "info", "ana approved bo's failover tokyo → osaka (act-1)", "id", "act-1")
	r.At(m(5, 31)).Add(room.EvActionStarted, "tokyo", "", "info", "act-1 started", "id", "act-1")
	r.At(m(5, 32)).Add(room.EvActionOutput, "tokyo", "", "info", "set server mirrors/osaka state ready", "id", "act-1", "line", "set server mirrors/osaka state ready")
	r.At(m(6, 10)).Add(room.EvActionSucceeded, "tokyo", "", "ok", "failover tokyo → osaka succeeded (act-1)",
		"id", "act-1", "action", "failover", "from", "tokyo", "to", "osaka", "confirmed", "osaka serves 100% of traffic")
	r.Add(room.EvIncidentStep, IncidentID, "", "info", "step 2 done", "step", "2", "auto", "true", "by_event", "action.succeeded")
	r.At(m(6, 40)).Add(room.EvPostQueued, "slack-ops", "cleo", "info", "cleo queued", "id", "post-1", "channel", "slack-ops", "kind", "slack",
		"template", "outage", "phase", "investigating", "title", "Mirror outage in Tokyo", "text", "Tokyo is down; traffic moved to Osaka.", "key", "k1", "drill", "false")
	r.Add(room.EvPostQueued, "status-page", "cleo", "info", "cleo queued", "id", "post-2", "channel", "status-page", "kind", "webhook",
		"template", "outage", "phase", "investigating", "title", "Mirror outage in Tokyo", "text", "Tokyo is down; traffic moved to Osaka.", "key", "k1", "drill", "false")
	r.At(m(6, 41)).Add(room.EvPostSending, "slack-ops", "", "info", "sending post-1", "id", "post-1", "attempt", "1")
	r.Add(room.EvPostSending, "status-page", "", "info", "sending post-2", "id", "post-2", "attempt", "1")
	r.At(m(6, 42)).Add(room.EvPostSent, "slack-ops", "", "ok", "sent post-1", "id", "post-1", "attempt", "1")
	r.Add(room.EvIncidentStep, IncidentID, "", "info", "step 3 done", "step", "3", "auto", "true", "by_event", "post.sent")
	r.Add(room.EvPostRetrying, "status-page", "", "warning", "post-2 failed", "id", "post-2", "attempt", "1", "error", "HTTP 502", "retry_at", Base.Add(m(7, 12)).Format(time.RFC3339Nano))
	r.At(m(8, 0)).Add(room.EvPostFailed, "status-page", "", "critical", "post-2 failed", "id", "post-2", "attempt", "3", "error", "HTTP 502 after 3 attempts")
	r.At(m(8, 10)).Add(room.EvSilenceAdded, "sil-1", "bo", "info", "bo silenced kind=mirror-lag,mirror=tokyo for 1h",
		"id", "sil-1", "matcher", "kind=mirror-lag,mirror=tokyo", "start", Base.Add(m(8, 10)).Format(time.RFC3339Nano),
		"end", Base.Add(m(68, 10)).Format(time.RFC3339Nano), "reason", "tokyo resyncs for an hour once power is back")
	r.At(m(8, 30)).Add(room.EvIncidentStatus, IncidentID, "ana", "info", "investigating → identified", "from", "investigating", "to", "identified")
	r.At(m(10, 0)).Add(room.EvIncidentCommander, IncidentID, "ana", "info", "ana handed command to bo", "from", "ana", "to", "bo")
	r.At(m(10, 30)).Add(room.EvIncidentStatus, IncidentID, "bo", "info", "identified → mitigated", "from", "identified", "to", "mitigated")
	r.At(m(11, 0)).Add(room.EvNotePinned, IncidentID, "bo", "info", "pinned a note", "note_seq", strconv.FormatUint(note.Seq, 10))
	r.At(m(12, 0)).Add(room.EvNoteAdded, IncidentID, "ana", "info", "power restored in hall 2; tokyo syncing", "pinned", "true")
	r.At(m(24, 10)).Add(room.EvMirrorState, "tokyo", "", "up", "tokyo is up again", "from", "down", "to", "up")
	r.Add(room.EvAlertCleared, "tokyo", "", "ok", "cleared: tokyo down: unreachable", "alert", "mirror-down/tokyo")
	r.At(m(30, 0)).Add(room.EvActionRequested, "osaka", "bo", "info", "bo confirmed failback osaka → tokyo (act-2 via haproxy)",
		"id", "act-2", "action", "failback", "from", "osaka", "to", "tokyo", "executor", "haproxy", "batches", "0")
	r.At(m(30, 1)).Add(room.EvActionStarted, "osaka", "", "info", "act-2 started", "id", "act-2")
	r.At(m(31, 5)).Add(room.EvActionSucceeded, "osaka", "", "ok", "failback osaka → tokyo succeeded (act-2)",
		"id", "act-2", "action", "failback", "from", "osaka", "to", "tokyo", "confirmed", "tokyo serves 100% of traffic")
	r.Add(room.EvIncidentStep, IncidentID, "", "info", "step 5 done", "step", "5", "auto", "true", "by_event", "action.succeeded")
	r.At(m(32, 0)).Add(room.EvPostQueued, "slack-ops", "cleo", "info", "cleo queued", "id", "post-3", "channel", "slack-ops", "kind", "slack",
		"template", "resolved", "phase", "resolved", "title", "Tokyo mirror restored", "text", "Tokyo serves again.", "key", "k2", "drill", "false")
	r.At(m(32, 1)).Add(room.EvPostSending, "slack-ops", "", "info", "sending post-3", "id", "post-3", "attempt", "1")
	r.Add(room.EvPostSent, "slack-ops", "", "ok", "sent post-3", "id", "post-3", "attempt", "1")
	r.At(m(33, 0)).Add(room.EvSilenceExpired, "sil-1", "ana", "info", "ana ended silence sil-1 early",
		"id", "sil-1", "matcher", "kind=mirror-lag,mirror=tokyo", "start", Base.Add(m(8, 10)).Format(time.RFC3339Nano),
		"end", Base.Add(m(33, 0)).Format(time.RFC3339Nano))
	r.At(m(35, 0)).Add(room.EvIncidentStatus, IncidentID, "bo", "info", "mitigated → resolved", "from", "mitigated", "to", "resolved")
	r.At(m(55, 0)).Add(room.EvIncidentStatus, IncidentID, "bo", "info", "resolved → closed", "from", "resolved", "to", "closed")
	return r
}

// DrillID is the id of the drill incident Drill records.
const DrillID = "DRILL-20261121-2"

// Drill records, after the incident r already holds, the regional-outage
// drill run by ana from 05:00: osaka's region goes down, the alert comes
// 40 s later, failover is confirmed at 2m 30s, the [DRILL] update is sent
// at 3m, and the drill ends with its goals met.
func Drill(r *Recorder) *Recorder {
	at := func(min, sec int) *Recorder { return r.At(m(110+min, sec)) }
	started := Base.Add(m(110, 0))
	at(0, 0).Add(room.EvDrillStarted, "regional-outage", "ana", "info", "ana started the drill regional-outage",
		"file", "examples/drills/regional-outage.yaml", "live", "false", "incident", DrillID)
	r.Add(room.EvIncidentDeclared, DrillID, "ana", "info", "drill incident declared",
		"level", "2", "title", "[DRILL] regional outage ap-east", "commander", "ana", "drill", "true", "rto", "10m", "rpo", "5m")
	r.Add(room.EvDrillFault, "ap-east", "", "warning", "fault applied", "kind", "region-down", "state", "applied")
	at(0, 40).Add(room.EvMirrorState, "osaka", "", "down", "osaka went down", "from", "up", "to", "down", "reason", "unreachable")
	r.Add(room.EvAlertRaised, "osaka", "", "critical", "critical alert: osaka down", "alert", "mirror-down/osaka", "text", "osaka down: unreachable")
	at(1, 10).Add(room.EvAlertAcked, "osaka", "ana", "info", "ana acknowledged: osaka down", "alert", "mirror-down/osaka")
	at(1, 30).Add(room.EvActionRequested, "osaka", "ana", "info", "ana confirmed failover osaka → frankfurt (act-3)",
		"id", "act-3", "action", "failover", "from", "osaka", "to", "frankfurt", "executor", "dry-run", "rpo", "12", "batches", "0")
	at(1, 31).Add(room.EvActionStarted, "osaka", "", "info", "act-3 started", "id", "act-3")
	at(2, 30).Add(room.EvActionSucceeded, "osaka", "", "ok", "failover osaka → frankfurt succeeded (act-3)",
		"id", "act-3", "action", "failover", "from", "osaka", "to", "frankfurt", "confirmed", "dry run: frankfurt would serve")
	at(2, 50).Add(room.EvPostQueued, "slack-drill", "ana", "info", "ana queued", "id", "post-4", "channel", "slack-drill", "kind", "slack",
		"template", "outage", "phase", "investigating", "title", "[DRILL] Mirror outage in ap-east", "text", "drill", "key", "k3", "drill", "true")
	at(3, 0).Add(room.EvPostSent, "slack-drill", "", "ok", "sent post-4", "id", "post-4", "attempt", "1")
	at(5, 0).Add(room.EvDrillFault, "ap-east", "", "info", "fault removed", "kind", "region-down", "state", "removed")
	at(5, 20).Add(room.EvMirrorState, "osaka", "", "up", "osaka is up again", "from", "down", "to", "up")
	r.Add(room.EvAlertCleared, "osaka", "", "ok", "cleared: osaka down", "alert", "mirror-down/osaka")
	card := drill.Scorecard{Scenario: "regional-outage", Started: started, Ended: Base.Add(m(115, 20)), EndReason: drill.EndGoalsMet,
		Goals: []drill.GoalScore{
			{Name: "detect", Target: time.Minute, Achieved: 40 * time.Second, Reached: true, Met: true},
			{Name: "failover", Target: 5 * time.Minute, Achieved: m(2, 30), Reached: true, Met: true},
			{Name: "announce", Target: 10 * time.Minute, Achieved: 3 * time.Minute, Reached: true, Met: true},
		}}
	js, _ := json.Marshal(card)
	r.Add(room.EvDrillEnded, "regional-outage", "", "info", "drill ended: goals met", "reason", drill.EndGoalsMet, "scorecard", string(js))
	at(5, 40).Add(room.EvIncidentStatus, DrillID, "ana", "info", "investigating → resolved", "from", "investigating", "to", "resolved")
	at(6, 0).Add(room.EvIncidentStatus, DrillID, "ana", "info", "resolved → closed", "from", "resolved", "to", "closed")
	return r
}
