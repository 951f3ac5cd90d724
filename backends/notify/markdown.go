package notify

import "strings"

// The body of a post is a small Markdown subset every platform can show:
// paragraphs split by blank lines, "- " list items, **bold**, [text](url)
// links and "---" rule lines (which separate merged posts). Each platform
// gets it in its own dialect from the functions here.

// span is one inline piece of a line.
type span struct {
	kind string // text | bold | link
	text string
	url  string
}

// inline splits a line into text, **bold** and [text](url) spans. Anything
// unbalanced stays plain text.
func inline(line string) []span {
	var out []span
	plain := func(s string) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].kind == "text" {
			out[n-1].text += s
			return
		}
		out = append(out, span{kind: "text", text: s})
	}
	for line != "" {
		i := strings.IndexAny(line, "*[")
		if i < 0 {
			plain(line)
			break
		}
		plain(line[:i])
		rest := line[i:]
		if strings.HasPrefix(rest, "**") {
			if j := strings.Index(rest[2:], "**"); j > 0 {
				out = append(out, span{kind: "bold", text: rest[2 : 2+j]})
				line = rest[4+j:]
				continue
			}
		}
		if rest[0] == '[' {
			if j := strings.Index(rest, "]("); j > 1 {
				if k := strings.IndexByte(rest[j+2:], ')'); k > 0 {
					out = append(out, span{kind: "link", text: rest[1:j], url: rest[j+2 : j+2+k]})
					line = rest[j+3+k:]
					continue
				}
			}
		}
		plain(rest[:1])
		line = rest[1:]
	}
	return out
}

// isRule reports a "---" line, the separator between merged posts.
func isRule(line string) bool {
	t := strings.TrimSpace(line)
	return len(t) >= 3 && strings.Trim(t, "-") == ""
}

// listItem returns the item text of a "- " or "* " line.
func listItem(line string) (string, bool) {
	t := strings.TrimLeft(line, " ")
	if strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") {
		return t[2:], true
	}
	return "", false
}

// paragraphs splits a body at blank lines and rule lines; a rule is
// returned as a paragraph of its own, "---".
func paragraphs(text string) []string {
	var out []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		switch {
		case strings.TrimSpace(l) == "":
			flush()
		case isRule(l):
			flush()
			out = append(out, "---")
		default:
			cur = append(cur, strings.TrimRight(l, " \t"))
		}
	}
	flush()
	return out
}

// mapLines rewrites each line of text: list items through item, and the
// inline spans of every line through sp.
func mapLines(text string, bullet string, sp func(span) string) string {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, l := range lines {
		prefix := ""
		if item, ok := listItem(l); ok {
			prefix, l = bullet, item
		}
		var b strings.Builder
		b.WriteString(prefix)
		for _, s := range inline(l) {
			b.WriteString(sp(s))
		}
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n")
}

// plainText drops the markup: bold becomes plain, links "text (url)".
func plainText(text string) string {
	return mapLines(text, "• ", func(s span) string {
		if s.kind == "link" {
			if s.text == s.url {
				return s.url
			}
			return s.text + " (" + s.url + ")"
		}
		return s.text
	})
}

// slackEscape escapes the three characters Slack's mrkdwn reserves.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// slackMrkdwn is Slack's dialect: *bold*, <url|text>, • items.
func slackMrkdwn(text string) string {
	return mapLines(text, "• ", func(s span) string {
		switch s.kind {
		case "bold":
			return "*" + slackEscape(s.text) + "*"
		case "link":
			return "<" + s.url + "|" + slackEscape(s.text) + ">"
		}
		return slackEscape(s.text)
	})
}

// rule is how a merged post's separator shows in plain text.
const plainRule = "──────────"

// plainBody is the whole body as plain text with rules drawn.
func plainBody(text string) string {
	ps := paragraphs(text)
	for i, p := range ps {
		if p == "---" {
			ps[i] = plainRule
		} else {
			ps[i] = plainText(p)
		}
	}
	return strings.Join(ps, "\n\n")
}

// markdownBody is the body for platforms that speak standard Markdown
// (DingTalk, WeCom), normalised: paragraphs separated by one blank line.
func markdownBody(text string) string {
	return strings.Join(paragraphs(text), "\n\n")
}
