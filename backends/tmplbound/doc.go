// Package tmplbound runs text/templates from the config within bounds of
// output, steps and time, so a template like {{range 100000000}} fails
// with a clear error instead of exhausting the process.
package tmplbound
