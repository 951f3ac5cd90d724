package tui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
)

// The silence dialogs: silencing alerts (a matcher, how long, why) and
// ending a silence before its time. Both are incident dialogs' forms, so
// they share esc, one answer at a time and the role check; neither closes
// when its alert clears (a silence may well be for a cleared alert).

// Silence form fields, in order.
const (
	silMatcher = iota
	silFor
	silReason
	silFields
)

// silenceForm types a silence: its matcher (prefilled from the alert it
// was opened on), its length and its reason.
type silenceForm struct {
	alert  string // the alert it was opened on; "" for none
	fields [silFields]panes.Input
	focus  int
}

// openSilence opens the silence dialog for alert id ("" for none).
func (m *Model) openSilence(id string) tea.Cmd {
	f := &silenceForm{alert: id}
	f.fields[silMatcher].Limit, f.fields[silFor].Limit, f.fields[silReason].Limit = maxNote, 12, maxNote
	f.fields[silFor].Set("1h")
	if a := m.alertByID(id); a != nil {
		f.fields[silMatcher].Set(matcherFor(*a))
		f.focus = silReason // matcher and length are ready: only why is left
	}
	m.openIncident(f)
	return nil
}

// alertByID is the open alert with id in the snapshot, or nil.
func (m *Model) alertByID(id string) *room.Alert {
	if m.snap == nil || id == "" {
		return nil
	}
	for i := range m.snap.Alerts {
		if m.snap.Alerts[i].ID == id {
			return &m.snap.Alerts[i]
		}
	}
	return nil
}

// matcherFor is the matcher that selects an alert and its kind's later
// raises: its subject and kind, or its id when it has no kind.
func matcherFor(a room.Alert) string {
	kind, _, ok := strings.Cut(a.ID, "/")
	if !ok || a.Subject == "" {
		return "alert=" + a.ID
	}
	return "mirror=" + a.Subject + ",kind=" + kind
}

func (f *silenceForm) title(*incidentDialog) string { return "Silence alerts" }

func (f *silenceForm) draw(m *Model, _ *incidentDialog, c *canvas) {
	if a := m.alertByID(f.alert); a != nil {
		c.text("Alert: " + cleanText(a.Text))
		if a.Silence != nil {
			c.warn(fmt.Sprintf("already silenced by %s (%s) until %s", cleanText(a.Silence.By), cleanText(a.Silence.ID),
				a.Silence.End.Format("15:04")))
		}
	}
	labels := [silFields]string{
		"Matcher (label=value, comma-separated; a|b for either; labels: severity kind mirror region level alert):",
		"For (30m, 2h, 1d; at most 7d):",
		"Reason (required: the next person on call reads why):",
	}
	for i, label := range labels {
		c.muted(label)
		c.add(f.field(m, i, c.w))
	}
	c.muted("Silenced alerts still show, dimmed; they page nobody until the silence ends.")
}

// field draws field i, w cells: the focused one with its cursor.
func (f *silenceForm) field(m *Model, i, w int) string {
	if i == f.focus {
		return m.th.Accent.Render("> ") + f.fields[i].View(m.th, max(w-2, 1))
	}
	return "  " + m.th.Text.Render(truncate(f.fields[i].String(), max(w-2, 1)))
}

func (f *silenceForm) update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return f, nil
	}
	switch {
	case key.Matches(k, untyped(m.km.Up), untyped(m.km.PrevPane)):
		f.focus = max(f.focus-1, 0)
	case key.Matches(k, untyped(m.km.Down), untyped(m.km.NextPane)):
		f.focus = min(f.focus+1, silFields-1)
	case key.Matches(k, m.km.Confirm) && f.focus < silReason:
		f.focus++
	case key.Matches(k, m.km.Confirm):
		return f, f.submit(m, d)
	default:
		f.fields[f.focus].Key(k)
	}
	return f, nil
}

