package notify

import (
	"strconv"
	"time"
)

var fixedNow = time.Date(2026, 8, 22, 14, 4, 20, 0, time.UTC)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
