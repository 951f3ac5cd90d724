package intake

import (
	"fmt"
	"time"

	"warroom/backends/room"
)

// webhook is Alertmanager's webhook payload, version 4. Fields it may add
// later are ignored, as Alertmanager's own receivers do.
type webhook struct {
	Version           string            `json:"version"`
	GroupKey          string            `json:"groupKey"`
	TruncatedAlerts   int               `json:"truncatedAlerts"`
	Status            string            `json:"status"`
	Receiver          string            `json:"receiver"`
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	ExternalURL       string            `json:"externalURL"`
	Alerts            []webhookAlert    `json:"alerts"`
}

type webhookAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// Version is the webhook payload version the intake speaks.
const Version = "4"

// alerts checks the payload and turns it into the room's alerts; an error
// names the field, so the sender's log says what to fix.
func (w *webhook) alerts() ([]room.ExternalAlert, error) {
	if w.Version != Version {
		return nil, fmt.Errorf("version %q: warroom takes Alertmanager's webhook version %s", w.Version, Version)
	}
	source := w.Receiver
	if w.ExternalURL != "" {
		source += " " + w.ExternalURL
	}
	out := make([]room.ExternalAlert, 0, len(w.Alerts))
	for i, a := range w.Alerts {
		if a.Status != room.ExternalFiring && a.Status != room.ExternalResolved {
			return nil, fmt.Errorf("alerts[%d].status %q: want firing or resolved", i, a.Status)
		}
		if len(a.Labels) == 0 {
			return nil, fmt.Errorf("alerts[%d].labels: missing; an alert is its labels", i)
		}
		out = append(out, room.ExternalAlert{Fingerprint: a.Fingerprint, Status: a.Status, Labels: a.Labels,
			Annotations: a.Annotations, StartsAt: a.StartsAt, EndsAt: a.EndsAt, Source: source})
	}
	return out, nil
}