// submit checks the fields, sending nothing and moving to the first that
// is wrong, then asks the room for the silence.
func (f *silenceForm) submit(m *Model, d *incidentDialog) tea.Cmd {
	req := room.SilenceRequest{Matcher: strings.TrimSpace(f.fields[silMatcher].String()),
		Reason: strings.TrimSpace(f.fields[silReason].String())}
	var err error
	req.For, err = silenceFor(f.fields[silFor].String())
	switch {
	case req.Matcher == "":
		f.focus = silMatcher
		m.say("type a matcher: label=value, such as mirror=tokyo,kind=mirror-lag", true)
	case err != nil:
		f.focus = silFor
		m.say(err.Error(), true)
	case req.Reason == "":
		f.focus = silReason
		m.say("a silence needs a reason: say why these alerts may be quiet", true)
	default:
		return d.send(m, "", func(ctx context.Context, r Room, a room.Actor) (string, error) {
			id, err := r.Silence(ctx, req, a)
			return fmt.Sprintf("silenced %s for %s (%s): pages stop, the alerts still show", req.Matcher,
				forText(req.For), id), err
		})
	}
	return nil
}

func (f *silenceForm) keys(m *Model) []key.Binding {
	next := relabel(m.km.Confirm, "next field")
	if f.focus == silReason {
		next = relabel(m.km.Confirm, "silence")
	}
	up, down := untyped(m.km.Up), untyped(m.km.Down)
	move := key.NewBinding(key.WithKeys(append(up.Keys(), down.Keys()...)...),
		key.WithHelp(up.Help().Key+"/"+down.Help().Key, "field"))
	return []key.Binding{next, move, cancelKey(m)}
}

func (f *silenceForm) perm() room.Perm { return room.PermAck }

// refresh keeps the dialog open whatever happens to its alert.
func (f *silenceForm) refresh(*room.Snapshot, *incidentDialog) (string, string) { return "", "" }

// expireForm asks before ending a silence early.
type expireForm struct {
	id string
}

// openExpire offers to end silence id; a maintenance window from the
// config can only be shown (the config ends it).
func (m *Model) openExpire(id string) tea.Cmd {
	m.openIncident(&expireForm{id: id})
	if d := openOf[*incidentDialog](&m.modals); d != nil {
		d.gone = maintenanceOnly(id)
	}
	return nil
}

// maintenanceOnly says why a maintenance window cannot be ended here.
func maintenanceOnly(id string) string {
	if strings.HasPrefix(id, "maint-") {
		return id + " is a maintenance window from the config: change alerting.maintenance to end it"
	}
	return ""
}

// silence is the silence in the snapshot, or nil once it ended.
func (f *expireForm) silence(s *room.Snapshot) *room.SilenceView {
	if s == nil {
		return nil
	}
	for i := range s.Silences {
		if s.Silences[i].ID == f.id {
			return &s.Silences[i]
		}
	}
	return nil
}

func (f *expireForm) title(*incidentDialog) string { return "End silence " + cleanText(f.id) + "?" }

func (f *expireForm) draw(m *Model, _ *incidentDialog, c *canvas) {
	if sv := f.silence(m.snap); sv != nil {
		c.text(fmt.Sprintf("%s · by %s · until %s", cleanText(sv.Matcher), cleanText(sv.By), sv.End.Format("15:04")))
		c.muted("why: " + cleanText(sv.Reason))
	}
	c.text("Ending it pages the receivers of every alert it holds quiet now.")
	c.muted(fmt.Sprintf("%s ends it · %s keeps it", m.km.Yes.Help().Key, m.km.No.Help().Key))
}

func (f *expireForm) update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	switch {
	case !ok:
	case key.Matches(k, m.km.No):
		m.say(f.id+" kept · nothing sent", false)
		return nil, nil
	case key.Matches(k, m.km.Yes):
		id := f.id
		return f, d.sendErr(m, "ended silence "+id+": its alerts are routed again",
			func(ctx context.Context, r Room, a room.Actor) error { return r.ExpireSilence(ctx, id, a) })
	}
	return f, nil
}

func (f *expireForm) keys(m *Model) []key.Binding {
	return []key.Binding{relabel(m.km.Yes, "end silence"), relabel(m.km.No, "keep it"), cancelKey(m)}
}

func (f *expireForm) perm() room.Perm { return room.PermAck }

// refresh closes the dialog once the silence has ended (by itself, or by
// someone else), and keeps a maintenance window unsendable.
func (f *expireForm) refresh(s *room.Snapshot, _ *incidentDialog) (string, string) {
	if f.silence(s) == nil {
		return "", f.id + " has ended meanwhile: nothing was sent"
	}
	return maintenanceOnly(f.id), ""
}
