package notify

import (
	"strings"

	"warroom/backends/config"
)

// maxMerge bounds how many posts one merged post carries, so a long
// backlog becomes several readable posts rather than one enormous one.
const maxMerge = 50

// mergeRule separates the merged posts' texts.
const mergeRule = "\n\n---\n\n"

// merge makes one post of several queued ones: the newest title, the texts
// in order separated by rules, and every id. Its own id names the first
// and last ids it carries.
func merge(ps []Post) Post {
	if len(ps) == 1 {
		return ps[0]
	}
	var ids, texts []string
	for _, p := range ps {
		ids = append(ids, p.ids()...)
		if t := strings.TrimSpace(p.Text); t != "" {
			texts = append(texts, t)
		}
	}
	last := ps[len(ps)-1]
	return Post{
		ID:    "merged:" + ids[0] + ".." + ids[len(ids)-1],
		IDs:   ids,
		Title: last.Title,
		Text:  strings.Join(texts, mergeRule),
		Drill: last.Drill,
	}
}

// takeMerged picks how many queued posts to merge: as many as fit in one
// post the channel can send without new warnings, of the same drill-ness,
// up to maxMerge. At least one.
// A post with a Page is never merged (a pager acts on each one), nor is
// anything on a pagerduty channel.
func takeMerged(ch Channel, q []Post) int {
	n := 1
	if q[0].Page != nil || ch.Kind() == config.ChannelPager {
		return n
	}
	for k := 2; k <= min(len(q), maxMerge); k++ {
		if q[k-1].Drill != q[0].Drill || q[k-1].Page != nil {
			break
		}
		if len(ch.Warnings(merge(q[:k]))) > 0 {
			break
		}
		n = k
	}
	return n
}
