package assets

import (
	"bytes"
	"image/png"
	"testing"

	"golang.org/x/image/font/sfnt"
)

func TestUIFontIsAGlyfTrueTypeFontWithChinese(t *testing.T) {
	f, err := sfnt.Parse(UIFont)
	if err != nil {
		t.Fatalf("parse UI font: %v", err)
	}
	var buf sfnt.Buffer
	for _, r := range "保密工作台涉密载体台账2026年11月28日ABCxyz０１：，。" {
		idx, err := f.GlyphIndex(&buf, r)
		if err != nil || idx == 0 {
			t.Errorf("rune %q missing from UI font (idx %d, err %v)", r, idx, err)
		}
	}
	if !bytes.HasPrefix(UIFont, []byte{0, 1, 0, 0}) {
		t.Errorf("UI font is not a TrueType (glyf) font: magic % x", UIFont[:4])
	}
}

func TestIconIsAPNG(t *testing.T) {
	img, err := png.Decode(bytes.NewReader(Icon))
	if err != nil {
		t.Fatalf("decode icon: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 256 || b.Dy() != 256 {
		t.Errorf("icon is %v, want 256×256", b)
	}
}

func TestLicenceTextsAreShipped(t *testing.T) {
	if len(FontLicence) < 1000 || !bytes.Contains([]byte(FontLicence), []byte("Apache License")) {
		t.Errorf("font licence text missing or short (%d bytes)", len(FontLicence))
	}
	if !bytes.Contains([]byte(FontCopyright), []byte("WenQuanYi")) {
		t.Errorf("font copyright text missing")
	}
}
