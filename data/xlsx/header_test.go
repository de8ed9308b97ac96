package xlsx

import (
	"testing"

	"baomi/data"
)

func TestFindHeaderBelowTitleAndBlankRows(t *testing.T) {
	s := &Sheet{Cells: [][]string{
		{"某局涉密载体台账（2026年）", "某局涉密载体台账（2026年）", "某局涉密载体台账（2026年）"},
		nil,
		{"填报单位：办公室", "", "填报日期：2026年1月5日"},
		{"序号", "编号", "文件资料名称", "密级", "责任人"},
		{"1", "A-1", "通知", "秘密", "张三"},
	}}
	row, m := s.FindHeader()
	if row != 3 {
		t.Fatalf("header row = %d, want 3", row)
	}
	want := Mapping{1: KeyNumber, 2: KeyTitle, 3: KeyLevel, 4: KeyCustodian}
	if !equalMapping(m, want) {
		t.Errorf("mapping = %v, want %v", m, want)
	}
}

func TestFindHeaderKnowsTheVariantsOfficesUse(t *testing.T) {
	tests := []struct {
		header, key string
	}{
		{"编号", KeyNumber},
		{"文号或编号", KeyNumber},
		{"载体编号", KeyNumber},
		{"登记号", KeyNumber},
		{"文件资料名称", KeyTitle},
		{"名称", KeyTitle},
		{"文件名称", KeyTitle},
		{"标题", KeyTitle},
		{"载体名称", KeyTitle},
		{"载体类别", KeyKind},
		{"载体类型", KeyKind},
		{"类别", KeyKind},
		{"类型", KeyKind},
		{"密级", KeyLevel},
		{"保密期限", KeyPeriod},
		{"制作发文单位", KeySource},
		{"来源", KeySource},
		{"来文单位", KeySource},
		{"发文单位", KeySource},
		{"制发单位", KeySource},
		{"收到日期", KeyReceivedOn},
		{"登记日期", KeyReceivedOn},
		{"日期", KeyReceivedOn},
		{"产生日期", KeyReceivedOn},
		{"页数或容量", KeyPages},
		{"页数", KeyPages},
		{"容量", KeyPages},
		{"份数", KeyCopies},
		{"份号", KeyCopyNumbers},
		{"使用范围", KeyScope},
		{"知悉范围", KeyScope},
		{"责任人", KeyCustodian},
		{"保管人", KeyCustodian},
		{"存放位置", KeyLocation},
		{"存放地点", KeyLocation},
		{"型号", KeyModel},
		{"设备型号", KeyModel},
		{"序列号", KeySerial},
		{"编号（设备）", KeySerial},
		{"设备编号", KeySerial},
		{"备注", KeyNote},
		{"解密时间", KeyDeclassifyOn},
		{"解密条件", KeyCondition},
		// spaces, line breaks, full width, units in brackets, required marks
		{"编  号", KeyNumber},
		{"收到\n日期", KeyReceivedOn},
		{"份数（份）", KeyCopies},
		{"份数(份)", KeyCopies},
		{"页数（页）或容量（GB）", KeyPages},
		{"*密级", KeyLevel},
		{"责任人：", KeyCustodian},
		{"ＳＮ", KeySerial},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			a, ok := matchHeader(tt.header)
			if !ok || a.key != tt.key {
				t.Errorf("matchHeader(%q) = %q, %v; want %q", tt.header, a.key, ok, tt.key)
			}
		})
	}
	for _, h := range []string{"序号", "状态"} {
		if a, ok := matchHeader(h); !ok || a.key != keyIgnore {
			t.Errorf("%s should be known and ignored, got %q, %v", h, a.key, ok)
		}
	}
	for _, h := range []string{"", "某局涉密载体台账", "合计", "张三"} {
		if a, ok := matchHeader(h); ok {
			t.Errorf("%q matched %q", h, a.key)
		}
	}
}

func TestFindHeaderMapsColumns(t *testing.T) {
	tests := []struct {
		name   string
		header []string
		want   Mapping
	}{
		{"序号 and 状态 are not mapped",
			[]string{"序号", "编号", "名称", "状态"},
			Mapping{1: KeyNumber, 2: KeyTitle}},
		{"文号 beside 编号 is the document number",
			[]string{"编号", "文号", "名称"},
			Mapping{0: KeyNumber, 1: KeyDocNumber, 2: KeyTitle}},
		{"文号 alone is the 编号",
			[]string{"序号", "文号", "名称", "密级"},
			Mapping{1: KeyNumber, 2: KeyTitle, 3: KeyLevel}},
		{"密级 beats 标志, whichever comes first",
			[]string{"编号", "标志", "密级", "保密期限"},
			Mapping{0: KeyNumber, 2: KeyLevel, 3: KeyPeriod}},
		{"the first of two date columns wins",
			[]string{"编号", "收到日期", "登记日期"},
			Mapping{0: KeyNumber, 1: KeyReceivedOn}},
		{"a device register",
			[]string{"设备编号", "编号", "设备型号", "载体类型"},
			Mapping{0: KeySerial, 1: KeyNumber, 2: KeyModel, 3: KeyKind}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Sheet{Cells: [][]string{tt.header}}
			row, m := s.FindHeader()
			if row != 0 || !equalMapping(m, tt.want) {
				t.Errorf("FindHeader = %d, %v; want 0, %v", row, m, tt.want)
			}
		})
	}
}

func TestFindHeaderGivesUpOnASheetWithoutHeaders(t *testing.T) {
	s := &Sheet{Cells: [][]string{{"张三", "李四"}, {"1", "2"}, {"编号"}}}
	row, m := s.FindHeader()
	if row != -1 || len(m) != 0 || m == nil {
		t.Errorf("FindHeader = %d, %v; want -1 and an empty mapping", row, m)
	}
	// Rows then reads from the first row, all blank for an empty mapping.
	for _, r := range s.Rows(row, m, testOptions) {
		if !r.Skip {
			t.Errorf("line %d not skipped", r.Line)
		}
	}
}

func TestFindHeaderLooksOnlyAtTheFirst15Rows(t *testing.T) {
	s := &Sheet{Cells: make([][]string, 20)}
	s.Cells[16] = []string{"编号", "名称", "密级"}
	if row, _ := s.FindHeader(); row != -1 {
		t.Errorf("header row = %d, want -1", row)
	}
}

func TestFieldsListsEveryKeyWithItsLabel(t *testing.T) {
	seen := map[string]bool{}
	for _, f := range Fields() {
		if seen[f.Key] || f.Label == "" || Label(f.Key) != f.Label {
			t.Errorf("field %+v", f)
		}
		seen[f.Key] = true
	}
	if Label(KeyReceivedOn) != data.FieldReceivedOn || Label("nope") != "" {
		t.Error("Label")
	}
	for _, a := range headerAliases {
		if a.key != keyIgnore && Label(a.key) == "" {
			t.Errorf("alias key %q is not in Fields", a.key)
		}
	}
}

func equalMapping(a, b Mapping) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
