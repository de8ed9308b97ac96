package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"baomi/data/datatest"
)

func TestLabelLayout(t *testing.T) {
	for _, tc := range []struct {
		name            string
		in              LabelDoc
		cols, rows      int
		w, h, left, top float64
		wantErr         bool
	}{
		{"default 3×8 of 70×37", LabelDoc{}, 3, 8, 70, 37, 0, 0.5, false},
		{"2×7 sized by the page", LabelDoc{Columns: 2, Rows: 7, Left: 5, Top: 10, GapX: 4, GapY: 2}, 2, 7, 98, 265.0 / 7, 5, 10, false},
		{"explicit size centred", LabelDoc{Columns: 2, Rows: 5, Width: 90, Height: 50}, 2, 5, 90, 50, 15, 23.5, false},
		{"too wide", LabelDoc{Columns: 4, Width: 60}, 0, 0, 0, 0, 0, 0, true},
		{"too small", LabelDoc{Columns: 20, Rows: 40}, 0, 0, 0, 0, 0, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := tc.in
			err := d.layout()
			if tc.wantErr {
				if !errors.Is(err, ErrLabelLayout) {
					t.Errorf("err = %v, want ErrLabelLayout", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := []float64{float64(d.Columns), float64(d.Rows), d.Width, d.Height, d.Left, d.Top}
			want := []float64{float64(tc.cols), float64(tc.rows), tc.w, tc.h, tc.left, tc.top}
			for i := range got {
				if d := got[i] - want[i]; d > 1e-9 || d < -1e-9 {
					t.Errorf("layout = %v, want %v", got, want)
					break
				}
			}
		})
	}
}

func TestLabels(t *testing.T) {
	carriers := datatest.Carriers(30)
	carriers[4].Title = "关于印发《2026年度全市保密工作要点》及涉密载体管理、涉密人员管理、保密宣传教育培训、保密检查与整改等配套制度的通知（附件一至附件九）"
	var buf bytes.Buffer
	if err := Labels(&buf, LabelDoc{Carriers: carriers, Skip: 1, Fonts: bundledFonts(t)}); err != nil {
		t.Fatal(err)
	}
	path := writePDF(t, "labels.pdf", buf.Bytes())
	pages := pdfPages(t, path)
	if len(pages) != 2 {
		t.Fatalf("%d pages for 30 labels (1 skipped) at 24 a sheet, want 2", len(pages))
	}
	all := squash(strings.Join(pages, ""))
	for _, c := range carriers {
		if !strings.Contains(all, c.Number) || !strings.Contains(all, c.Mark()) {
			t.Errorf("labels lack %s or its mark %s", c.Number, c.Mark())
		}
	}
	if !strings.Contains(all, "关于印发《2026年度全市") || strings.Contains(all, "附件一至附件九") || !strings.Contains(all, "…") {
		t.Errorf("the long title is not shortened with …:\n%s", all)
	}
	if n := strings.Count(squash(pages[0]), datatest.NumberPrefix); n != 23 {
		t.Errorf("first sheet holds %d labels, want 23 (one skipped)", n)
	}

	// Decode the QR codes of the first sheet, label by label.
	zbarimg, pdftoppm := datatest.Need(t, "zbarimg"), datatest.Need(t, "pdftoppm")
	dir := t.TempDir()
	const dpi = 200
	if out, err := exec.Command(pdftoppm, "-r", fmt.Sprint(dpi), "-png", "-f", "1", "-l", "1", "-singlefile", path, filepath.Join(dir, "sheet")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "sheet.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	px := func(mm float64) int { return int(mm * dpi / 25.4) }
	sub := img.(interface {
		SubImage(image.Rectangle) image.Image
	})
	var files []string
	for slot := 1; slot < 24; slot++ {
		x, y := float64(slot%3)*70, 0.5+float64(slot/3)*37
		cell := sub.SubImage(image.Rect(px(x), px(y), px(x+70), px(y+37)))
		name := filepath.Join(dir, fmt.Sprintf("label%02d.png", slot))
		out, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(out, cell); err != nil {
			t.Fatal(err)
		}
		out.Close()
		files = append(files, name)
	}
	out, _ := exec.Command(zbarimg, append([]string{"-q", "--raw"}, files...)...).Output()
	got := strings.Fields(string(out))
	sort.Strings(got)
	var want []string
	for _, c := range carriers[:23] {
		want = append(want, c.Number)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("decoded QR codes %q, want %q", got, want)
	}
}

func TestTinyLabelsStillPrint(t *testing.T) {
	var buf bytes.Buffer
	carriers := datatest.Carriers(5)
	carriers[0].Number = "BM-2026-000000000000000000000000000001"
	carriers[1].Number = ""
	if err := Labels(&buf, LabelDoc{Carriers: carriers, Columns: 10, Rows: 20, Fonts: bundledFonts(t)}); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
}
