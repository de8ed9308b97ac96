// Package xlsx imports and exports carrier registers (涉密载体台账) as offices
// keep them in Excel: .xlsx workbooks and .csv files with a title row above
// the header, merged cells, Chinese header variants, dates typed in many
// forms and 密级 with the period in one cell.
//
// An import is four steps, each usable on its own so the UI can show and
// edit the result of every one: Read gives a grid of strings, FindHeader
// suggests the header row and a column Mapping, Rows parses every row into a
// data.Carrier with its problems, and Plan is the dry run against the
// register. Write exports a register that imports back unchanged.
//
// The package does not import Fyne.
package xlsx

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"baomi/data"
)

// Limits of Read.
const (
	// MaxFileSize is the largest file Read accepts, in bytes (50 MB).
	MaxFileSize = 50 << 20
	// MaxRows is the largest number of sheet rows Read accepts.
	MaxRows = 200_000
	// MaxColumns is how many columns Read keeps; cells further right are
	// ignored. Registers have about twenty.
	MaxColumns = 256
)

// Sheet is the first worksheet with data of an imported file, as a grid of
// strings.
type Sheet struct {
	// Name is the worksheet's name, or the file name for a CSV file.
	Name string
	// Cells holds the cell texts, Cells[i][j] being sheet line i+1, column
	// j (0 is column A). Rows may be shorter than others or empty. A merged
	// range has its value in every cell it covers.
	Cells [][]string

	// raw holds, for rows where some cell's stored value differs from its
	// displayed text (numbers with a number format: dates), the stored
	// values; nil rows have none.
	raw      [][]string
	date1904 bool
}

// Cell returns the text at row i, column j (both 0-based), or "" outside
// the grid.
func (s *Sheet) Cell(i, j int) string {
	if i < 0 || i >= len(s.Cells) || j < 0 || j >= len(s.Cells[i]) {
		return ""
	}
	return s.Cells[i][j]
}

// rawCell returns the stored value at row i, column j: for a date cell
// the serial number, otherwise the text.
func (s *Sheet) rawCell(i, j int) string {
	if i >= 0 && i < len(s.raw) && s.raw[i] != nil && j >= 0 && j < len(s.raw[i]) {
		return s.raw[i][j]
	}
	return s.Cell(i, j)
}

// invalid returns a user error with a Chinese message that wraps
// data.ErrInvalid and, when cause is not nil, the cause.
func invalid(cause error, format string, args ...any) error {
	err := data.ErrInvalid
	if cause != nil {
		err = fmt.Errorf("%w: %w", data.ErrInvalid, cause)
	}
	return data.Userf(err, format, args...)
}

// Read reads a register from r: an .xlsx workbook or a .csv file, told
// apart by name's extension. A CSV file may be UTF-8 (with or without BOM),
// UTF-16 with BOM, or GBK/GB18030. It returns the first worksheet that holds
// data. Files over 50 MB, sheets over 200,000 rows or MaxCells cells, a
// cell over MaxCellChars characters, more than MaxTextBytes of text, an
// .xlsx part inflating past its cap (worksheet 300 MB, shared strings
// 100 MB, workbook, styles and relationships 10 MB each), a CSV record
// over 1 MB, old .xls files and damaged files give an error with a Chinese
// message (data.Message) that wraps data.ErrInvalid and names the limit.
// Every cap is checked while reading, so memory stays bounded whatever
// the input (250 MB peak RSS for the largest file accepted), and nothing
// is written to disk.
func Read(r io.Reader, name string) (*Sheet, error) {
	base := filepath.Base(name)
	b, err := readAll(r)
	if err != nil {
		return nil, data.Userf(fmt.Errorf("read %s: %w", name, err), "读取文件“%s”失败。", base)
	}
	if len(b) > MaxFileSize {
		return nil, invalid(nil, "文件“%s”超过 50 MB，无法导入。请拆分成几个文件后分别导入。", base)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, invalid(nil, "文件“%s”是空的，没有可导入的内容。", base)
	}
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".xlsx", ".xlsm":
		return readXLSX(b, base)
	case ".csv":
		return readCSV(b, base)
	case ".xls", ".et":
		return nil, invalid(nil, "不支持旧版 %s 格式。请在 Excel 或 WPS 中将“%s”另存为 .xlsx 后再导入。", ext, base)
	default:
		return nil, invalid(nil, "只能导入 .xlsx 或 .csv 文件，“%s”不是。", base)
	}
}

