package assets

import (
	"bytes"
	"image/png"
	"strings"
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

func TestPrintFontsAreGlyfTrueTypeWithTheirCharacters(t *testing.T) {
	for _, tc := range []struct {
		name  string
		font  []byte
		runes string
	}{
		{"song", SongFont, "保密工作台涉密载体台账机密★20年ABCxyz0123，。、；：？！（）《》「」『』【】“”‘’…—￥€"},
		{"kai", KaiFont, "保密工作台涉密载体台账机密★ABC0123，。（）《》“”"},
	} {
		if !bytes.HasPrefix(tc.font, []byte{0, 1, 0, 0}) {
			t.Errorf("%s: not a TrueType (glyf) font: magic % x", tc.name, tc.font[:4])
			continue
		}
		f, err := sfnt.Parse(tc.font)
		if err != nil {
			t.Errorf("%s: parse: %v", tc.name, err)
			continue
		}
		var buf sfnt.Buffer
		for _, r := range tc.runes {
			if idx, err := f.GlyphIndex(&buf, r); err != nil || idx == 0 {
				t.Errorf("%s: rune %q missing (idx %d, err %v)", tc.name, r, idx, err)
			}
		}
		name, err := f.Name(&buf, sfnt.NameIDFamily)
		if err != nil {
			t.Errorf("%s: family name: %v", tc.name, err)
		}
		if strings.Contains(name, "Noto") || strings.Contains(name, "Source") {
			t.Errorf("%s: family %q uses a reserved name", tc.name, name)
		}
	}
	if n, _ := sfnt.Parse(SongFont); n != nil {
		var buf sfnt.Buffer
		if name, _ := n.Name(&buf, sfnt.NameIDFamily); name != SongFontName {
			t.Errorf("song family %q, want %q", name, SongFontName)
		}
	}
}

func TestPrintFontLicencesAreShipped(t *testing.T) {
	for name, text := range map[string]string{
		"song OFL":        SongFontLicence,
		"kai Arphic":      KaiFontLicence,
		"kai Arphic (中文)": KaiFontLicenceChinese,
	} {
		if len(text) < 3000 {
			t.Errorf("%s licence missing or short (%d bytes)", name, len(text))
		}
	}
	for _, want := range []string{"SIL OPEN FONT LICENSE Version 1.1", "Reserved Font Name", "Baomi Song", "Adobe"} {
		if !strings.Contains(SongFontLicence, want) {
			t.Errorf("song licence lacks %q", want)
		}
	}
	if !strings.Contains(KaiFontLicence, "ARPHIC PUBLIC LICENSE") || !strings.Contains(KaiFontLicenceChinese, "文鼎公众授权书") {
		t.Errorf("kai licence texts incomplete")
	}
}
