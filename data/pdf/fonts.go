package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"github.com/signintech/gopdf"

	"baomi/assets"
)

// Role is the job of a font in a printed document (GB/T 9704 names the
// faces by role: 仿宋/宋 for the body, 黑 for headings, 楷 for second-level
// headings and signatures).
type Role int

// Font roles.
const (
	Song Role = iota // 宋: body text and table cells (仿宋 when installed)
	Hei              // 黑: titles, headings, table headers, marks
	Kai              // 楷: second-level headings, notes
	numRoles
)

// String names the role in Chinese.
func (r Role) String() string {
	switch r {
	case Song:
		return "宋"
	case Hei:
		return "黑"
	case Kai:
		return "楷"
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// systemFontFiles lists, per role, the licensed system fonts used in
// preference to the bundled ones, best first. Names are matched without
// regard to case; a .ttc contributes its first member.
var systemFontFiles = [numRoles][]string{
	Song: {"simfang.ttf", "stfangso.ttf", "simsun.ttc", "simsun.ttf"},
	Hei:  {"simhei.ttf"},
	Kai:  {"simkai.ttf", "stkaiti.ttf"},
}

// probeText must be drawable by a system font for it to replace a bundled
// one: a font missing these is a wrong or broken file.
const probeText = "保密涉密载体台账第页共签字年月日０１２ABCabc0123456789★（）：，。"

// FontOptions says where LoadFonts looks for licensed system fonts.
type FontOptions struct {
	// NoSystem uses only the bundled fonts (reproducible output, tests).
	NoSystem bool
	// Dirs are the folders searched (recursively) for system fonts; nil
	// means the platform's usual font folders.
	Dirs []string
}

// face is one parsed font: its gopdf family key, where it came from, and a
// private parse used to look up glyphs and widths.
type face struct {
	family string // key in the FontContainer and in each document
	source string // "Baomi Song（内置）" or a file path
	sub    gopdf.SubsetFontObj
	chars  map[int]uint
}

// glyph reports whether f draws r and r's advance in 1/1000 em, as gopdf
// measures it.
func (f *face) glyph(r rune) (bool, float64) {
	var gid uint
	if r <= 0xFFFF {
		gid = f.chars[int(r)]
	} else {
		for _, g := range f.sub.GetTTFParser().GroupingTables() {
			if uint(r) >= g.StartCharCode && uint(r) <= g.EndCharCode {
				gid = uint(r) - g.StartCharCode + g.GlyphID
				break
			}
		}
	}
	if gid == 0 {
		return false, 0
	}
	return true, float64(f.sub.GlyphIndexToPdfWidth(gid))
}

// Fonts holds the fonts of every role, parsed once and shared by all the
// documents made with them (gopdf copies a parsed font out of its
// FontContainer into each document, which then subsets only the glyphs it
// used). Make one with LoadFonts or use DefaultFonts; a Fonts is safe for
// concurrent use.
type Fonts struct {
	container gopdf.FontContainer
	faces     []*face
	// chains lists per role the faces tried in turn for each rune: the
	// role's font, then the 黑 font, then the bundled 黑 font.
	chains [numRoles][]int
}

var (
	defaultOnce  sync.Once
	defaultFonts *Fonts
	defaultErr   error
)

// DefaultFonts returns the process-wide Fonts, loaded on first use with
// licensed system fonts preferred (see LoadFonts).
func DefaultFonts() (*Fonts, error) {
	defaultOnce.Do(func() { defaultFonts, defaultErr = LoadFonts(FontOptions{}) })
	return defaultFonts, defaultErr
}

// LoadFonts parses the print fonts. For each role a licensed system font
// (Windows: simfang.ttf for 仿宋, simhei.ttf, simkai.ttf; on Linux the same
// files under /usr/share/fonts and the other usual folders) is used when
// installed and readable by gopdf, else the bundled free font: Baomi Song
// for 宋, WenQuanYi Micro Hei for 黑, AR PL KaitiM GB for 楷.
func LoadFonts(opt FontOptions) (*Fonts, error) {
	f := &Fonts{}
	bundled := [numRoles]struct {
		name string
		data []byte
	}{
		Song: {assets.SongFontName, assets.SongFont},
		Hei:  {"WenQuanYi Micro Hei", assets.HeiFont},
		Kai:  {assets.KaiFontName, assets.KaiFont},
	}
	var found [numRoles][]string
	if !opt.NoSystem {
		found = findSystemFonts(opt.Dirs)
	}
	roleFace := [numRoles]int{}
	for r := Role(0); r < numRoles; r++ {
		roleFace[r] = -1
		for _, path := range found[r] {
			// A file gopdf cannot read, or one lacking common
			// characters, gives way to the next candidate.
			if i, err := f.addSystem(path); err == nil {
				roleFace[r] = i
				break
			}
		}
	}
	bundledFace := [numRoles]int{}
	for r := Role(0); r < numRoles; r++ {
		bundledFace[r] = -1
		// The bundled 黑 font is every chain's last resort, so load it
		// always; the others only when no system font took their role.
		if roleFace[r] >= 0 && r != Hei {
			continue
		}
		i, err := f.add(bundled[r].name+"（内置）", bundled[r].data)
		if err != nil {
			return nil, fmt.Errorf("load bundled %s font %s: %w", r, bundled[r].name, err)
		}
		bundledFace[r] = i
		if roleFace[r] < 0 {
			roleFace[r] = i
		}
	}
	for r := Role(0); r < numRoles; r++ {
		chain := []int{roleFace[r]}
		for _, i := range []int{roleFace[Hei], bundledFace[Hei]} {
			if i >= 0 && !containsInt(chain, i) {
				chain = append(chain, i)
			}
		}
		f.chains[r] = chain
	}
	return f, nil
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Source names the font drawing role r: a bundled font's name followed by
// （内置）, or the path of a system font.
func (f *Fonts) Source(r Role) string {
	if r < 0 || r >= numRoles {
		return ""
	}
	return f.faces[f.chains[r][0]].source
}

// add parses data into a new face and registers it in the container.
func (f *Fonts) add(source string, data []byte) (int, error) {
	fc := &face{family: fmt.Sprintf("f%d", len(f.faces)), source: source}
	if err := fc.sub.SetTTFData(data); err != nil {
		return 0, fmt.Errorf("parse font: %w", err)
	}
	fc.chars = fc.sub.GetTTFParser().Chars()
	opt := gopdf.TtfOption{
		// Never reached when text goes through doc.draw, which picks a
		// face per rune; a visible box rather than a blank if it ever is.
		OnGlyphNotFoundSubstitute: func(rune) rune { return '□' },
	}
	if err := f.container.AddTTFFontDataWithOption(fc.family, data, opt); err != nil {
		return 0, fmt.Errorf("parse font: %w", err)
	}
	f.faces = append(f.faces, fc)
	return len(f.faces) - 1, nil
}

// addSystem loads the font file at path (the first member of a .ttc) if it
// is a glyf TrueType font that draws probeText.
func (f *Fonts) addSystem(path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", path, err)
	}
	if bytes.HasPrefix(data, []byte("ttcf")) {
		if data, err = ttcMember(data, 0); err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
	}
	var probe face
	if err := probe.sub.SetTTFData(data); err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	probe.chars = probe.sub.GetTTFParser().Chars()
	for _, r := range probeText {
		if ok, _ := probe.glyph(r); !ok {
			return 0, fmt.Errorf("%s lacks %q", path, r)
		}
	}
	return f.add(path, data)
}

// fontDirs returns the platform's usual font folders.
func fontDirs() []string {
	var dirs []string
	home, _ := os.UserHomeDir()
	if runtime.GOOS == "windows" {
		win := os.Getenv("WINDIR")
		if win == "" {
			win = `C:\Windows`
		}
		dirs = append(dirs, filepath.Join(win, "Fonts"))
		if local := os.Getenv("LOCALAPPDATA"); local != "" {
			dirs = append(dirs, filepath.Join(local, "Microsoft", "Windows", "Fonts"))
		}
		return dirs
	}
	dirs = append(dirs, "/usr/share/fonts", "/usr/local/share/fonts")
	if home != "" {
		dirs = append(dirs, filepath.Join(home, ".local", "share", "fonts"), filepath.Join(home, ".fonts"))
	}
	if runtime.GOOS == "darwin" {
		dirs = append(dirs, "/Library/Fonts")
	}
	return dirs
}

// findSystemFonts walks dirs (nil: the usual ones) once and returns per
// role the paths of the system fonts present, best first.
func findSystemFonts(dirs []string) [numRoles][]string {
	if dirs == nil {
		dirs = fontDirs()
	}
	want := map[string]bool{}
	for _, names := range systemFontFiles {
		for _, n := range names {
			want[n] = true
		}
	}
	seen := map[string]string{}
	for _, dir := range dirs {
		_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			name := strings.ToLower(d.Name())
			if !d.IsDir() && want[name] && seen[name] == "" {
				seen[name] = path
			}
			return nil
		})
	}
	var found [numRoles][]string
	for r, names := range systemFontFiles {
		for _, n := range names {
			if p := seen[n]; p != "" {
				found[r] = append(found[r], p)
			}
		}
	}
	return found
}

