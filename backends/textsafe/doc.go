// Package textsafe cleans text that came from outside (a platform's answer,
// an executor's output, a person's reason) before it is shown or stored:
// terminal controls are stripped and the config's secrets are masked.
package textsafe
