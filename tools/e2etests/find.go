package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// seeds are what makes a test end-to-end: it starts the warroom binary, a
// program such as tmux, haproxy or named, or talks SSH to a real server.
// Local helpers are named bare; functions of other packages by import path.
var seeds = []string{
	"buildBinary",                                  // cmd/warroom: the real binary
	"needTool",                                     // cmd/warroom: an installed program (tmux, ssh, haproxy, named)
	"StartHAProxy", "StartNamed", "StartNamedZone", // inside actionstest itself
	"warroom/backends/actions/actionstest.StartHAProxy",
	"warroom/backends/actions/actionstest.StartNamed",
	"warroom/backends/actions/actionstest.StartNamedZone",
	"golang.org/x/crypto/ssh.Dial",
}

// endToEnd returns the names of the test functions in dir's _test.go files
// that reach a seed through calls (or function values) in those files.
func endToEnd(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	uses := map[string]map[string]bool{} // function → what it names
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		imports := importNames(af)
		for _, d := range af.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				uses[funcKey(fd)] = names(fd, imports)
			}
		}
	}
	reach := map[string]bool{}
	for _, s := range seeds {
		reach[s] = true
	}
	for grew := true; grew; {
		grew = false
		for fn, named := range uses {
			if reach[fn] {
				continue
			}
			for n := range named {
				if reach[n] {
					reach[fn], grew = true, true
					break
				}
			}
		}
	}
	var tests []string
	for fn := range uses {
		if reach[fn] && strings.HasPrefix(fn, "Test") {
			tests = append(tests, fn)
		}
	}
	slices.Sort(tests)
	return tests, nil
}

// funcKey names a function bare and a method as .Name: a call x.Name() is
// taken to be any method of that name (the types are not checked).
func funcKey(fd *ast.FuncDecl) string {
	if fd.Recv != nil {
		return "." + fd.Name.Name
	}
	return fd.Name.Name
}

// importNames maps each import's local name to its path.
func importNames(f *ast.File) map[string]string {
	m := map[string]string{}
	for _, is := range f.Imports {
		path, _ := strconv.Unquote(is.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if is.Name != nil {
			name = is.Name.Name
		}
		m[name] = path
	}
	return m
}

// names is every identifier fd mentions, with pkg.F as importpath.F and
// x.M also as .M.
func names(fd *ast.FuncDecl, imports map[string]string) map[string]bool {
	m := map[string]bool{}
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok {
				if path, ok := imports[id.Name]; ok {
					m[path+"."+x.Sel.Name] = true
					return false
				}
			}
			m["."+x.Sel.Name] = true
		case *ast.Ident:
			m[x.Name] = true
		}
		return true
	})
	return m
}
