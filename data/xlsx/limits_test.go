package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"baomi/data"
	"baomi/data/datatest"
)

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// repeated is a part's content: head, then unit repeated until the part
// holds size bytes or more, then tail.
type repeated struct {
	head, unit, tail string
	size             int
}

// deflated returns the raw deflate stream of the part, its CRC-32 and its
// length. A block of about 1 MiB of units is compressed once and repeated:
// each block refers only to itself, so the stream stays valid, and a part
// inflating to 900 MiB costs milliseconds to build.
func (r repeated) deflated(t testing.TB) (raw []byte, crc uint32, n int) {
	t.Helper()
	var out bytes.Buffer
	block := func(s string) {
		fw, err := flate.NewWriter(&out, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(fw, s); err != nil {
			t.Fatal(err)
		}
		if err := fw.Flush(); err != nil {
			t.Fatal(err)
		}
		crc = crc32.Update(crc, crc32.IEEETable, []byte(s))
		n += len(s)
	}
	block(r.head)
	if r.unit == "" {
		r.unit = " " // not repeated: size is 0
	}
	chunk := strings.Repeat(r.unit, max(1, (1<<20)/len(r.unit)))
	var c bytes.Buffer
	fw, _ := flate.NewWriter(&c, flate.BestCompression)
	io.WriteString(fw, chunk)
	if err := fw.Flush(); err != nil {
		t.Fatal(err)
	}
	compressed := c.Bytes()
	for n+len(r.tail) < r.size {
		out.Write(compressed)
		crc = crc32.Update(crc, crc32.IEEETable, []byte(chunk))
		n += len(chunk)
	}
	fw, _ = flate.NewWriter(&out, flate.BestCompression)
	io.WriteString(fw, r.tail)
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(r.tail))
	return out.Bytes(), crc, n + len(r.tail)
}

// pkgPart is one part of a package built by buildPackage; declared, when
// not zero, is the inflated size its headers claim instead of the truth.
type pkgPart struct {
	name     string
	content  repeated
	declared uint64
}