// readAll reads r to its end, at most MaxFileSize+1 bytes, into a buffer
// sized once when r tells its length: io.ReadAll's doubling allocated
// 150 MB for a 50 MB file.
func readAll(r io.Reader) ([]byte, error) {
	size := int64(512)
	switch v := r.(type) {
	case interface{ Len() int }:
		size = int64(v.Len())
	case interface{ Stat() (os.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	}
	// ReadFrom doubles the buffer when less than bytes.MinRead is free.
	buf := bytes.NewBuffer(make([]byte, 0, min(size, MaxFileSize)+1+bytes.MinRead))
	_, err := buf.ReadFrom(io.LimitReader(r, MaxFileSize+1))
	return buf.Bytes(), err
}

var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// readXLSX reads the first worksheet with data of an .xlsx workbook,
// visible sheets first: a hidden sheet with data is usually a lookup list,
// not the register.
func readXLSX(b []byte, base string) (s *Sheet, err error) {
	damaged := func(cause error) error {
		return invalid(cause, "文件“%s”不是有效的 .xlsx 文件，可能已损坏或只是改了扩展名。请用 Excel 或 WPS 打开确认后重新保存。", base)
	}
	if bytes.HasPrefix(b, oleMagic) {
		return nil, invalid(errors.New("OLE compound file"), "文件“%s”已加密或是旧版 .xls 格式。请在 Excel 或 WPS 中取消密码并另存为 .xlsx 后再导入。", base)
	}
	if !bytes.HasPrefix(b, []byte("PK")) {
		return nil, damaged(errors.New("not a zip archive"))
	}
	// Both refusals name the file; a cap says which one it hit.
	refuse := func(err error) error {
		var le *limitError
		if errors.As(err, &le) {
			return invalid(err, "%s", strings.Replace(le.msg, "文件", "文件“"+base+"”", 1))
		}
		return damaged(err)
	}
	p, err := openPackage(b)
	if err != nil {
		return nil, refuse(err)
	}
	bk, err := readBook(p)
	if err != nil {
		return nil, refuse(err)
	}
	if len(bk.sheets) == 0 {
		return nil, damaged(errors.New("no worksheet"))
	}
	fm := newFormatter(bk.styles, bk.date1904)
	defer fm.close()
	for _, hidden := range []bool{false, true} {
		for _, ref := range bk.sheets {
			if ref.hidden != hidden || ref.part == "" {
				continue
			}
			s, err := readWorksheet(p, bk, fm, ref)
			if err != nil {
				return nil, refuse(err)
			}
			if len(s.Cells) > 0 {
				return s, nil
			}
		}
	}
	return nil, invalid(nil, "文件“%s”中没有数据。", base)
}

// readWorksheet reads one worksheet part into a Sheet: stored values,
// number cells formatted (formatter), merged ranges filled.
func readWorksheet(p *pkg, bk *workbook, fm *formatter, ref sheetRef) (*Sheet, error) {
	s := &Sheet{Name: ref.name, date1904: bk.date1904}
	sp := &sheetParser{s: s, sst: bk.sst, fm: fm, col: -1}
	if bk.sst != nil {
		sp.nText = bk.sst.size
	}
	if err := p.lex(ref.part, maxSheetXML, "工作表", sp.token); err != nil {
		if errors.Is(err, errMissingPart) {
			return s, nil // a listed sheet without its part: no data
		}
		return nil, err
	}
	if err := sp.flush(); err != nil {
		return nil, err
	}
	s.fillMerged(sp.merges)
	return s, nil
}

// trimRow drops the cells beyond MaxColumns and the empty cells at the end.
func trimRow(cells []string) []string {
	if len(cells) > MaxColumns {
		cells = cells[:MaxColumns]
	}
	n := len(cells)
	for n > 0 && strings.TrimSpace(cells[n-1]) == "" {
		n--
	}
	return cells[:n]
}

// maxMergedFill bounds how many cells fillMerged writes, against files
// that merge whole sheets many times over.
const maxMergedFill = 5_000_000

// fillMerged copies the value of each merged range's top-left cell into
// every cell of the range, within the grid read.
func (s *Sheet) fillMerged(merges []mergeRange) {
	width := 0
	for _, row := range s.Cells {
		width = max(width, len(row))
	}
	budget := maxMergedFill
	for _, m := range merges {
		if m.r1 >= len(s.Cells) || m.c1 >= width {
			continue
		}
		budget -= (min(m.r2, len(s.Cells)-1) - m.r1 + 1) * (min(m.c2, width-1) - m.c1 + 1)
		if budget < 0 {
			return
		}
		v, rv := s.Cell(m.r1, m.c1), s.rawCell(m.r1, m.c1)
		if v == "" {
			continue
		}
		for i := m.r1; i <= min(m.r2, len(s.Cells)-1); i++ {
			for j := m.c1; j <= min(m.c2, width-1); j++ {
				s.set(i, j, v, rv)
			}
		}
	}
}

// set writes a cell's text and stored value, growing the row as needed.
func (s *Sheet) set(i, j int, v, raw string) {
	row := s.Cells[i]
	for len(row) <= j {
		row = append(row, "")
	}
	row[j] = v
	s.Cells[i] = row
	if raw != v || (i < len(s.raw) && s.raw[i] != nil) {
		for len(s.raw) <= i {
			s.raw = append(s.raw, nil)
		}
		r := s.raw[i]
		if r == nil {
			r = append([]string(nil), row...)
		}
		for len(r) <= j {
			r = append(r, "")
		}
		r[j] = raw
		s.raw[i] = r
	}
}

// readCSV reads a CSV file in UTF-8, UTF-16 with BOM or GB18030 (which
// includes GBK), separated by commas, or by tabs when its start has more
// tabs than commas.
func readCSV(b []byte, base string) (*Sheet, error) {
	text, err := decodeText(b)
	if errors.Is(err, errBinary) {
		return nil, invalid(err, "文件“%s”不是文本格式的 CSV 文件。如果是 Excel 表格，请把扩展名改回 .xlsx，或在 Excel、WPS 中另存为 CSV 后再导入。", base)
	}
	if err != nil {
		return nil, invalid(err, "无法识别文件“%s”的文字编码。请在 Excel 或 WPS 中另存为“CSV UTF-8”或 .xlsx 后再导入。", base)
	}
	// csv.Reader holds a whole record, and per field an index, a position
	// and a string header (about 40 bytes): a 49 MB line of commas took
	// 768 MB. The reader below fails once a record runs past
	// maxRecordBytes, so at most one such record is held.
	src := &recordCap{r: bytes.NewReader(text), limit: maxRecordBytes + csvSlack}
	cr := csv.NewReader(src)
	if head := text[:min(len(text), 4096)]; bytes.Count(head, []byte("\t")) > bytes.Count(head, []byte(",")) {
		cr.Comma = '\t'
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	s := &Sheet{Name: strings.TrimSuffix(base, filepath.Ext(base))}
	cells := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if errors.Is(err, errRecordTooLong) {
			line := len(s.Cells) + 1
			return nil, invalid(err, "文件“%s”第 %d 条记录超过 %d MB 上限，无法导入。请检查文件是否完整，或拆分后再导入。", base, line, maxRecordBytes>>20)
		}
		if err != nil {
			line := len(s.Cells) + 1
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			return nil, invalid(err, "文件“%s”第 %d 行附近格式有误，无法按 CSV 读取。", base, line)
		}
		line, _ := cr.FieldPos(0)
		src.limit = cr.InputOffset() + maxRecordBytes + csvSlack
		if len(s.Cells) >= MaxRows {
			return nil, invalid(nil, "文件“%s”超过 %d 行，无法导入。请拆分成几个文件后分别导入。", base, MaxRows)
		}
		row := trimRow(rec)
		for _, v := range row {
			if len(v) > MaxCellChars && utf8.RuneCountInString(v) > MaxCellChars {
				return nil, invalid(nil, "文件“%s”第 %d 行有单元格超过 %d 个字符的上限（Excel 单元格的上限），无法导入。", base, line, MaxCellChars)
			}
		}
		if cells += len(row); cells > MaxCells {
			return nil, invalid(nil, "文件“%s”超过 %d 个单元格的上限，无法导入。请拆分成几个文件后分别导入。", base, MaxCells)
		}
		// A copy, so the grid does not keep the record's field array, and
		// of the texts too when most of the record is dropped: they share
		// the record's one string (a 49 KB line of a wide file).
		kept := append([]string(nil), row...)
		if len(rec) > 2*len(row)+8 {
			for j := range kept {
				kept[j] = strings.Clone(kept[j])
			}
		}
		s.Cells = append(s.Cells, kept)
	}
	n := len(s.Cells)
	for n > 0 && len(s.Cells[n-1]) == 0 {
		n--
	}
	s.Cells = s.Cells[:n]
	if n == 0 {
		return nil, invalid(nil, "文件“%s”中没有数据。", base)
	}
	return s, nil
}

// decodeText returns b as UTF-8 text without BOM: b itself when it is
// UTF-8 already, so a 50 MB file is not copied.
func decodeText(b []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xef, 0xbb, 0xbf}):
		b = b[3:]
	case bytes.HasPrefix(b, []byte{0xff, 0xfe}), bytes.HasPrefix(b, []byte{0xfe, 0xff}):
		u, err := unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return nil, fmt.Errorf("decode UTF-16: %w", err)
		}
		return u, nil
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return nil, errBinary
	}
	if utf8.Valid(b) {
		return b, nil
	}
	u, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return nil, fmt.Errorf("decode GB18030: %w", err)
	}
	// GB18030 maps almost any byte sequence; many replacement characters
	// mean the file is neither UTF-8 nor GBK.
	if bad := bytes.Count(u, []byte("\ufffd")); bad > 0 && bad*100 > utf8.RuneCount(u) {
		return nil, errors.New("neither UTF-8 nor GB18030")
	}
	return u, nil
}

// maxRecordBytes caps one CSV record (one line, or several when a quoted
// field holds line breaks); csvSlack is what csv.Reader's buffer reads
// ahead.
const (
	maxRecordBytes = 1 << 20
	csvSlack       = 64 << 10
)

// errRecordTooLong means a CSV record ran past maxRecordBytes.
var errRecordTooLong = errors.New("CSV record too long")

// recordCap reads from r and fails with errRecordTooLong once limit bytes
// were read; the caller moves limit on after each record.
type recordCap struct {
	r     io.Reader
	read  int64
	limit int64
}

func (c *recordCap) Read(p []byte) (int, error) {
	if c.read >= c.limit {
		return 0, errRecordTooLong
	}
	if int64(len(p)) > c.limit-c.read {
		p = p[:c.limit-c.read]
	}
	n, err := c.r.Read(p)
	c.read += int64(n)
	return n, err
}

// errBinary means a file named .csv holds binary data.
var errBinary = errors.New("binary data, not text")
