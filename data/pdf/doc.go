package pdf

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/signintech/gopdf"
)

// MissingGlyphsError lists runes that none of the fonts could draw. gopdf
// would print them as blanks without a word; Baomi prints □ in their place
// and reports them with this error.
type MissingGlyphsError struct{ Runes []rune }

// Error names the missing runes.
func (e *MissingGlyphsError) Error() string {
	return fmt.Sprintf("font lacks %d glyphs (printed as □): %q", len(e.Runes), string(e.Runes))
}

// ptToMM converts points to millimetres.
const ptToMM = 25.4 / 72

// placement says which face draws a rune and its advance in 1/1000 em.
type placement struct {
	face int16 // index into Fonts.faces; -1: no font has it
	adv  float32
}

// doc is one PDF being laid out: gopdf with the shared fonts, a per-rune
// cache of the face and width for each role, and the runes no font drew.
type doc struct {
	pdf     *gopdf.GoPdf
	fonts   *Fonts
	w, h    float64 // page size, mm
	added   []bool  // faces registered in this document
	cache   [numRoles]map[rune]placement
	missing map[rune]bool
	// current font, to skip redundant SetFont calls
	curFace int
	curSize float64
}

// newDoc starts an A4 document (landscape or portrait) with black text.
func newDoc(fonts *Fonts, landscape bool, title string) (*doc, error) {
	if fonts == nil {
		var err error
		if fonts, err = DefaultFonts(); err != nil {
			return nil, err
		}
	}
	d := &doc{pdf: &gopdf.GoPdf{}, fonts: fonts, w: 210, h: 297, missing: map[rune]bool{}, curFace: -1}
	size := *gopdf.PageSizeA4
	if landscape {
		size = *gopdf.PageSizeA4Landscape
		d.w, d.h = 297, 210
	}
	d.pdf.Start(gopdf.Config{PageSize: size, Unit: gopdf.UnitMM})
	d.pdf.SetInfo(gopdf.PdfInfo{Title: title, Creator: "保密工作台 Baomi", Producer: "Baomi"})
	d.pdf.SetTextColor(0, 0, 0)
	d.added = make([]bool, len(fonts.faces))
	for r := range d.cache {
		d.cache[r] = map[rune]placement{}
	}
	return d, nil
}

// place returns the face drawing r in role and r's advance in 1/1000 em.
func (d *doc) place(role Role, r rune) placement {
	if p, ok := d.cache[role][r]; ok {
		return p
	}
	p := placement{face: -1}
	for _, i := range d.fonts.chains[role] {
		if ok, adv := d.fonts.faces[i].glyph(r); ok {
			p = placement{face: int16(i), adv: float32(adv)}
			break
		}
	}
	if p.face < 0 {
		d.missing[r] = true
		if r != '□' {
			p = d.place(role, '□')
		}
	}
	d.cache[role][r] = p
	return p
}

// isControl reports runes that are never drawn (line ends are handled by
// the wrapper; other controls would become boxes).
func isControl(r rune) bool { return r < 0x20 || r == 0x7F }

// advancer returns a function measuring runes of role at size pt in mm.
func (d *doc) advancer(role Role, size float64) func(rune) float64 {
	k := size / 1000 * ptToMM
	return func(r rune) float64 {
		if isControl(r) {
			return 0
		}
		return float64(d.place(role, r).adv) * k
	}
}

// width measures s in role at size pt, in mm.
func (d *doc) width(role Role, size float64, s string) float64 {
	adv := d.advancer(role, size)
	w := 0.0
	for _, r := range s {
		w += adv(r)
	}
	return w
}

// setFace makes face i at size the current font.
func (d *doc) setFace(i int, size float64) error {
	if i == d.curFace && size == d.curSize {
		return nil
	}
	f := d.fonts.faces[i]
	if !d.added[i] {
		if err := d.pdf.AddTTFFontFromFontContainer(f.family, &d.fonts.container); err != nil {
			return fmt.Errorf("add font %s: %w", f.source, err)
		}
		d.added[i] = true
	}
	if err := d.pdf.SetFont(f.family, "", size); err != nil {
		return fmt.Errorf("set font %s: %w", f.source, err)
	}
	d.curFace, d.curSize = i, size
	return nil
}

