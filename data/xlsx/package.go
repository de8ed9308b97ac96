package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// An .xlsx file is read here with archive/zip and the lexer, part by part,
// never holding a whole part and never writing anything to disk (excelize,
// used before, spilled worksheets over 16 MiB to $TMPDIR in plain text and
// held unbounded amounts of memory: 6.5 GB for a workbook.xml inflating to
// 900 MiB). Every part read has a cap on its inflated size, counted while
// inflating; the grid has caps on cells, on the length of a cell and on
// the text held.

// Caps on what an .xlsx may inflate to, per part.
const (
	// maxSheetXML caps a worksheet part. A register exported by Write is
	// about 1,100 bytes of XML a row (113 MB for 100,000), so one of
	// MaxRows rows fits. The cap bounds the time a read takes (about 1.3 s
	// of CPU per 100 MB); memory is bounded by the caps on the grid.
	maxSheetXML = 300 << 20
	// maxSharedStringsXML caps the shared strings part.
	maxSharedStringsXML = 100 << 20
	// maxSmallXML caps the package and workbook relationships, the workbook
	// and the styles. Office writes a few kilobytes; messy styles a few MB.
	maxSmallXML = 10 << 20
	// maxZipEntries caps the parts of a package: zip.NewReader keeps about
	// 200 bytes per entry, so 50 MB of central directory would be 250 MB.
	maxZipEntries = 10_000
	// maxSheets caps the worksheets of a workbook.
	maxSheets = 1_000
	// maxStyles caps the cell formats read from the styles part.
	maxStyles = 100_000
	// maxMerges caps the merged ranges of a worksheet (32 bytes each).
	maxMerges = 500_000
)

// Caps on the grid Read returns; they hold for CSV files too.
const (
	// MaxCells caps the cells of the grid (up to the last non-empty cell of
	// each row): 200,000 rows of 20 columns. At 16 bytes a cell header, the
	// grid stays under 100 MB.
	MaxCells = 4_000_000
	// MaxCellChars caps the characters of one cell, as Excel does.
	MaxCellChars = 32_767
	// MaxTextBytes caps the text of all cells and shared strings held, in
	// bytes of UTF-8.
	MaxTextBytes = 100 << 20
)

// limitError is a cap Read refused a file for; its message names the cap.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

func limitf(format string, args ...any) error {
	return &limitError{msg: fmt.Sprintf(format, args...)}
}

// partTooLarge is the error of a part that inflates past its cap.
func partTooLarge(what string, limit int64) error {
	return limitf("文件中的%s解压后超过 %d MB 上限，无法导入。", what, limit>>20)
}

