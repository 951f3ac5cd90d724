package notifytest

// Holds the issue-15 mail modules in go.mod until email.go and smtp.go use them.
import (
	_ "github.com/emersion/go-sasl"
	_ "github.com/emersion/go-smtp"
	_ "github.com/wneessen/go-mail"
)
