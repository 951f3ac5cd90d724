package config

import "time"

// Notify configures announcements: where they go and how often.
type Notify struct {
	Cadence   time.Duration // next public update due after a post, default 30m
	Contact   string        // where people can ask, shown in templates, e.g. "#incident-42"
	Channels  []Channel
	Templates []Template // added to (or replacing, by name) the built-in templates
}

// Channel kinds.
const (
	ChannelSlack    = "slack"
	ChannelDingTalk = "dingtalk"
	ChannelWeCom    = "wecom"
	ChannelFeishu   = "feishu"
	ChannelWebhook  = "webhook"
	ChannelPager    = "pagerduty" // alert pages only (Events API v2)
	ChannelEmail    = "email"
)

// PagerDutyURL is the Events API v2 endpoint a pagerduty channel posts to
// unless url: says otherwise (a proxy, or a test's stand-in).
const PagerDutyURL = "https://events.pagerduty.com/v2/enqueue"

// Email transport security (tls:).
const (
	MailSTARTTLS = "starttls" // the default: refuse to send if the server does not offer it
	MailTLS      = "tls"      // implicit TLS, usually port 465
	MailPlain    = "none"     // loopback relays only: credentials would travel in clear
)

// Channel is one destination of announcements.
type Channel struct {
	Name     string
	Kind     string // slack | dingtalk | wecom | feishu | webhook | pagerduty | email
	URL      string // the webhook URL, a secret (usually ${ENV}); pagerduty: the Events API URL
	Secret   string // signing secret (dingtalk, feishu), "" = unsigned
	Keyword  string // the robot's security keyword, which every message must contain
	Format   string // dingtalk: markdown|text; wecom: markdown|text; feishu: card|post|text; default the first
	Mentions Mentions
	Body     string            // webhook: a text/template producing JSON
	Headers  map[string]string // webhook: extra headers
	Drill    bool              // receives drill posts; live channels never do
	Public   bool              // posts here start the "next update due" countdown
	Timeout  time.Duration     // per request, default 10s
	Lang     string            // alert messages' language: en | zh, default en
	Pager    Pager             // kind pagerduty
	Mail     Mail              // kind email
	Line     int
}

// Pager is a PagerDuty Events API v2 integration.
type Pager struct {
	RoutingKey string // the integration key (32 characters), a secret
}

// Mail is an SMTP submission account and its recipients.
type Mail struct {
	SMTP     string // host:port
	TLS      string // starttls | tls | none, default starttls
	Username string // "" = no AUTH
	Password string // a secret
	From     string
	To       []string
	CAFile   string // PEM file of a private CA the server's certificate chains to
}

// Mentions says who a post notifies on a chat robot.
type Mentions struct {
	All     bool
	Mobiles []string
	UserIDs []string
}

// Template is an announcement template: Go text/template text over the
// announcement's fields.
type Template struct {
	Name  string // e.g. investigating, investigating-zh
	Phase string // investigating | identified | monitoring | resolved
	Lang  string // en | zh
	Title string // template of the title
	Text  string // template of the body (Markdown subset)
	Line  int
}