const (
	testWorkbook = xmlHead + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>`
	testSheetHead = xmlHead + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	testSheetTail = `</sheetData></worksheet>`
)

// buildPackage returns an .xlsx with one worksheet, the default parts
// replaced by parts.
func buildPackage(t testing.TB, parts ...pkgPart) []byte {
	t.Helper()
	all := []pkgPart{
		{name: "[Content_Types].xml", content: repeated{head: xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>`}},
		{name: "_rels/.rels", content: repeated{head: xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`}},
		{name: "xl/_rels/workbook.xml.rels", content: repeated{head: xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`}},
		{name: "xl/workbook.xml", content: repeated{head: testWorkbook}},
		{name: "xl/sharedStrings.xml", content: repeated{head: xmlHead + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>编号</t></si></sst>`}},
		{name: "xl/styles.xml", content: repeated{head: xmlHead + `<styleSheet/>`}},
		{name: "xl/worksheets/sheet1.xml", content: repeated{head: testSheetHead + `<row r="1"><c r="A1" t="s"><v>0</v></c></row>` + testSheetTail}},
	}
	for _, p := range parts {
		for i := range all {
			if all[i].name == p.name {
				all[i] = p
			}
		}
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, p := range all {
		raw, crc, n := p.content.deflated(t)
		size := uint64(n)
		if p.declared != 0 {
			size = p.declared
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(raw)), UncompressedSize64: size})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(raw); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// memUse runs fn and returns the bytes it allocated in all and the most
// heap in use (above what was in use before) seen while it ran. The
// allocated total bounds the peak from above whatever the sampling missed.
func memUse(fn func()) (allocated, peak uint64) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			runtime.ReadMemStats(&m)
			mu.Lock()
			if m.HeapInuse > before.HeapInuse {
				peak = max(peak, m.HeapInuse-before.HeapInuse)
			}
			mu.Unlock()
		}
	}()
	fn()
	close(stop)
	<-done
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	mu.Lock()
	defer mu.Unlock()
	if after.HeapInuse > before.HeapInuse {
		peak = max(peak, after.HeapInuse-before.HeapInuse)
	}
	return after.TotalAlloc - before.TotalAlloc, peak
}

// refuseCheck reads in and checks that the file is refused with a message
// containing want, allocating at most maxAlloc bytes.
func refuseCheck(t *testing.T, in []byte, name, want string, maxAlloc uint64) {
	t.Helper()
	var err error
	start := time.Now()
	allocated, peak := memUse(func() { _, err = Read(bytes.NewReader(in), name) })
	t.Logf("%d-byte file: refused in %v, allocated %d MB, heap peak %d MB: %s",
		len(in), time.Since(start).Round(time.Millisecond), allocated>>20, peak>>20, data.Message(err))
	if err == nil {
		t.Fatal("Read accepted the file")
	}
	if !errors.Is(err, data.ErrInvalid) {
		t.Errorf("error %v does not wrap data.ErrInvalid", err)
	}
	if msg := data.Message(err); !strings.Contains(msg, want) {
		t.Errorf("message %q does not say %q", msg, want)
	}
	if allocated > maxAlloc {
		t.Errorf("allocated %d MB reading it, want at most %d MB", allocated>>20, maxAlloc>>20)
	}
}

func TestHostileWorkbooksAreRefusedNamingTheLimitInBoundedMemory(t *testing.T) {
	const MiB = 1 << 20
	inflating := func(name, head, unit, tail string, size int) pkgPart {
		return pkgPart{name: name, content: repeated{head: head, unit: unit, tail: tail, size: size}}
	}
	lying := func(p pkgPart, declared uint64) pkgPart { p.declared = declared; return p }
	cellRow := `<row><c t="inlineStr"><is><t>关于加强保密工作的通知</t></is></c></row>`
	wbBomb := inflating("xl/workbook.xml", testWorkbook[:len(testWorkbook)-len("</workbook>")],
		`<definedNames><definedName name="a">台账!$A$1</definedName></definedNames>`, `</workbook>`, maxSmallXML+MiB)
	sheetBomb := inflating("xl/worksheets/sheet1.xml", testSheetHead, `<row r="1"><c r="A1"/></row>`, testSheetTail, maxSheetXML+MiB)
	sstBomb := inflating("xl/sharedStrings.xml", xmlHead+`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`, `<si><t>编号</t></si>`, `</sst>`, maxSharedStringsXML+MiB)
	tests := []struct {
		name     string
		parts    []pkgPart
		want     string
		maxAlloc uint64
	}{
		{"workbook.xml inflating past 10 MB", []pkgPart{wbBomb}, "工作簿解压后超过 10 MB 上限", 16 * MiB},
		{"worksheet inflating past 300 MB", []pkgPart{sheetBomb}, "工作表解压后超过 300 MB 上限", 16 * MiB},
		{"shared strings inflating past 100 MB", []pkgPart{sstBomb}, "共享字符串表解压后超过 100 MB 上限", 16 * MiB},
		// archive/zip stops a part at the size its headers declare, so a lie
		// ends the reading there, as a damaged file.
		{"workbook.xml declaring 1 KiB, inflating past 10 MB", []pkgPart{lying(wbBomb, 1024)}, "不是有效的 .xlsx 文件", 16 * MiB},
		{"worksheet declaring 16 MiB, inflating past 300 MB", []pkgPart{lying(sheetBomb, 16*MiB)}, "不是有效的 .xlsx 文件", 64 * MiB},
		{"shared strings declaring 1 KiB, inflating past 100 MB", []pkgPart{lying(sstBomb, 1024)}, "不是有效的 .xlsx 文件", 16 * MiB},
		{"a cell of 40,000 characters", []pkgPart{inflating("xl/worksheets/sheet1.xml",
			testSheetHead+`<row r="1"><c r="A1" t="inlineStr"><is><t>`, "密", `</t></is></c></row>`+testSheetTail, 40_000*3)},
			"超过 32767 个字符的上限", 16 * MiB},
		{"a cell of 400,000 characters", []pkgPart{inflating("xl/worksheets/sheet1.xml",
			testSheetHead+`<row r="1"><c r="A1" t="inlineStr"><is><t>`, "密", `</t></is></c></row>`+testSheetTail, 400_000*3)},
			"超过 32767 个字符的上限", 16 * MiB},
		{"a shared string of 40,000 characters", []pkgPart{inflating("xl/sharedStrings.xml",
			xmlHead+`<sst><si><t>`, "密", `</t></si></sst>`, 40_000*3)}, "超过 32767 个字符的上限", 16 * MiB},
		{"over 200,000 rows", []pkgPart{inflating("xl/worksheets/sheet1.xml", testSheetHead, cellRow, testSheetTail, 15*MiB)},
			"超过 200000 行", 160 * MiB},
		{"over 4,000,000 cells", []pkgPart{inflating("xl/worksheets/sheet1.xml", testSheetHead,
			"<row>"+strings.Repeat(`<c><v>1</v></c>`, 250)+"</row>", testSheetTail, 65*MiB)},
			"超过 4000000 个单元格的上限", 400 * MiB},
		{"over 4,000,000 shared strings", []pkgPart{inflating("xl/sharedStrings.xml", xmlHead+`<sst>`, `<si/>`, `</sst>`, 21*MiB)},
			"共享字符串超过 4000000 个上限", 128 * MiB},
		{"over 100 MB of text", []pkgPart{
			inflating("xl/sharedStrings.xml", xmlHead+`<sst>`, `<si><t>`+strings.Repeat("机密", 5000)+`</t></si>`, `</sst>`, 60*MiB),
			inflating("xl/worksheets/sheet1.xml", testSheetHead, `<row><c t="inlineStr"><is><t>`+strings.Repeat("秘密", 5000)+`</t></is></c></row>`, testSheetTail, 60*MiB),
		}, "文字超过 100 MB 上限", 400 * MiB},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refuseCheck(t, buildPackage(t, tt.parts...), "台账.xlsx", tt.want, tt.maxAlloc)
		})
	}
}

func TestHostileCSVFilesAreRefusedNamingTheLimitInBoundedMemory(t *testing.T) {
	const MiB = 1 << 20
	tests := []struct {
		name     string
		in       string
		want     string
		maxAlloc uint64
	}{
		// 768 MB of memory before.
		{"one line of 49 MB", "编号,名称\n" + strings.Repeat("a,", 49*MiB/2) + "a\n", "第 2 条记录超过 1 MB 上限", 200 * MiB},
		{"a quoted field running to the end", "编号,名称\n\"" + strings.Repeat("a\n", 2*MiB), "第 2 条记录超过 1 MB 上限", 48 * MiB},
		{"a cell of 40,000 characters", "编号,名称\nA-1," + strings.Repeat("密", 40_000) + "\n", "超过 32767 个字符的上限", 16 * MiB},
		{"over 4,000,000 cells", strings.Repeat(strings.Repeat("a,", 199)+"a\n", 20_101), "超过 4000000 个单元格的上限", 400 * MiB},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refuseCheck(t, []byte(tt.in), "台账.csv", tt.want, tt.maxAlloc)
		})
	}
}

// A wide CSV (1,000 lines of 24,500 fields, 49 MB) is read, but the grid
// keeps only the first MaxColumns cells of each line: before, every line
// kept its whole field array and text, 768 MB.
func TestWideCSVKeepsOnlyTheColumnsItReads(t *testing.T) {
	in := []byte(strings.Repeat(strings.Repeat("a,", 24_500)+"a\n", 1000))
	size := int64(len(in))
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	s, err := Read(bytes.NewReader(in), "宽表.csv")
	if err != nil {
		t.Fatal(err)
	}
	in = nil
	runtime.GC()
	runtime.ReadMemStats(&after)
	held := int64(after.HeapAlloc) - int64(before.HeapAlloc) + size
	t.Logf("grid of %d rows holds %d MB", len(s.Cells), held>>20)
	if len(s.Cells) != 1000 || len(s.Cells[0]) != MaxColumns {
		t.Errorf("%d rows of %d cells, want 1000 of %d", len(s.Cells), len(s.Cells[0]), MaxColumns)
	}
	if held > 32<<20 {
		t.Errorf("the grid holds %d MB, want at most 32 MB", held>>20)
	}
	runtime.KeepAlive(s)
}

// watchDir lists dir every millisecond until stop is closed and returns
// every name it saw.
func watchDir(dir string, stop <-chan struct{}) <-chan map[string]bool {
	out := make(chan map[string]bool, 1)
	go func() {
		seen := map[string]bool{}
		for {
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				seen[e.Name()] = true
			}
			select {
			case <-stop:
				out <- seen
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return out
}

// A worksheet over 16 MiB made excelize write it, in plain text, to
// $TMPDIR/excelize-* for the whole import; a kill -9 left it there.
func TestImportingALargeSheetWritesNoFile(t *testing.T) {
	row := "<row>" + strings.Repeat(`<c t="inlineStr"><is><t>关于加强保密工作的通知</t></is></c>`, 20) + "</row>"
	in := buildPackage(t, pkgPart{name: "xl/worksheets/sheet1.xml",
		content: repeated{head: testSheetHead, unit: row, tail: testSheetTail, size: 17 << 20}})
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	stop := make(chan struct{})
	seen := watchDir(tmp, stop)
	s, err := Read(bytes.NewReader(in), "台账.xlsx")
	close(stop)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Cells) < 10_000 || s.Cell(0, 19) != "关于加强保密工作的通知" {
		t.Errorf("read %d rows, first %q", len(s.Cells), s.Cell(0, 19))
	}
	if files := <-seen; len(files) > 0 {
		t.Errorf("files created in TMPDIR during the import: %v", files)
	}
}

// excelize's StreamWriter spilled a worksheet over 16 MiB (about 17,000
// carriers) to $TMPDIR/excelize-* while exporting.
func TestExportingALargeRegisterWritesNoFileButTheOutput(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	carriers := datatest.Carriers(25_000)
	stop := make(chan struct{})
	seen := watchDir(tmp, stop)
	var buf bytes.Buffer
	err := Write(&buf, "某局涉密载体台账", carriers)
	close(stop)
	if err != nil {
		t.Fatal(err)
	}
	if files := <-seen; len(files) > 0 {
		t.Errorf("files created in TMPDIR during the export: %v", files)
	}
	x, err := zipPart(buf.Bytes(), "xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(x) < 16<<20 {
		t.Errorf("worksheet of %d bytes; the test needs one over 16 MiB", len(x))
	}
	if !bytes.Contains(x[:4096], []byte(`<dimension ref="A1:T25002"`)) {
		t.Errorf("the worksheet does not state its used range A1:T25002: %.600s", x)
	}
}

// A shared string table costs about its text: a builder doubling to hold
// it reserved up to twice as much, and every reference counted the runes
// of its string again (54 s for 4 million references to long strings).
func TestSharedStringTableCostsAboutItsText(t *testing.T) {
	const entries, chars = 1_300, 32_000 // 41.6 MB of text
	in := buildPackage(t,
		pkgPart{name: "xl/sharedStrings.xml", content: repeated{head: xmlHead + `<sst>`,
			unit: `<si><t>` + strings.Repeat("a", chars) + `</t></si>`, tail: `</sst>`, size: entries * (chars + 14)}},
		pkgPart{name: "xl/worksheets/sheet1.xml", content: repeated{head: testSheetHead,
			unit: "<row>" + strings.Repeat(`<c t="s"><v>7</v></c>`, 200) + "</row>", tail: testSheetTail, size: 4 << 20}})
	var s *Sheet
	var err error
	start := time.Now()
	allocated, peak := memUse(func() { s, err = Read(bytes.NewReader(in), "台账.xlsx") })
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("read in %v, allocated %d MB, heap peak %d MB", elapsed.Round(time.Millisecond), allocated>>20, peak>>20)
	if got := s.Cell(0, 199); len(got) != chars {
		t.Fatalf("cell of %d bytes, want %d", len(got), chars)
	}
	if text := uint64(entries * chars); allocated > text+text/2+32<<20 {
		t.Errorf("allocated %d MB for %d MB of shared text", allocated>>20, text>>20)
	}
}
