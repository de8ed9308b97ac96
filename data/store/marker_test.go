package store

import (
	"baomi/data/datatest"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"
)

// markerText is typed into the carrier fields; none of its encodings may
// ever be found in the data folder.
const markerText = "绝密标记XYZZY-1234"

func markerNeedles() map[string][]byte {
	u := utf16.Encode([]rune(markerText))
	le := make([]byte, 2*len(u))
	be := make([]byte, 2*len(u))
	for i, r := range u {
		binary.LittleEndian.PutUint16(le[2*i:], r)
		binary.BigEndian.PutUint16(be[2*i:], r)
	}
	return map[string][]byte{
		"UTF-8 marker":    []byte(markerText),
		"UTF-8 绝密标记":      []byte("绝密标记"),
		"ASCII part":      []byte("XYZZY-1234"),
		"GBK 绝密标记":        {0xbe, 0xf8, 0xc3, 0xdc, 0xb1, 0xea, 0xbc, 0xc7},
		"UTF-16LE marker": le,
		"UTF-16BE marker": be,
	}
}

// findNeedles reads every regular file under root in chunks and returns
// "file@offset: needle" for every place one of needles occurs.
func findNeedles(root string, needles map[string][]byte) ([]string, int64, error) {
	longest := 0
	for _, n := range needles {
		longest = max(longest, len(n))
	}
	var hits []string
	var scanned int64
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		rel, _ := filepath.Rel(root, path)
		const chunk = 1 << 20
		buf := make([]byte, longest-1+chunk)
		var base int64 // file offset of buf[0]
		kept := 0      // bytes carried over from the previous chunk
		for {
			n, err := io.ReadFull(f, buf[kept:kept+chunk])
			have := kept + n
			for name, needle := range needles {
				for from := 0; ; {
					i := bytes.Index(buf[from:have], needle)
					if i < 0 {
						break
					}
					at := from + i
					// a hit wholly inside the carried-over bytes was
					// reported with the previous chunk
					if at+len(needle) > kept {
						hits = append(hits, fmt.Sprintf("%s@%d: %s", rel, base+int64(at), name))
					}
					from = at + 1
				}
			}
			scanned += int64(n)
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil
			}
			if err != nil {
				return err
			}
			kept = min(longest-1, have)
			copy(buf, buf[have-kept:have])
			base += int64(have - kept)
		}
	})
	sort.Strings(hits)
	return hits, scanned, err
}

// assertNoMarker fails the test if any encoding of the marker is in dir.
func assertNoMarker(t *testing.T, dir, when string) {
	t.Helper()
	hits, scanned, err := findNeedles(dir, markerNeedles())
	if err != nil {
		t.Fatalf("%s: scan: %v", when, err)
	}
	t.Logf("%s: scanned %d bytes", when, scanned)
	if len(hits) > 0 {
		if len(hits) > 20 {
			hits = append(hits[:20], fmt.Sprintf("… %d more", len(hits)-20))
		}
		t.Errorf("%s: marker text found in the data folder:\n  %s", when, strings.Join(hits, "\n  "))
	}
}

func TestMarkerScanFindsPlantedText(t *testing.T) {
	// Given files holding the marker at the start, across the 1 MiB chunk
	// boundary of the scanner and at the very end,
	dir := t.TempDir()
	needles := markerNeedles()
	big := make([]byte, 3<<20)
	copy(big[(1<<20)-5:], markerText)
	copy(big[len(big)-len(needles["UTF-16LE marker"]):], needles["UTF-16LE marker"])
	if err := os.WriteFile(filepath.Join(dir, "big"), big, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "small"), needles["GBK 绝密标记"], 0o600); err != nil {
		t.Fatal(err)
	}
	// when the folder is scanned, then each one is found exactly once.
	hits, _, err := findNeedles(dir, needles)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		fmt.Sprintf("big@%d: ASCII part", (1<<20)-5+12),
		fmt.Sprintf("big@%d: UTF-16LE marker", len(big)-28),
		fmt.Sprintf("big@%d: UTF-8 marker", (1<<20)-5),
		fmt.Sprintf("big@%d: UTF-8 绝密标记", (1<<20)-5),
		"small@0: GBK 绝密标记",
	}
	sort.Strings(want)
	if strings.Join(hits, "|") != strings.Join(want, "|") {
		t.Errorf("hits:\n %s\nwant:\n %s", strings.Join(hits, "\n "), strings.Join(want, "\n "))
	}
}

func TestMarkerTextNeverReachesTheDisk(t *testing.T) {
	// Given a store in which the marker is typed into a carrier's 编号,
	// 名称, 责任人 and 备注, and repeated in another carrier's 备注,
	dataDir := t.TempDir()
	keys := testKeys(t)
	s := openTest(t, dataDir, keys, true)
	c := datatest.NewCarrier(markerText)
	c.Title, c.Custodian, c.Note = markerText+"的通知", markerText, "备注："+markerText
	marked, err := s.AddCarrier(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	c = datatest.NewCarrier("B-1")
	c.Note = strings.Repeat(markerText, 50)
	if _, err := s.AddCarrier(ctx, c); err != nil {
		t.Fatal(err)
	}
	if got, err := s.CarrierByNumber(ctx, markerText); err != nil || !sameJSON(got, marked) {
		t.Fatalf("marked carrier does not read back: %+v, %v", got, err)
	}

	// when the folder is scanned with the store open (records in the
	// write-ahead log and memtable), after Close (records in a table), and
	// after reopening, updating and adding more,
	assertNoMarker(t, dataDir, "store open")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	assertNoMarker(t, dataDir, "after close")

	s = openTest(t, dataDir, keys, true)
	marked.Title = "更正：" + markerText
	marked.Note = markerText + "（已核对）"
	if _, err := s.UpdateCarrier(ctx, marked); err != nil {
		t.Fatal(err)
	}
	c = datatest.NewCarrier(markerText + "-3")
	c.Custodian = markerText
	if _, err := s.AddCarrier(ctx, c); err != nil {
		t.Fatal(err)
	}
	assertNoMarker(t, dataDir, "reopened and updated, store open")
	if _, err := s.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// then no encoding of the marker is ever found.
	assertNoMarker(t, dataDir, "reopened and updated, after close")

	s = openTest(t, dataDir, keys, false)
	defer s.Close()
	if got, err := s.CarrierByNumber(ctx, markerText); err != nil || got.Title != "更正："+markerText {
		t.Errorf("updated carrier does not read back: %+v, %v", got, err)
	}
	if list, err := s.Carriers(ctx); err != nil || len(list) != 3 {
		t.Errorf("carriers: %d, %v", len(list), err)
	}
}
