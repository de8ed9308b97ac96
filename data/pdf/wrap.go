package pdf

import (
	"strings"
	"unicode"
)

// Characters that may not begin a line (行首禁则): closing brackets and
// quotes, pause and stop marks, and signs that follow a number.
const noLineStart = "，。、；：？！）》」』】〕〗〉”’｝］％‰℃°·・ー～" + "〃々" + ",.;:?!)]}%"

// Characters that may not end a line (行尾禁则): opening brackets and
// quotes, and currency signs that precede a number.
const noLineEnd = "（《「『【〔〖〈“‘｛［" + "([{" + "￥$£€"

// Rune classes for the line breaker, looked up once per rune.
const (
	classClosing = 1 << iota
	classOpening
	classWidePunct
)

var runeClass = func() map[rune]uint8 {
	m := map[rune]uint8{}
	for _, r := range noLineStart {
		m[r] |= classClosing
	}
	for _, r := range noLineEnd {
		m[r] |= classOpening
	}
	for _, r := range "“”‘’—…·★☆※§№" {
		m[r] |= classWidePunct
	}
	return m
}()

func isClosing(r rune) bool { return runeClass[r]&classClosing != 0 }
func isOpening(r rune) bool { return runeClass[r]&classOpening != 0 }

// isWide reports whether r is set as a character of its own, with a break
// opportunity on both sides: ideographs, kana, hangul and full-width forms
// and punctuation.
func isWide(r rune) bool {
	switch {
	case r >= 0x1100 && r <= 0x11FF, // hangul jamo
		r >= 0x2E80 && r <= 0xA4CF,   // CJK radicals … Yi, incl. punctuation and ideographs
		r >= 0xAC00 && r <= 0xD7AF,   // hangul
		r >= 0xF900 && r <= 0xFAFF,   // compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F,   // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFFEF,   // full-width forms
		r >= 0x20000 && r <= 0x3FFFF: // ideograph extensions
		return true
	}
	if r < 0x80 {
		return false
	}
	// Punctuation used in Chinese text that is not in the blocks above.
	return runeClass[r]&classWidePunct != 0
}

// inseparable marks are set in pairs (——, ……) that must not be split.
func inseparable(r rune) bool { return r == '—' || r == '…' }

var lineEnds = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\t", " ")

// span is an unbreakable piece of a paragraph: runes [start, end).
type span struct {
	start, end int
	width      float64
	space      bool
}

// Wrap breaks text into lines no wider than width, measuring each rune
// with advance (in the same unit as width; callers cache it per rune). It
// follows the Chinese line-breaking rules: no line starts with closing
// punctuation (，。、；：？！）》」』】”’ …), none ends with an opening mark
// (（《「『【“‘ …), Latin words and numbers stay whole, —— and …… are not
// split; a line breaks anywhere between two Chinese characters and at
// spaces, which are dropped at the end and start of wrapped lines. A
// newline in text starts a new line. When one unbreakable piece is wider
// than width it is broken between characters, and when width is narrower
// than a single character each line holds one character: Wrap always
// terminates, and every non-space character of text appears in the result
// once, in order.
func Wrap(text string, width float64, advance func(rune) float64) []string {
	if text == "" {
		return nil
	}
	// Most table cells fit on one line: measure before segmenting.
	if !strings.ContainsAny(text, "\r\n\t") {
		w := 0.0
		for _, r := range text {
			w += advance(r)
		}
		if w <= width {
			return []string{text}
		}
	}
	text = lineEnds.Replace(text)
	var lines []string
	for _, para := range strings.Split(text, "\n") {
		lines = wrapParagraph(lines, []rune(para), width, advance)
	}
	return lines
}

func wrapParagraph(lines []string, rs []rune, width float64, advance func(rune) float64) []string {
	if len(rs) == 0 {
		return append(lines, "")
	}
	if !(width >= 0) { // negative or NaN
		width = 0
	}
	spans := segment(rs, advance)
	const eps = 1e-9
	var (
		line      []rune
		lineWidth float64
		content   bool // line holds more than spaces
		wrapped   bool // a line of this paragraph was emitted
	)
	emit := func() {
		lines = append(lines, strings.TrimRightFunc(string(line), unicode.IsSpace))
		line, lineWidth, content, wrapped = line[:0:0], 0, false, true
	}
	for _, s := range spans {
		piece := rs[s.start:s.end]
		if s.space {
			if content || !wrapped { // drop spaces opening a wrapped line
				line = append(line, piece...)
				lineWidth += s.width
			}
			continue
		}
		if lineWidth+s.width <= width+eps {
			line = append(line, piece...)
			lineWidth += s.width
			content = true
			continue
		}
		if content {
			emit()
			if s.width <= width+eps {
				line = append(line, piece...)
				lineWidth, content = s.width, true
				continue
			}
		}
		// The piece alone is wider than the box: break it between
		// characters, at least one character a line.
		for _, r := range piece {
			w := advance(r)
			if content && lineWidth+w > width+eps {
				emit()
			}
			line = append(line, r)
			lineWidth += w
			content = true
		}
	}
	if content || len(line) > 0 {
		emit()
	}
	return lines
}

// segment cuts a paragraph into unbreakable spans: a run of spaces, a Latin
// word or number (any run of non-space, non-wide runes), a single wide
// character, a —— or …… pair; closing marks are glued to the span before
// them and opening marks to the span after them.
func segment(rs []rune, advance func(rune) float64) []span {
	var atoms []span
	for i := 0; i < len(rs); {
		j := i + 1
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
		case inseparable(r):
			for j < len(rs) && rs[j] == r {
				j++
			}
		case isWide(r):
		default:
			for j < len(rs) && !unicode.IsSpace(rs[j]) && !isWide(rs[j]) && !inseparable(rs[j]) {
				j++
			}
		}
		atoms = append(atoms, span{start: i, end: j, space: unicode.IsSpace(r)})
		i = j
	}
	// Glue: a closing mark joins the span before it, an opening mark the
	// span after it, even across spaces.
	var out []span
	glueNext := false
	for _, a := range atoms {
		first, last := rs[a.start], rs[a.end-1]
		n := len(out)
		switch {
		case n > 0 && glueNext:
			out[n-1].end = a.end
			if a.space {
				continue // keep gluing up to the next word
			}
		case n > 0 && !a.space && !out[n-1].space && isClosing(first):
			out[n-1].end = a.end
		case n > 1 && !a.space && out[n-1].space && isClosing(first):
			out[n-2].end = a.end // across a space too
			out = out[:n-1]
		default:
			out = append(out, a)
		}
		glueNext = !a.space && isOpening(last)
	}
	for i := range out {
		s := &out[i]
		for _, r := range rs[s.start:s.end] {
			s.width += advance(r)
		}
	}
	return out
}
