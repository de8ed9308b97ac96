package pdf

import (
	"errors"
	"fmt"
	"io"
	"math"

	"rsc.io/qr"

	"baomi/data"
)

// LabelDoc describes a print of QR labels on A4 label sheets (portrait),
// one label per carrier.
type LabelDoc struct {
	Carriers []data.Carrier
	// Columns and Rows of labels on a sheet; 0 means 3 × 8.
	Columns, Rows int
	// Width and Height of a label in mm; 0 means 70 × 37 for the default
	// 3 × 8 sheet, else the page divided evenly.
	Width, Height float64
	// Left and Top are the margins of the label grid in mm; 0 centres the
	// grid on the page.
	Left, Top float64
	// GapX and GapY are the spaces between labels in mm.
	GapX, GapY float64
	// Skip leaves the first Skip labels of the first sheet blank, for a
	// sheet already partly used.
	Skip int
	// Border draws each label's outline, for cutting plain paper.
	Border bool
	Fonts  *Fonts // nil: DefaultFonts()
}

// ErrLabelLayout refuses a label layout that does not fit on A4.
var ErrLabelLayout = errors.New("标签尺寸超出 A4 纸张")

// layout fills in the defaults and checks that the grid fits on A4.
func (d *LabelDoc) layout() error {
	if d.Columns <= 0 {
		d.Columns = 3
	}
	if d.Rows <= 0 {
		d.Rows = 8
	}
	if d.Width <= 0 {
		d.Width = (210 - 2*d.Left - float64(d.Columns-1)*d.GapX) / float64(d.Columns)
		if d.Columns == 3 && d.Left == 0 && d.GapX == 0 {
			d.Width = 70
		}
	}
	if d.Height <= 0 {
		d.Height = (297 - 2*d.Top - float64(d.Rows-1)*d.GapY) / float64(d.Rows)
		if d.Rows == 8 && d.Top == 0 && d.GapY == 0 {
			d.Height = 37
		}
	}
	gridW := float64(d.Columns)*d.Width + float64(d.Columns-1)*d.GapX
	gridH := float64(d.Rows)*d.Height + float64(d.Rows-1)*d.GapY
	if d.Left == 0 {
		d.Left = (210 - gridW) / 2
	}
	if d.Top == 0 {
		d.Top = (297 - gridH) / 2
	}
	const tol = 0.01
	if d.Width < 15 || d.Height < 10 || d.Left < -tol || d.Top < -tol ||
		d.Left+gridW > 210+tol || d.Top+gridH > 297+tol || d.GapX < 0 || d.GapY < 0 {
		return fmt.Errorf("%w：%d 列 × %d 行，每张 %.1f × %.1f 毫米", ErrLabelLayout, d.Columns, d.Rows, d.Width, d.Height)
	}
	if d.Skip < 0 {
		d.Skip = 0
	}
	d.Skip %= d.Columns * d.Rows
	return nil
}

// Labels writes QR labels for d.Carriers on A4 label sheets. Each label
// holds a QR code of the 编号 (for the scan box), the 标志 in 黑体, the 编号
// and the title, shortened with … to what fits. Missing glyphs are reported
// as by Register.
func Labels(w io.Writer, d LabelDoc) error {
	if err := d.layout(); err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	doc, err := newDoc(d.Fonts, false, "涉密载体标签")
	if err != nil {
		return fmt.Errorf("labels: %w", err)
	}
	perSheet := d.Columns * d.Rows
	for i, c := range d.Carriers {
		slot := (i + d.Skip) % perSheet
		if i == 0 || slot == 0 {
			doc.pdf.AddPage()
		}
		x := d.Left + float64(slot%d.Columns)*(d.Width+d.GapX)
		y := d.Top + float64(slot/d.Columns)*(d.Height+d.GapY)
		if err := doc.label(x, y, d.Width, d.Height, c, d.Border); err != nil {
			return fmt.Errorf("labels: %s: %w", c.Number, err)
		}
	}
	if len(d.Carriers) == 0 {
		doc.pdf.AddPage()
	}
	return doc.finish(w, "labels")
}

// maxTitleLines caps the title on a label: a label names, it does not
// describe.
const maxTitleLines = 3

// label draws one label with its top left corner at (x, y).
func (d *doc) label(x, y, w, h float64, c data.Carrier, border bool) error {
	if border {
		d.pdf.SetLineWidth(0.15)
		d.pdf.SetStrokeColor(160, 160, 160)
		d.pdf.RectFromUpperLeft(x, y, w, h)
		d.pdf.SetStrokeColor(0, 0, 0)
	}
	pad := math.Min(3, h*0.09)
	side := math.Min(h-2*pad, w*0.45)
	if c.Number != "" {
		if err := d.qr(x+pad, y+(h-side)/2, side, c.Number); err != nil {
			return err
		}
	}
	tx := x + pad + side + 2
	tw := x + w - pad - tx
	ty := y + pad
	bottom := y + h - pad

	// 标志 in 黑体, as large as fits (two lines at most).
	mark := c.Mark()
	size := d.fit(Hei, mark, tw, 11, 6.5)
	for i, l := range d.wrap(Hei, size, mark, tw) {
		if i == 2 {
			break
		}
		lh := size * ptToMM * 1.25
		if _, err := d.text(tx, baseline(ty, lh, size), Hei, size, l); err != nil {
			return err
		}
		ty += lh
	}
	ty += 0.8
	// 编号.
	size = d.fit(Hei, c.Number, tw, 9.5, 5.5)
	lh := size * ptToMM * 1.3
	if _, err := d.text(tx, baseline(ty, lh, size), Hei, size, d.truncate(Hei, size, c.Number, tw)); err != nil {
		return err
	}
	ty += lh + 0.5
	// Title: the lines that fit, three at most, the last one shortened
	// with ….
	size = 7.5
	lh = size * ptToMM * 1.3
	lines := d.wrap(Song, size, c.Title, tw)
	room := min(maxTitleLines, int((bottom-ty)/lh))
	if room > 0 && room < len(lines) {
		lines = lines[:room]
		lines[room-1] = d.ellipsis(Song, size, lines[room-1], tw)
	}
	for i, l := range lines {
		if i >= room {
			break
		}
		if _, err := d.text(tx, baseline(ty, lh, size), Song, size, l); err != nil {
			return err
		}
		ty += lh
	}
	return nil
}

// qr draws a QR code of text as filled squares in a side × side mm square
// at (x, y), with a quiet zone of two modules inside the square.
func (d *doc) qr(x, y, side float64, text string) error {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return fmt.Errorf("QR code: %w", err)
	}
	const quiet = 2
	m := side / float64(code.Size+2*quiet)
	x0, y0 := x+quiet*m, y+quiet*m
	d.pdf.SetFillColor(0, 0, 0)
	for row := 0; row < code.Size; row++ {
		for col := 0; col < code.Size; {
			if !code.Black(col, row) {
				col++
				continue
			}
			run := col
			for run < code.Size && code.Black(run, row) {
				run++
			}
			// A hair of overlap keeps viewers from drawing seams between
			// neighbouring modules.
			d.pdf.RectFromUpperLeftWithStyle(x0+float64(col)*m, y0+float64(row)*m, float64(run-col)*m+0.02, m+0.02, "F")
			col = run
		}
	}
	return nil
}
