// Package pdf lays out Baomi's printed documents with gopdf: the carrier
// register (台账), the destruction list (销毁清单), the loan list (借阅登记),
// QR labels and the recovery sheet. Every function writes a whole document
// to an io.Writer.
//
// Fonts come in the roles 宋 (body), 黑 (headings) and 楷 (see Fonts):
// licensed system fonts when installed, else the free fonts bundled in
// package assets. Text is broken into lines by Wrap, which follows the
// Chinese line-breaking rules. A character that the role's font lacks is
// drawn with the 黑 font; one that no font has is printed as □ and reported
// with a *MissingGlyphsError, never dropped in silence.
package pdf

import (
	"fmt"
	"io"

	"baomi/data"
)

// RecoverySheet writes a one-page A4 sheet holding the unit's recovery code,
// to be printed once and kept in the safe, apart from the password. Unlike
// the other documents it refuses to write anything when a character cannot
// be drawn: a recovery code must print exactly.
func RecoverySheet(w io.Writer, unit, code string, on data.Date) error {
	d, err := newDoc(nil, false, "保密工作台恢复码")
	if err != nil {
		return fmt.Errorf("recovery sheet: %w", err)
	}
	d.pdf.AddPage()
	line := func(size float64, y float64, text string, centre bool) error {
		x := 28.0
		if centre {
			x = (d.w - d.width(Hei, size, text)) / 2
		}
		_, err := d.text(x, y, Hei, size, text)
		return err
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
	d.line(40, 98, 170, 98, 0.4)
	d.line(40, 116, 170, 116, 0.4)
	if err := d.missingErr(); err != nil {
		return fmt.Errorf("recovery sheet: %w", err)
	}
	return d.finish(w, "recovery sheet")
}
