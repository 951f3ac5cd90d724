package room

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// payloadFiles read and write Event.Fields by key; everything else goes
// through the *Facts types.
func payloadFile(path string) bool {
	dir, name := filepath.Split(filepath.ToSlash(path))
	return dir == "backends/room/" && (name == "fields.go" || strings.HasPrefix(name, "facts_"))
}

// TestNoPayloadKeysOutsideTheFacts walks the module's code (tests aside)
// for a payload read by key (ev.Fields["state"], or the map taken out of
// the event) or written as a literal map (Fields: map[string]string{…}).
func TestNoPayloadKeysOutsideTheFacts(t *testing.T) {
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found from the room's directory: %v", err)
	}
	fset := token.NewFileSet()
	var found []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || (strings.HasPrefix(n, ".") && path != root) {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(root, path)
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || payloadFile(rel) {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, pos := range payloadByKey(f) {
			p := fset.Position(pos)
			found = append(found, rel+":"+strconv.Itoa(p.Line))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) > 0 {
		t.Errorf("event payload used by key outside backends/room/facts_*.go; use the event's facts (ev.ActionFacts()…, XFacts{…}.Fields()):\n%s",
			strings.Join(found, "\n"))
	}
}

// payloadByKey finds, in one file, uses of a .Fields selector other than
// calling a Fields method, assigning to it or naming an imported package's
// Fields, and literal maps given as Fields.
func payloadByKey(f *ast.File) []token.Pos {
	imports := map[string]bool{}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		imports[name] = true
	}
	allowed := map[ast.Expr]bool{}
	var out []token.Pos
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			allowed[n.Fun] = true
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				allowed[l] = true
			}
			for _, r := range n.Rhs {
				if _, lit := r.(*ast.CompositeLit); lit && len(n.Lhs) == 1 && isFields(n.Lhs[0]) {
					out = append(out, r.Pos())
				}
			}
		case *ast.KeyValueExpr:
			if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Fields" {
				if _, lit := n.Value.(*ast.CompositeLit); lit {
					out = append(out, n.Pos())
				}
			}
		case *ast.SelectorExpr:
			if n.Sel.Name != "Fields" || allowed[n] {
				return true
			}
			if x, ok := n.X.(*ast.Ident); ok && imports[x.Name] {
				return true
			}
			out = append(out, n.Pos())
		}
		return true
	})
	return out
}

func isFields(e ast.Expr) bool {
	s, ok := e.(*ast.SelectorExpr)
	return ok && s.Sel.Name == "Fields"
}
