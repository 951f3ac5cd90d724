package main

import (
	"fmt"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/notify"
	"warroom/backends/notify/notifytest"
)

// keyword is the DingTalk robot's security keyword; every post carries it.
const keyword = "告警"

// fleet is the four receivers and a channel for each.
type fleet struct {
	recv  map[string]*notifytest.Receiver
	chans []notify.Channel
}

// names are the channels in print order.
var names = []string{"slack", "dingtalk", "wecom", "feishu"}

// startFleet starts the four receivers (enforcing the platforms' limits
// when enforce is set) and builds a signed channel for each.
func startFleet(clock clockwork.Clock, enforce bool) (*fleet, error) {
	secrets := map[string]string{"dingtalk": "SEC-load-dingtalk", "feishu": "load-feishu-secret"}
	keywords := map[string]string{"dingtalk": keyword, "feishu": keyword}
	f := &fleet{recv: map[string]*notifytest.Receiver{}}
	for _, kind := range names {
		r, err := notifytest.New(kind, notifytest.Options{Secret: secrets[kind], Keyword: keywords[kind], Clock: clock, Enforce: enforce})
		if err != nil {
			f.close()
			return nil, fmt.Errorf("start %s receiver: %w", kind, err)
		}
		f.recv[kind] = r
		ch, err := notify.New(config.Channel{Name: kind, Kind: kind, URL: r.URL(), Secret: secrets[kind], Keyword: keywords[kind]},
			notify.Options{Clock: clock})
		if err != nil {
			f.close()
			return nil, err
		}
		f.chans = append(f.chans, ch)
	}
	return f, nil
}

func (f *fleet) close() {
	for _, r := range f.recv {
		r.Close()
	}
}
