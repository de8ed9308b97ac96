package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// What the row iterator of excelize does not give cheaply, a byte-level scan
// of the worksheet XML finds: the merged ranges (excelize's GetMergeCells
// unmarshals the whole worksheet, several seconds for 50,000 rows) and the
// style of each number cell, so that one pass over the raw values is enough
// and only number cells get formatted.

// numCell is a number cell that may display differently from its stored
// value: it has a style, or a value General shows rounded.
type numCell struct {
	row, col int // 0-based
	style    int
}

// mergeRange is a merged range, 0-based and inclusive.
type mergeRange struct{ r1, c1, r2, c2 int }

type sheetScan struct {
	nums   []numCell
	merges []mergeRange
}

// worksheetParts maps worksheet names to their part names in the package,
// read from xl/workbook.xml and its relationships.
func worksheetParts(zr *zip.Reader) (map[string]string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := unmarshalPart(zr, "xl/workbook.xml", &wb); err != nil {
		return nil, err
	}
	if err := unmarshalPart(zr, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return nil, err
	}
	targets := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	parts := map[string]string{}
	for _, s := range wb.Sheets {
		if t, ok := targets[s.RID]; ok {
			parts[s.Name] = t
		}
	}
	return parts, nil
}

// findPart returns the zip entry with name, compared without case.
func findPart(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, "\\", "/"), name) {
			return f
		}
	}
	return nil
}

// readPart returns a part's bytes, at most maxUnzipSize.
func readPart(zr *zip.Reader, name string) ([]byte, error) {
	f := findPart(zr, name)
	if f == nil {
		return nil, fmt.Errorf("part %s: %w", name, errMissingPart)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open part %s: %w", name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxUnzipSize+1))
	if err != nil {
		return nil, fmt.Errorf("read part %s: %w", name, err)
	}
	if len(b) > maxUnzipSize {
		return nil, fmt.Errorf("part %s: larger than %d bytes", name, maxUnzipSize)
	}
	return b, nil
}

var errMissingPart = errors.New("missing")

func unmarshalPart(zr *zip.Reader, name string, v any) error {
	b, err := readPart(zr, name)
	if err != nil {
		return err
	}
	if err := xml.Unmarshal(b, v); err != nil {
		return fmt.Errorf("parse part %s: %w", name, err)
	}
	return nil
}

// scanChunk is how much of a worksheet's XML scanPart holds at a time.
const scanChunk = 1 << 20

// lookahead is how far past a cell tag scanSheet looks for its value; a
// chunk is scanned only up to a tag at least this far from its end.
const lookahead = 256

// scanPart scans the worksheet part name in chunks, so a large sheet is
// never held in memory whole.
func scanPart(zr *zip.Reader, name string) (sheetScan, error) {
	f := findPart(zr, name)
	if f == nil {
		return sheetScan{}, fmt.Errorf("part %s: %w", name, errMissingPart)
	}
	rc, err := f.Open()
	if err != nil {
		return sheetScan{}, fmt.Errorf("open part %s: %w", name, err)
	}
	defer rc.Close()
	out, err := scanReader(io.LimitReader(rc, maxUnzipSize), scanChunk)
	if err != nil {
		return out, fmt.Errorf("read part %s: %w", name, err)
	}
	return out, nil
}

// scanReader scans XML from r, chunk bytes (at least 2*lookahead) at a
// time.
func scanReader(r io.Reader, chunk int) (sheetScan, error) {
	sc := &scanner{row: 0, col: -1}
	buf := make([]byte, 0, 2*chunk)
	for {
		n, err := io.ReadFull(r, buf[len(buf):len(buf)+chunk])
		buf = buf[:len(buf)+n]
		final := err != nil
		used := sc.scan(buf, final)
		if final {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return sc.out, nil
			}
			return sc.out, err
		}
		if len(buf)-used > chunk {
			used = len(buf) - lookahead // a tag longer than a chunk: skip it
		}
		buf = append(buf[:0], buf[used:]...)
	}
}

// scanSheet scans a whole worksheet held in memory.
func scanSheet(x []byte) sheetScan {
	sc := &scanner{row: 0, col: -1}
	sc.scan(x, true)
	return sc.out
}

// scanner finds the merged ranges and the number cells worth formatting in
// a worksheet's XML. It reads tags only, never fails, and ignores what it
// does not understand.
type scanner struct {
	row, col int // current row (1-based, as in the XML) and column (0-based)
	out      sheetScan
}

