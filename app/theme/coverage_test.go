package theme

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

	"golang.org/x/image/font/sfnt"

	"baomi/assets"
)

// TestEveryUIStringRuneIsInTheBundledFont parses every non-test Go file of
// the program (app/, data/ and main.go: data's messages reach the screens)
// and checks that each rune of each string literal has a glyph in the
// bundled font, so no screen shows a missing-glyph box on a PC without
// Chinese fonts.
func TestEveryUIStringRuneIsInTheBundledFont(t *testing.T) {
	f, err := sfnt.Parse(assets.UIFont)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	root := filepath.Join("..", "..")
	files := []string{filepath.Join(root, "main.go")}
	for _, dir := range []string{"app", "data"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	checked := map[rune]bool{}
	strs := 0
	fset := token.NewFileSet()
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, p, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			strs++
			for _, r := range s {
				if r < 0x20 || checked[r] {
					continue
				}
				checked[r] = true
				if idx, err := f.GlyphIndex(&buf, r); err != nil || idx == 0 {
					t.Errorf("%s: rune %q (U+%04X) in %s has no glyph in the UI font", fset.Position(lit.Pos()), r, r, lit.Value)
				}
			}
			return true
		})
	}
	if len(checked) < 300 || strs < 100 {
		t.Fatalf("only %d distinct runes in %d strings checked: the walk missed the sources", len(checked), strs)
	}
	t.Logf("%d files, %d strings, %d distinct runes covered", len(files), strs, len(checked))
}
