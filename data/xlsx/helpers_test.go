package xlsx

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"baomi/data"
)

// testToday is the day rows are checked against in tests.
var testToday = data.NewDate(2026, 12, 31)

var testOptions = Options{Today: testToday}

// sampleCarrier returns a valid, varied carrier: every kind, every way of
// giving a period, devices with serials, notes with line breaks.
func sampleCarrier(i int) data.Carrier {
	kinds := data.CarrierKinds
	c := data.Carrier{
		Number:      fmt.Sprintf("BM-2025-%06d", i+1),
		Title:       fmt.Sprintf("关于加强第%d季度保密工作的通知", i%4+1),
		Kind:        kinds[i%len(kinds)],
		Source:      []string{"市保密局", "省国家保密局", "办公室", ""}[i%4],
		DocNumber:   fmt.Sprintf("保发〔2025〕%d号", i%97+1),
		ReceivedOn:  data.NewDate(2020+i%6, time.Month(1+i%12), 1+i%28),
		Copies:      1 + i%5,
		CopyNumbers: []string{"1", "1-5", "3", "", "2、4"}[i%5],
		Pages:       []string{"12", "4.7GB", "", "300页", "1"}[i%5],
		Scope:       []string{"办公室全体", "领导班子", "", "保密办"}[i%4],
		Custodian:   []string{"张三", "李四", "王五", "赵六"}[i%4],
		Location:    fmt.Sprintf("保密柜%d号", i%9+1),
		State:       data.StateHeld,
		Note:        []string{"", "原件", "第一行\n第二行", "（附件 3 份）"}[i%4],
	}
	switch i % 5 {
	case 0:
		c.Level, c.PeriodYears = "机密", 20
	case 1:
		c.Level, c.PeriodYears = "秘密", 10
	case 2:
		c.Level, c.DeclassifyOn = "秘密", data.NewDate(2035, 12, 31)
	case 3:
		c.Level, c.DeclassifyCondition = "绝密", "项目验收后"
	case 4:
		c.Level = "内部"
	}
	if data.IsDeviceKind(c.Kind) {
		c.Model = "Kingston DT50"
		c.Serial = fmt.Sprintf("SN%08d", i)
	}
	return c
}

func sampleCarriers(n int) []data.Carrier {
	cs := make([]data.Carrier, n)
	for i := range cs {
		cs[i] = sampleCarrier(i)
	}
	return cs
}

// book builds an .xlsx from rows of cell values (row 1 first) with the given
// merged ranges ("A1:D1").
func book(t testing.TB, rows [][]any, merges ...string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range merges {
		var a, b string
		if _, err := fmt.Sscanf(m, "%2s:%s", &a, &b); err != nil {
			t.Fatal(err)
		}
		if err := f.MergeCell("Sheet1", a, b); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// importRows runs Read, FindHeader and Rows.
func importRows(t testing.TB, b []byte, name string, opt Options) (*Sheet, int, []Row) {
	t.Helper()
	s, err := Read(bytes.NewReader(b), name)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	h, m := s.FindHeader()
	return s, h, s.Rows(h, m, opt)
}

// dataRows returns the rows not skipped.
func dataRows(rows []Row) []Row {
	var out []Row
	for _, r := range rows {
		if !r.Skip {
			out = append(out, r)
		}
	}
	return out
}

func byNumber(cs []data.Carrier) map[string]data.Carrier {
	m := make(map[string]data.Carrier, len(cs))
	for _, c := range cs {
		m[c.Number] = c
	}
	return m
}
