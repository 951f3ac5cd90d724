package config

import (
	"fmt"
	"strings"

	"warroom/backends/problems"
)

// expand replaces ${NAME} with the variable's value and $${ with a literal
// ${. It returns the names it used, so the caller can treat the result as a
// secret. Error messages name variables, never values.
func expand(s string, getenv func(string) (string, bool)) (string, []string, error) {
	if !strings.Contains(s, "${") {
		return s, nil, nil
	}
	var b strings.Builder
	var names []string
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], "$${"):
			b.WriteString("${")
			i += 3
		case strings.HasPrefix(s[i:], "${"):
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return "", nil, fmt.Errorf("${ at column %d has no closing }; write $${ for a literal ${", i+1)
			}
			name := s[i+2 : i+2+end]
			if !validEnvName(name) {
				return "", nil, fmt.Errorf("%s is not a variable name (letters, digits and _, not starting with a digit); write $${ for a literal ${", problems.Quote("${"+name+"}"))
			}
			v, ok := getenv(name)
			if !ok {
				return "", nil, fmt.Errorf("environment variable ${%s} is not set; export it or write $${ for a literal ${", name)
			}
			b.WriteString(v)
			if !contains(names, name) {
				names = append(names, name)
			}
			i += 2 + end + 1
		default:
			b.WriteByte(s[i])
			i++
		}
	}
	return b.String(), names, nil
}

func validEnvName(n string) bool {
	if n == "" {
		return false
	}
	for i, r := range n {
		letter := r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// escapeDollar is expand's inverse for plain text: it keeps a literal ${
// literal when the text is read back.
func escapeDollar(s string) string {
	return strings.ReplaceAll(s, "${", "$${")
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
