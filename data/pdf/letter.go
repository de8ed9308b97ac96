package pdf

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"baomi/data"
)

// DefaultLetterCopies is how many copies of each letter print when
// LettersDoc.Copies is 0: one for the person (本人), one for the 保密办.
const DefaultLetterCopies = 2

// LettersDoc is what a print of 保密承诺书 needs: one or many letters,
// each printed Copies times, all in one PDF.
type LettersDoc struct {
	Unit    string        // 单位名称, printed in the 保密办 block under the seal
	Letters []data.Letter // rendered with data.Render
	Copies  int           // copies of each letter; 0 means DefaultLetterCopies
	Fonts   *Fonts        // nil: DefaultFonts()
}

// Page geometry of a letter after GB/T 9704 on A4, in mm: the text block
// is 156 × 225 mm from 37 mm below the top edge and 28 mm from the left.
const (
	letterTop    = 37.0
	letterLeft   = 28.0
	letterWidth  = 156.0
	letterBottom = letterTop + 225
	// letterTitleSize is 2号 (22 pt), the size of a document's title.
	letterTitleSize = 22.0
	// letterBodySize is 3号 (16 pt), the size of a document's body.
	letterBodySize = 16.0
	// letterPitch is the GB/T 9704 line pitch: 22 lines in 225 mm
	// (29 pt). letterMinPitch (1.4 em, 22.4 pt) is as tight as the body
	// may be set to keep a letter on one page; tighter reads crowded.
	letterPitch    = 225.0 / 22
	letterMinPitch = 1.4 * letterBodySize * ptToMM
	// letterTracking is the character spacing, in mm, that sets 28
	// characters of 16 pt in the 156 mm line as GB/T 9704 asks
	// (−0.21 pt; without it only 27 fit).
	letterTracking = -0.21 * ptToMM
	// letterSealRoom is the room left below the 保密办 block, so that a
	// 42 mm seal stamped over the unit's name stays on the page's text
	// block.
	letterSealRoom = 16.0
	// letterColumn is where the right column of the signature block
	// (the person's) starts, from the left margin.
	letterColumn = 84.0
)

// letterLine is one line of a letter's body: its text and whether it is
// spread to the full width (every line of a paragraph but its last).
type letterLine struct {
	text    string
	justify bool
}

// letterLayout is a letter broken into lines once, drawn for each copy.
type letterLayout struct {
	title     []string
	body      []letterLine
	signature []string
	pitch     float64
}

// Letters writes the letters of d on portrait A4, each letter d.Copies
// times in a row, every page marked 第k份 共N份 at its top right corner
// (with （续） on a page the letter runs on to). A
// letter keeps to one page by tightening the line pitch down to 1.4 em
// when its text needs it, and runs on to further pages only beyond that.
// Each letter ends with the signature blocks of the person (from the
// template) and of the 保密办 (经办人, date, the unit's name with room for
// the seal).
func Letters(w io.Writer, d LettersDoc) error {
	if len(d.Letters) == 0 {
		return errors.New("letters: no letter to print")
	}
	copies := d.Copies
	if copies <= 0 {
		copies = DefaultLetterCopies
	}
	doc, err := newDoc(d.Fonts, false, "保密承诺书")
	if err != nil {
		return fmt.Errorf("letters: %w", err)
	}
	for i, l := range d.Letters {
		lay := layoutLetter(doc, l)
		for k := 1; k <= copies; k++ {
			if err := drawLetter(doc, lay, d.Unit, k, copies); err != nil {
				return fmt.Errorf("letters: letter %d (%s): %w", i+1, l.Title, err)
			}
		}
	}
	return doc.finish(w, "letters")
}

// layoutLetter wraps l's title and body and chooses the line pitch.
func layoutLetter(d *doc, l data.Letter) letterLayout {
	lay := letterLayout{title: d.wrap(Song, letterTitleSize, l.Title, letterWidth)}
	body, sig := l.Paragraphs()
	adv := d.advancer(Song, letterBodySize)
	tracked := func(r rune) float64 { return adv(r) + letterTracking }
	for _, p := range body {
		lines := Wrap(p, letterWidth, tracked)
		for i, s := range lines {
			lay.body = append(lay.body, letterLine{s, i < len(lines)-1})
		}
	}
	lay.signature = sig
	// Lines of body text the block must hold at pitch p: the body, a
	// blank line after the title, half a line before the signatures and
	// their rows; the title and the seal's room are fixed.
	lines := float64(len(lay.body)) + 1 + 0.5 + float64(signatureRows(lay))
	room := letterBottom - letterTop - lay.titleHeight() - letterSealRoom
	lay.pitch = max(letterMinPitch, min(letterPitch, room/lines))
	return lay
}