// scan scans x and returns how many bytes it used; unless final, it stops
// before the last tag that starts within lookahead of the end (or an
// unfinished comment), which the caller passes again with more bytes.
func (sc *scanner) scan(x []byte, final bool) int {
	limit := len(x)
	if !final {
		limit = len(x) - lookahead
	}
	i := 0
	for i < limit {
		j := bytes.IndexByte(x[i:limit], '<')
		if j < 0 {
			return limit
		}
		start := i + j
		i = start + 1
		if i >= len(x) {
			break
		}
		switch x[i] {
		case '/', '?':
			continue
		case '!':
			if bytes.HasPrefix(x[i:], []byte("!--")) {
				if k := bytes.Index(x[i:], []byte("-->")); k >= 0 {
					i += k + 3
					continue
				}
				if final {
					return len(x)
				}
				return start
			}
			continue
		}
		name, attrs, end, selfClosed, complete := readTag(x, i)
		if !final && (!complete || len(x)-end < lookahead) {
			return start
		}
		i = end
		sc.tag(localName(name), attrs, selfClosed, x[i:])
	}
	return min(i, len(x))
}

// tag handles one start tag; after is the text that follows it.
func (sc *scanner) tag(name string, attrs []byte, selfClosed bool, after []byte) {
	switch name {
	case "row":
		if r, err := strconv.Atoi(attr(attrs, "r")); err == nil && r > 0 {
			sc.row = r
		} else {
			sc.row++
		}
		sc.col = -1
	case "c":
		if c, r, ok := cellRef(attr(attrs, "r")); ok {
			sc.col = c
			if r > 0 {
				sc.row = r
			}
		} else {
			sc.col++
		}
		if selfClosed {
			return
		}
		if t := attr(attrs, "t"); t != "" && t != "n" {
			return
		}
		style, _ := strconv.Atoi(attr(attrs, "s"))
		if style > 0 || valueNeedsGeneral(after) {
			sc.out.nums = append(sc.out.nums, numCell{sc.row - 1, sc.col, style})
		}
	case "mergeCell":
		a, b, ok := strings.Cut(attr(attrs, "ref"), ":")
		if !ok {
			return
		}
		c1, r1, ok1 := cellRef(a)
		c2, r2, ok2 := cellRef(b)
		if ok1 && ok2 && r1 > 0 && r2 >= r1 && c2 >= c1 {
			sc.out.merges = append(sc.out.merges, mergeRange{r1 - 1, c1, r2 - 1, c2})
		}
	}
}

// valueNeedsGeneral reports whether the value after a cell tag holds a
// fraction or exponent, which General may show rounded.
func valueNeedsGeneral(after []byte) bool {
	end := bytes.Index(after, []byte("</"))
	if end < 0 || end > lookahead {
		end = min(len(after), lookahead)
	}
	return bytes.ContainsAny(after[:end], ".Ee")
}

// readTag reads the tag starting at x[i] (just after '<'): its name, its
// attribute text, the index after '>', whether it ends with "/>", and
// whether its '>' was found.
func readTag(x []byte, i int) (name, attrs []byte, end int, selfClosed, complete bool) {
	k := i
	for k < len(x) && x[k] != ' ' && x[k] != '>' && x[k] != '/' && x[k] != '\t' && x[k] != '\n' && x[k] != '\r' {
		k++
	}
	name = x[i:k]
	var quote byte
	a := k
	for ; k < len(x); k++ {
		ch := x[k]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case ch == '"' || ch == '\'':
			quote = ch
		case ch == '>':
			return name, x[a:k], k + 1, k > a && x[k-1] == '/', true
		}
	}
	return name, x[a:], len(x), false, false
}

// localName drops a namespace prefix: x:c → c.
func localName(name []byte) string {
	if k := bytes.IndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	return string(name)
}

// attr returns the value of the attribute key (without prefix) in attrs.
func attr(attrs []byte, key string) string {
	for len(attrs) > 0 {
		eq := bytes.IndexByte(attrs, '=')
		if eq < 0 {
			return ""
		}
		name := bytes.TrimSpace(attrs[:eq])
		rest := bytes.TrimLeft(attrs[eq+1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return ""
		}
		q := rest[0]
		end := bytes.IndexByte(rest[1:], q)
		if end < 0 {
			return ""
		}
		if localName(name) == key {
			return string(rest[1 : 1+end])
		}
		attrs = rest[end+2:]
	}
	return ""
}

// cellRef reads a reference like AB12 into a 0-based column and a 1-based
// row; a reference without row (AB) gives row 0.
func cellRef(ref string) (col, row int, ok bool) {
	ref = strings.ReplaceAll(ref, "$", "")
	i := 0
	for i < len(ref) && i < 3 && (ref[i] >= 'A' && ref[i] <= 'Z' || ref[i] >= 'a' && ref[i] <= 'z') {
		c := int(ref[i]|0x20) - 'a' + 1
		col = col*26 + c
		i++
	}
	if i == 0 {
		return 0, 0, false
	}
	if i < len(ref) {
		r, err := strconv.Atoi(ref[i:])
		if err != nil || r < 1 || r > 1_048_576 {
			return 0, 0, false
		}
		row = r
	}
	return col - 1, row, true
}