// text draws s with its baseline at y from x, in role at size pt, each run
// of runes in the first face of the role's chain that has them. It returns
// the width drawn in mm.
func (d *doc) text(x, y float64, role Role, size float64, s string) (float64, error) {
	k := size / 1000 * ptToMM
	start, face, runX, w := 0, -1, x, 0.0
	flush := func(end int) error {
		if end <= start || face < 0 {
			return nil
		}
		run := s[start:end]
		if face >= 0 && d.missingIn(run) {
			run = strings.Map(func(r rune) rune {
				if d.missing[r] {
					return '□'
				}
				return r
			}, run)
		}
		if err := d.setFace(face, size); err != nil {
			return err
		}
		d.pdf.SetXY(runX, y)
		if err := d.pdf.Text(run); err != nil {
			return fmt.Errorf("draw text: %w", err)
		}
		return nil
	}
	for i, r := range s {
		if isControl(r) {
			if err := flush(i); err != nil {
				return 0, err
			}
			start, face, runX = i+utf8.RuneLen(r), -1, x+w
			continue
		}
		p := d.place(role, r)
		if int(p.face) != face {
			if err := flush(i); err != nil {
				return 0, err
			}
			start, face, runX = i, int(p.face), x+w
		}
		w += float64(p.adv) * k
	}
	if err := flush(len(s)); err != nil {
		return 0, err
	}
	return w, nil
}

// missingIn reports whether s holds a rune no font has.
func (d *doc) missingIn(s string) bool {
	if len(d.missing) == 0 {
		return false
	}
	for _, r := range s {
		if d.missing[r] {
			return true
		}
	}
	return false
}

// Alignment of a line of text in a box.
type align int

const (
	left align = iota
	centre
	right
)

// textIn draws s on one line in the box [x, x+w] with baseline y.
func (d *doc) textIn(x, w, y float64, role Role, size float64, s string, a align) error {
	switch a {
	case centre:
		x += (w - d.width(role, size, s)) / 2
	case right:
		x += w - d.width(role, size, s)
	}
	_, err := d.text(x, y, role, size, s)
	return err
}

// wrap breaks s into lines no wider than w mm in role at size pt.
func (d *doc) wrap(role Role, size float64, s string, w float64) []string {
	return Wrap(s, w, d.advancer(role, size))
}

// fit returns the largest size from size down to min (in 0.5 pt steps) at
// which s fits in w mm, or min.
func (d *doc) fit(role Role, s string, w, size, min float64) float64 {
	for ; size > min; size -= 0.5 {
		if d.width(role, size, s) <= w {
			return size
		}
	}
	return min
}

// truncate shortens s with … so that it fits in w mm.
func (d *doc) truncate(role Role, size float64, s string, w float64) string {
	if d.width(role, size, s) <= w {
		return s
	}
	adv := d.advancer(role, size)
	limit := w - adv('…')
	used := 0.0
	for i, r := range s {
		used += adv(r)
		if used > limit {
			return strings.TrimRight(s[:i], " ") + "…"
		}
	}
	return s
}

// ellipsis returns s with … at its end, shortened to fit in w mm.
func (d *doc) ellipsis(role Role, size float64, s string, w float64) string {
	limit := w - d.width(role, size, "…")
	rs := []rune(s)
	for len(rs) > 0 && d.width(role, size, string(rs)) > limit {
		rs = rs[:len(rs)-1]
	}
	return strings.TrimRight(string(rs), " …") + "…"
}

// baseline returns the baseline of a line of text at size pt centred in a
// line box of height lh mm whose top is at y.
func baseline(y, lh, size float64) float64 {
	em := size * ptToMM
	return y + (lh-em)/2 + 0.86*em
}

// line draws a line of width lw mm.
func (d *doc) line(x1, y1, x2, y2, lw float64) {
	d.pdf.SetLineWidth(lw)
	d.pdf.Line(x1, y1, x2, y2)
}

// finish writes the document to w. The document is written in full even
// when some runes could not be drawn; the error then wraps a
// *MissingGlyphsError listing them.
func (d *doc) finish(w io.Writer, what string) error {
	if _, err := d.pdf.WriteTo(w); err != nil {
		return fmt.Errorf("write %s: %w", what, err)
	}
	if err := d.missingErr(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// missingErr returns a *MissingGlyphsError for the runes no font drew, or
// nil.
func (d *doc) missingErr() error {
	if len(d.missing) == 0 {
		return nil
	}
	rs := make([]rune, 0, len(d.missing))
	for r := range d.missing {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
	return &MissingGlyphsError{rs}
}

// IsMissingGlyphs reports whether err says that some characters could not
// be drawn with any font (the document was still written, with □ in their
// place), and returns them.
func IsMissingGlyphs(err error) ([]rune, bool) {
	var m *MissingGlyphsError
	if errors.As(err, &m) {
		return m.Runes, true
	}
	return nil, false
}
