package pdf

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/signintech/gopdf"

	"baomi/assets"
	"baomi/data"
	"baomi/data/datatest"
)

// makeTTC wraps a standalone font into a two-member collection whose
// members share the tables, as simsun.ttc does.
func makeTTC(font []byte) []byte {
	be := binary.BigEndian
	numTables := int(be.Uint16(font[4:]))
	dirLen := 12 + 16*numTables
	header := 12 + 4*2
	out := make([]byte, header)
	copy(out, "ttcf")
	be.PutUint32(out[4:], 0x00010000)
	be.PutUint32(out[8:], 2)
	be.PutUint32(out[12:], uint32(header))
	be.PutUint32(out[16:], uint32(header+dirLen))
	shift := header + 2*dirLen // table data moves behind both directories
	dir := append([]byte(nil), font[:dirLen]...)
	for t := 0; t < numTables; t++ {
		rec := dir[12+16*t:]
		be.PutUint32(rec[8:], be.Uint32(rec[8:])+uint32(shift-dirLen))
	}
	out = append(out, dir...)
	out = append(out, dir...)
	return append(out, font[dirLen:]...)
}

func TestTTCMemberIsReadableByGopdf(t *testing.T) {
	ttc := makeTTC(assets.KaiFont)
	for i := 0; i < 2; i++ {
		font, err := ttcMember(ttc, i)
		if err != nil {
			t.Fatal(err)
		}
		var s gopdf.SubsetFontObj
		if err := s.SetTTFData(font); err != nil {
			t.Fatalf("member %d: gopdf: %v", i, err)
		}
		if len(s.GetTTFParser().Chars()) < 7000 {
			t.Errorf("member %d maps %d characters", i, len(s.GetTTFParser().Chars()))
		}
	}
	for _, bad := range [][]byte{nil, []byte("ttcf"), ttc[:40], append([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x09"), ttc[12:60]...)} {
		if _, err := ttcMember(bad, 0); err == nil {
			t.Errorf("ttcMember accepted %d malformed bytes", len(bad))
		}
	}
	if _, err := ttcMember(ttc, 2); err == nil {
		t.Errorf("ttcMember accepted a member beyond the collection")
	}
}

func TestBundledFontsTakeEveryRole(t *testing.T) {
	f := bundledFonts(t)
	for r, want := range map[Role]string{Song: "Baomi Song（内置）", Hei: "WenQuanYi Micro Hei（内置）", Kai: "AR PL KaitiM GB（内置）"} {
		if got := f.Source(r); got != want {
			t.Errorf("%s role: %q, want %q", r, got, want)
		}
	}
	// 楷 covers GB2312 only: a GBK character beyond it comes from 黑.
	const gbkOnly = '镕'
	if ok, _ := f.faces[f.chains[Kai][0]].glyph(gbkOnly); ok {
		t.Skipf("the 楷 font has %q", gbkOnly)
	}
	d, err := newDoc(f, false, "t")
	if err != nil {
		t.Fatal(err)
	}
	if p := d.place(Kai, gbkOnly); int(p.face) != f.chains[Hei][0] {
		t.Errorf("%q in 楷 drawn by face %d, want the 黑 face %d", gbkOnly, p.face, f.chains[Hei][0])
	}
}

func TestSystemFontsPreferredWhenInstalled(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "Windows", "Fonts")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(sub, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Stand-ins: the bundled fonts under the names of the Windows ones.
	hei := write("SimHei.TTF", assets.HeiFont)
	kai := write("simsun.ttc", makeTTC(assets.KaiFont)) // a collection stands in for 宋
	write("simfang.ttf", []byte("not a font"))          // broken: skipped for the next candidate
	write("simkai.ttf", []byte("\x00\x01\x00\x00 truncated"))
	f, err := LoadFonts(FontOptions{Dirs: []string{dir, filepath.Join(dir, "missing")}})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Source(Hei); got != hei {
		t.Errorf("黑 from %q, want the system font %q", got, hei)
	}
	if got := f.Source(Song); got != kai {
		t.Errorf("宋 from %q, want the collection %q", got, kai)
	}
	if got := f.Source(Kai); got != "AR PL KaitiM GB（内置）" {
		t.Errorf("楷 from %q, want the bundled font after a broken system one", got)
	}
	var buf bytes.Buffer
	if err := Register(&buf, RegisterDoc{Unit: "某单位", Carriers: datatest.Carriers(3), Printed: data.NewDate(2026, 11, 28), Fonts: f}); err != nil {
		t.Fatal(err)
	}
	text := squash(strings.Join(pdfPages(t, writePDF(t, "register-system-fonts.pdf", buf.Bytes())), ""))
	if !strings.Contains(text, datatest.Carrier(2).Number) || !strings.Contains(text, registerHeader) {
		t.Errorf("register with system fonts lacks its rows:\n%s", text)
	}
}

func TestFontsAreSharedByConcurrentDocuments(t *testing.T) {
	f := bundledFonts(t)
	var wg sync.WaitGroup
	sizes := make([]int, 4)
	errs := make([]error, 4)
	for i := range sizes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			errs[i] = Register(&buf, RegisterDoc{Unit: "某单位", Carriers: datatest.Carriers(40), Printed: data.NewDate(2026, 11, 28), Fonts: f})
			sizes[i] = buf.Len()
		}()
	}
	wg.Wait()
	for i := range sizes {
		if errs[i] != nil || sizes[i] != sizes[0] {
			t.Errorf("document %d: %d bytes, err %v (document 0: %d bytes)", i, sizes[i], errs[i], sizes[0])
		}
	}
}
