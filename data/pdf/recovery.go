// Package pdf lays out Baomi's printed documents with gopdf and the bundled
// fonts. Every function writes a whole document to an io.Writer.
package pdf

import (
	"fmt"
	"io"
	"sort"

	"github.com/signintech/gopdf"

	"baomi/assets"
	"baomi/data"
)

// MissingGlyphsError lists runes the font could not draw; gopdf would
// otherwise print them as blanks without a word.
type MissingGlyphsError struct{ Runes []rune }

// Error names the missing runes.
func (e *MissingGlyphsError) Error() string {
	return fmt.Sprintf("font lacks %d glyphs: %q", len(e.Runes), string(e.Runes))
}

// newDoc starts an A4 portrait document with the UI font as "hei" and
// returns a function reporting any glyph the font lacked.
func newDoc() (*gopdf.GoPdf, func() error, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitMM})
	missing := map[rune]bool{}
	opt := gopdf.TtfOption{OnGlyphNotFound: func(r rune) { missing[r] = true }}
	if err := pdf.AddTTFFontDataWithOption("hei", assets.UIFont, opt); err != nil {
		return nil, nil, fmt.Errorf("load font: %w", err)
	}
	check := func() error {
		if len(missing) == 0 {
			return nil
		}
		rs := make([]rune, 0, len(missing))
		for r := range missing {
			rs = append(rs, r)
		}
		sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
		return &MissingGlyphsError{rs}
	}
	return pdf, check, nil
}

// RecoverySheet writes a one-page A4 sheet holding the unit's recovery code,
// to be printed once and kept in the safe, apart from the password.
func RecoverySheet(w io.Writer, unit, code string, on data.Date) error {
	pdf, check, err := newDoc()
	if err != nil {
		return err
	}
	pdf.SetInfo(gopdf.PdfInfo{Title: "保密工作台恢复码", Creator: "Baomi"})
	pdf.AddPage()
	pdf.SetTextColor(0, 0, 0)
	line := func(size float64, y float64, text string, centre bool) error {
		if err := pdf.SetFont("hei", "", size); err != nil {
			return err
		}
		x := 28.0
		if centre {
			wd, err := pdf.MeasureTextWidth(text)
			if err != nil {
				return err
			}
			x = (210 - wd) / 2
		}
		pdf.SetXY(x, y)
		return pdf.Text(text)
	}
	steps := []struct {
		size   float64
		y      float64
		text   string
		centre bool
	}{
		{22, 50, "保密工作台　恢复码", true},
		{14, 72, "单位：" + unit, false},
		{14, 82, "生成日期：" + on.Chinese(), false},
		{24, 110, code, true},
		{12, 135, "凭此恢复码可以在忘记密码时重新设置密码。丢失密码和恢复码，数据将无法找回。", false},
		{12, 143, "请将本页与密码分开存放于保密柜，不得拍照、复印或存入任何联网设备。", false},
		{12, 151, "更换保管人时，应当面交接本页并登记。", false},
		{12, 190, "保管人（签名）：＿＿＿＿＿＿＿＿　　　日期：＿＿＿＿年＿＿月＿＿日", false},
	}
	for _, s := range steps {
		if err := line(s.size, s.y, s.text, s.centre); err != nil {
			return fmt.Errorf("recovery sheet: %w", err)
		}
	}
	pdf.SetLineWidth(0.4)
	pdf.Line(40, 98, 170, 98)
	pdf.Line(40, 116, 170, 116)
	if err := check(); err != nil {
		return fmt.Errorf("recovery sheet: %w", err)
	}
	if _, err := pdf.WriteTo(w); err != nil {
		return fmt.Errorf("write recovery sheet: %w", err)
	}
	return nil
}