// capReader fails with err once more than n bytes were read from r.
type capReader struct {
	r   io.Reader
	n   int64
	err error
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n < 0 {
		return 0, c.err
	}
	if int64(len(p)) > c.n+1 {
		p = p[:c.n+1]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	if c.n < 0 {
		return n, c.err
	}
	return n, err
}

// pkg is an opened .xlsx package.
type pkg struct {
	zr    *zip.Reader
	files map[string]*zip.File // by lower-case name with forward slashes
}

// zipEntries returns the entry count the end of central directory of b
// declares, or ok = false when it cannot be found (zip.NewReader then
// refuses the file).
func zipEntries(b []byte) (n uint64, ok bool) {
	const eocdLen, sig, sig64, loc64 = 22, 0x06054b50, 0x06064b50, 0x07064b50
	start := max(0, len(b)-eocdLen-0xffff)
	for i := len(b) - eocdLen; i >= start; i-- {
		if binary.LittleEndian.Uint32(b[i:]) != sig {
			continue
		}
		n = uint64(binary.LittleEndian.Uint16(b[i+10:]))
		if n != 0xffff || i < 20 || binary.LittleEndian.Uint32(b[i-20:]) != loc64 {
			return n, true
		}
		off := binary.LittleEndian.Uint64(b[i-20+8:])
		if off > uint64(len(b)-56) || binary.LittleEndian.Uint32(b[off:]) != sig64 {
			return n, true
		}
		return binary.LittleEndian.Uint64(b[off+32:]), true
	}
	return 0, false
}

func openPackage(b []byte) (*pkg, error) {
	if n, ok := zipEntries(b); ok && n > maxZipEntries {
		return nil, limitf("文件中的部件超过 %d 个上限，不像是 Excel 表格，无法导入。", maxZipEntries)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("open zip: %w", err)
	}
	p := &pkg{zr: zr, files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		name := strings.ToLower(strings.TrimPrefix(strings.ReplaceAll(f.Name, "\\", "/"), "/"))
		if _, dup := p.files[name]; !dup {
			p.files[name] = f
		}
	}
	return p, nil
}

// open opens the part name (matched without case) for reading at most
// limit inflated bytes; past that the reader fails with partTooLarge. The
// size the zip header declares is checked first but not trusted.
func (p *pkg) open(name string, limit int64, what string) (io.ReadCloser, error) {
	f := p.files[strings.ToLower(name)]
	if f == nil {
		return nil, fmt.Errorf("part %s: %w", name, errMissingPart)
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, partTooLarge(what, limit)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open part %s: %w", name, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{&capReader{r: rc, n: limit, err: partTooLarge(what, limit)}, rc}, nil
}

var errMissingPart = errors.New("missing")

// lex runs fn on every token of the part name; fn returning errStop ends
// the reading early.
func (p *pkg) lex(name string, limit int64, what string, fn func(l *lexer) error) error {
	rc, err := p.open(name, limit, what)
	if err != nil {
		return err
	}
	defer rc.Close()
	l := newLexer(rc)
	for {
		if err := l.next(); err != nil {
			var le *limitError
			if errors.As(err, &le) {
				return err
			}
			if errors.Is(err, errTextTooLong) {
				return limitf("文件的%s中有一段文字超过 %d 个字符的上限（Excel 单元格的上限），无法导入。", what, MaxCellChars)
			}
			return fmt.Errorf("part %s: %w", name, err)
		}
		if l.kind == tokEOF {
			return nil
		}
		if err := fn(l); err != nil {
			if err == errStop {
				return nil
			}
			return err
		}
	}
}

var errStop = errors.New("stop")

// rels reads a relationships part: targets by id, and the target of the
// first relationship of each type (by the type's last path element).
func (p *pkg) rels(name string) (byID, byType map[string]string, err error) {
	byID, byType = map[string]string{}, map[string]string{}
	dir := path.Dir(path.Dir(name)) // xl/_rels/workbook.xml.rels → xl
	err = p.lex(name, maxSmallXML, "关系表", func(l *lexer) error {
		if l.kind != tokStart || string(l.name) != "Relationship" {
			return nil
		}
		if len(byID) >= maxZipEntries {
			return limitf("文件中的关系超过 %d 个上限，无法导入。", maxZipEntries)
		}
		t := attr(l.attrs, "Target")
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(dir, t)
		}
		byID[attr(l.attrs, "Id")] = t
		typ := path.Base(attr(l.attrs, "Type"))
		if _, ok := byType[typ]; !ok {
			byType[typ] = t
		}
		return nil
	})
	return byID, byType, err
}

// sheetRef is a worksheet listed in the workbook.
type sheetRef struct {
	name, part string
	hidden     bool
}

// workbook is what Read needs of a workbook.
type workbook struct {
	sheets   []sheetRef
	date1904 bool
	sst      *sharedStrings
	styles   styleSheet
}

// readBook reads the workbook, its relationships, shared strings and
// styles.
func readBook(p *pkg) (*workbook, error) {
	wbPath := "xl/workbook.xml"
	if _, byType, err := p.rels("_rels/.rels"); err == nil && byType["officeDocument"] != "" {
		wbPath = byType["officeDocument"]
	} else if err != nil && !errors.Is(err, errMissingPart) {
		return nil, err
	}
	byID, byType, err := p.rels(path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels"))
	if err != nil {
		return nil, err
	}
	bk := &workbook{}
	err = p.lex(wbPath, maxSmallXML, "工作簿", func(l *lexer) error {
		if l.kind != tokStart {
			return nil
		}
		switch string(l.name) {
		case "workbookPr":
			v := attr(l.attrs, "date1904")
			bk.date1904 = v == "1" || strings.EqualFold(v, "true")
		case "sheet":
			if len(bk.sheets) >= maxSheets {
				return limitf("文件中的工作表超过 %d 个上限，无法导入。", maxSheets)
			}
			state := attr(l.attrs, "state")
			bk.sheets = append(bk.sheets, sheetRef{
				name:   attr(l.attrs, "name"),
				part:   byID[attr(l.attrs, "id")],
				hidden: state != "" && state != "visible",
			})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	stylesPath := byType["styles"]
	if stylesPath == "" {
		stylesPath = path.Join(path.Dir(wbPath), "styles.xml")
	}
	if bk.styles, err = readStyles(p, stylesPath); err != nil && !errors.Is(err, errMissingPart) {
		return nil, err
	}
	sstPath := byType["sharedStrings"]
	if sstPath == "" {
		sstPath = path.Join(path.Dir(wbPath), "sharedStrings.xml")
	}
	if bk.sst, err = readSharedStrings(p, sstPath); err != nil && !errors.Is(err, errMissingPart) {
		return nil, err
	}
	return bk, nil
}

// styleSheet holds, for each cell format (the s attribute of a cell), its
// number format: the built-in id, or the custom code.
type styleSheet struct {
	numFmt []int
	codes  map[int]string
}

// numFormat returns the number format id of style and, for a custom
// format, its code.
func (st styleSheet) numFormat(style int) (id int, code string, ok bool) {
	if style < 0 || style >= len(st.numFmt) {
		return 0, "", false
	}
	id = st.numFmt[style]
	if id >= 164 {
		code = st.codes[id]
	}
	return id, code, true
}

func readStyles(p *pkg, name string) (styleSheet, error) {
	st := styleSheet{codes: map[int]string{}}
	inXfs := false
	err := p.lex(name, maxSmallXML, "样式表", func(l *lexer) error {
		switch l.kind {
		case tokStart:
			switch string(l.name) {
			case "numFmt":
				if len(st.codes) >= maxStyles {
					return limitf("文件中的数字格式超过 %d 个上限，无法导入。", maxStyles)
				}
				id, err := strconv.Atoi(attr(l.attrs, "numFmtId"))
				if err == nil {
					st.codes[id] = attr(l.attrs, "formatCode")
				}
			case "cellXfs":
				inXfs = !l.selfClosing
			case "xf":
				if !inXfs {
					return nil
				}
				if len(st.numFmt) >= maxStyles {
					return limitf("文件中的单元格格式超过 %d 个上限，无法导入。", maxStyles)
				}
				id, _ := strconv.Atoi(attr(l.attrs, "numFmtId"))
				st.numFmt = append(st.numFmt, id)
			}
		case tokEnd:
			if string(l.name) == "cellXfs" {
				inXfs = false
			}
		}
		return nil
	})
	return st, err
}

// sharedStrings holds the shared string table in blocks of text and the
// end of each entry, so that cells referring to an entry share its bytes
// and an entry costs 4 bytes besides its text. Blocks, rather than one
// growing string, keep the table near its text's size: a builder doubling
// to hold 96 MB of text reserved 192 MB.
type sharedStrings struct {
	blocks []string
	ends   []uint32 // block number << sstBlockBits | offset in the block
	cur    []byte   // the block being filled
	size   int      // bytes of text
}

// sstBlockBits sets the block size, 4 MiB: an entry (at most 4 ×
// MaxCellChars bytes) always fits in one.
const sstBlockBits = 22

// at returns entry i.
func (s *sharedStrings) at(i int) (string, bool) {
	if s == nil || i < 0 || i >= len(s.ends) {
		return "", false
	}
	const mask = 1<<sstBlockBits - 1
	e := s.ends[i]
	blk := e >> sstBlockBits
	start := uint32(0)
	if i > 0 && s.ends[i-1]>>sstBlockBits == blk {
		start = s.ends[i-1] & mask
	}
	return s.blocks[blk][start : e&mask], true
}

// add appends an entry.
func (s *sharedStrings) add(v []byte) {
	if len(s.cur)+len(v) >= 1<<sstBlockBits {
		s.blocks = append(s.blocks, string(s.cur))
		s.cur = s.cur[:0]
	}
	if s.cur == nil {
		s.cur = make([]byte, 0, 1<<sstBlockBits)
	}
	s.cur = append(s.cur, v...)
	s.size += len(v)
	s.ends = append(s.ends, uint32(len(s.blocks))<<sstBlockBits|uint32(len(s.cur)))
}

// done ends the filling.
func (s *sharedStrings) done() {
	s.blocks = append(s.blocks, string(s.cur))
	s.cur = nil
}

func readSharedStrings(p *pkg, name string) (*sharedStrings, error) {
	sst := &sharedStrings{}
	var cur []byte
	depthRPh, inT, inSI := 0, false, false
	err := p.lex(name, maxSharedStringsXML, "共享字符串表", func(l *lexer) error {
		switch l.kind {
		case tokStart:
			switch string(l.name) {
			case "si":
				inSI, cur = true, cur[:0]
				if l.selfClosing {
					inSI = false
					return addShared(sst, nil)
				}
			case "rPh":
				if !l.selfClosing {
					depthRPh++
				}
			case "t":
				inT = inSI && depthRPh == 0 && !l.selfClosing
			}
		case tokEnd:
			switch string(l.name) {
			case "si":
				inSI = false
				return addShared(sst, cur)
			case "rPh":
				depthRPh = max(0, depthRPh-1)
			case "t":
				inT = false
			}
		case tokText:
			if inT {
				if len(cur)+len(l.data) > 4*MaxCellChars {
					return cellTooLong(len(sst.ends)+1, "共享字符串")
				}
				cur = append(cur, l.data...)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sst.done()
	return sst, nil
}

// addShared appends one shared string, unescaped, to the table.
func addShared(sst *sharedStrings, v []byte) error {
	if len(sst.ends) >= MaxCells {
		return limitf("文件中的共享字符串超过 %d 个上限，无法导入。请拆分成几个文件后分别导入。", MaxCells)
	}
	v = unescapeBstr(v)
	if len(v) > MaxCellChars && utf8RuneCount(v) > MaxCellChars {
		return cellTooLong(len(sst.ends)+1, "共享字符串")
	}
	if sst.size+len(v) > MaxTextBytes {
		return textTooLarge()
	}
	sst.add(v)
	return nil
}

func cellTooLong(n int, where string) error {
	return limitf("文件中第 %d 个%s超过 %d 个字符的上限（Excel 单元格的上限），无法导入。", n, where, MaxCellChars)
}

func textTooLarge() error {
	return limitf("文件中的文字超过 %d MB 上限，无法导入。请拆分成几个文件后分别导入。", MaxTextBytes>>20)
}