// titleHeight is the height of the title's lines, in mm.
func (l letterLayout) titleHeight() float64 {
	return float64(len(l.title)) * letterTitleSize * 1.5 * ptToMM
}

// signatureRows is the number of rows of the signature block: the
// person's lines beside the 保密办's three (经办人, date, unit).
func signatureRows(l letterLayout) int { return max(3, len(l.signature)) }

// drawLetter draws copy k of n of a laid-out letter from a new page on.
func drawLetter(d *doc, l letterLayout, unit string, k, n int) error {
	mark := fmt.Sprintf("第%d份　共%d份", k, n)
	newPage := func() error {
		d.pdf.AddPage()
		err := d.textIn(letterLeft, letterWidth, 22, Hei, 12, mark, right)
		mark += "（续）" // a page the letter runs on to says so
		return err
	}
	if err := newPage(); err != nil {
		return err
	}
	y := letterTop
	titleLead := letterTitleSize * 1.5 * ptToMM
	for _, s := range l.title {
		if err := d.boldText(letterLeft, letterWidth, baseline(y, titleLead, letterTitleSize), letterTitleSize, s); err != nil {
			return err
		}
		y += titleLead
	}
	y += l.pitch
	for _, line := range l.body {
		if y+l.pitch > letterBottom {
			if err := newPage(); err != nil {
				return err
			}
			y = letterTop
		}
		if err := d.trackedLine(letterLeft, baseline(y, l.pitch, letterBodySize), line); err != nil {
			return err
		}
		y += l.pitch
	}
	rows := signatureRows(l)
	y += l.pitch / 2
	if y+float64(rows)*l.pitch+letterSealRoom > letterBottom+0.01 {
		if err := newPage(); err != nil {
			return err
		}
		y = letterTop
	}
	colW := letterColumn - 4
	office := []string{"保密办经办人：", "年　　月　　日", unit + "（盖章）"}
	if unit == "" {
		office[2] = "（保密办盖章）"
	}
	for i := range rows {
		by := baseline(y, l.pitch, letterBodySize)
		if i < len(office) {
			s, size := office[i], letterBodySize
			if i == 1 {
				s = "　　" + s
			}
			if i == 2 { // a long unit name shrinks, then is cut short
				size = d.fit(Song, s, colW, size, 10.5)
				s = d.truncate(Song, size, s, colW)
			}
			if err := d.textIn(letterLeft, colW, by, Song, size, s, left); err != nil {
				return err
			}
		}
		if i < len(l.signature) {
			s := l.signature[i]
			if strings.HasPrefix(s, "年") { // the date sits under the name, as the office's does
				s = "　　" + s
			}
			x := letterLeft + letterColumn
			size := d.fit(Song, s, letterWidth-letterColumn, letterBodySize, 10.5)
			if err := d.textIn(x, letterWidth-letterColumn, by, Song, size, d.truncate(Song, size, s, letterWidth-letterColumn), left); err != nil {
				return err
			}
		}
		y += l.pitch
	}
	return nil
}

// boldText draws a title line centred in [x, x+w], twice with a small
// offset: the bundled 宋 face has no bold weight, and the 小标宋 title
// should stand out from the body. Text extraction drops the overlapping
// copy (poppler treats it as simulated bold).
func (d *doc) boldText(x, w, y, size float64, s string) error {
	if err := d.textIn(x, w, y, Song, size, s, centre); err != nil {
		return err
	}
	return d.textIn(x+0.18, w, y, Song, size, s, centre)
}

// trackedLine draws one body line with baseline y: tracked by
// letterTracking, or, for a line to justify, with the spacing that makes
// it fill letterWidth exactly. Justifying needs the whole line in one
// face (spacing applies per run); a line mixing faces is only tracked.
func (d *doc) trackedLine(x, y float64, line letterLine) error {
	spacing := letterTracking
	n := utf8.RuneCountInString(line.text)
	if line.justify && n > 1 && d.oneFace(Song, line.text) {
		spacing = (letterWidth - d.width(Song, letterBodySize, line.text)) / float64(n-1)
	}
	if err := d.pdf.SetCharSpacing(spacing); err != nil {
		return fmt.Errorf("set spacing: %w", err)
	}
	// d.text places runs by the fonts' advances only, so with tracking a
	// line in several faces would overlap: draw those untracked.
	if !d.oneFace(Song, line.text) {
		_ = d.pdf.SetCharSpacing(0)
	}
	_, err := d.text(x, y, Song, letterBodySize, line.text)
	_ = d.pdf.SetCharSpacing(0)
	return err
}

// oneFace reports whether every rune of s is drawn by the same face.
func (d *doc) oneFace(role Role, s string) bool {
	face := int16(-2)
	for _, r := range s {
		if isControl(r) {
			continue
		}
		p := d.place(role, r)
		if face != -2 && p.face != face {
			return false
		}
		face = p.face
	}
	return true
}