// ttcMember copies member i of a TrueType collection out into a standalone
// font file, which gopdf can read.
func ttcMember(ttc []byte, i int) ([]byte, error) {
	be := binary.BigEndian
	bad := errors.New("malformed font collection")
	if len(ttc) < 12 || string(ttc[:4]) != "ttcf" {
		return nil, bad
	}
	n := int(be.Uint32(ttc[8:]))
	if i < 0 || i >= n || len(ttc) < 12+4*n {
		return nil, bad
	}
	off := int(be.Uint32(ttc[12+4*i:]))
	if off+12 > len(ttc) {
		return nil, bad
	}
	numTables := int(be.Uint16(ttc[off+4:]))
	dir := off + 12
	if dir+16*numTables > len(ttc) {
		return nil, bad
	}
	out := make([]byte, 12+16*numTables)
	copy(out, ttc[off:off+12])
	for t := 0; t < numTables; t++ {
		rec := ttc[dir+16*t : dir+16*t+16]
		tOff, tLen := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if tOff < 0 || tLen < 0 || tOff+tLen > len(ttc) {
			return nil, bad
		}
		o := out[12+16*t:]
		copy(o, rec[:8])
		be.PutUint32(o[8:], uint32(len(out)))
		be.PutUint32(o[12:], uint32(tLen))
		out = append(out, ttc[tOff:tOff+tLen]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}
