package xlsx

import (
	"slices"
	"strings"
	"testing"

	"baomi/data"
)

func TestSerialInNoteFindsTheSerialAfterItsLabel(t *testing.T) {
	tests := []struct {
		name, note, want string
	}{
		{"序列号 and a space", "序列号 AA12BB34", "AA12BB34"},
		{"序列号 and a Chinese colon", "序列号：AA12BB34", "AA12BB34"},
		{"序列号 and an ASCII colon, spaces", "序列号 : AA12BB34", "AA12BB34"},
		{"序列号 run into the serial", "序列号AA12BB34", "AA12BB34"},
		{"序列号为", "序列号为AA12BB34", "AA12BB34"},
		{"序列号(SN)", "序列号(SN)：AA12BB34", "AA12BB34"},
		{"SN and a space", "SN AA12", "AA12"},
		{"SN and a colon", "SN:AA12", "AA12"},
		{"S/N with colon and space", "S/N: AA12", "AA12"},
		{"lower case sn", "sn: c02xk1jhjg5h", "c02xk1jhjg5h"},
		{"full-width letters and colon", "ＳＮ：ＡＢ１２３４", "AB1234"},
		{"inside a sentence", "财务处使用，序列号 WX31A2B4，已做保密检查。", "WX31A2B4"},
		{"after Chinese text", "联想扬天SN:PF2ABC12", "PF2ABC12"},
		{"hyphens kept, trailing full stop dropped", "S/N: 5CD-1234-AB.", "5CD-1234-AB"},
		{"the same serial twice", "序列号 AA12BB34（SN AA12BB34）", "AA12BB34"},
		{"no label", "财务处使用", ""},
		{"SNMP is a word, not the label", "SNMP 设备", ""},
		{"SN inside a word", "MSN: AB1234", ""},
		{"SN run into letters", "SNAB1234", ""},
		{"unknown serial", "S/N: 未知", ""},
		{"N/A", "SN: N/A", ""},
		{"no digit", "SN: ABCDEF", ""},
		{"too short", "序列号 A1", ""},
		{"serial still to be found", "序列号待补", ""},
		{"two different serials: not guessed", "主机 SN AA1234，显示器 SN BB5678", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SerialInNote(tt.note); got != tt.want {
				t.Errorf("SerialInNote(%q) = %q, want %q", tt.note, got, tt.want)
			}
		})
	}
}

func TestRowsFlagADeviceWithoutSerialPendingInsteadOfRefusingIt(t *testing.T) {
	tests := []struct {
		name        string
		cells       map[string]string
		wantSerial  string
		fromNote    bool
		wantPending string
	}{
		{"device, blank serial cell", map[string]string{"载体类型": "U盘", "序列号": ""}, "", false, data.FieldSerial},
		{"device, no serial column", map[string]string{"载体类型": "计算机"}, "", false, data.FieldSerial},
		{"device, serial in the note", map[string]string{"载体类型": "U盘", "备注": "序列号 AA12BB34"}, "AA12BB34", true, ""},
		{"device, blank serial cell, serial in the note", map[string]string{"载体类型": "移动硬盘", "序列号": "", "备注": "S/N: WX31"}, "WX31", true, ""},
		{"device, serial cell wins over the note", map[string]string{"载体类型": "U盘", "序列号": "CELL01", "备注": "SN NOTE01"}, "CELL01", false, ""},
		{"device, note without a serial", map[string]string{"载体类型": "计算机", "备注": "SNMP 设备"}, "", false, data.FieldSerial},
		{"paper, serial-like note left alone", map[string]string{"载体类型": "纸质文件", "备注": "SN AB1234"}, "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseOne(t, tt.cells, testOptions)
			if len(r.Problems) > 0 {
				t.Fatalf("refused: %v", r.Problems)
			}
			c := r.Carrier
			if c.Serial != tt.wantSerial || r.SerialFromNote != tt.fromNote || c.Pending != tt.wantPending {
				t.Errorf("serial %q (from note %v), pending %q; want %q (%v), %q", c.Serial, r.SerialFromNote, c.Pending,
					tt.wantSerial, tt.fromNote, tt.wantPending)
			}
			if note := tt.cells["备注"]; c.Note != note {
				t.Errorf("备注 = %q, want it kept as %q", c.Note, note)
			}
		})
	}
}

func TestPlanSaysWhichRowsAreLeftPending(t *testing.T) {
	sheet := "编号,名称,载体类型,密级,收到日期,责任人,备注\n" +
		"D-1,财务U盘,U盘,秘密,2024.3.5,张三,序列号 AA12BB34\n" +
		"D-2,旧传真机,传真机,秘密,2024.3.5,张三,\n" +
		"D-3,通知,纸质文件,秘密,2024.3.5,张三,\n"
	actions := Plan(planRows(t, sheet), nil)
	var got []string
	for _, a := range actions {
		got = append(got, a.Label()+" "+a.Reason)
	}
	want := []string{"导入 新载体，将登记；序列号取自备注", "导入（待补全：序列号） 新载体，将登记", "导入 新载体，将登记"}
	if !slices.Equal(got, want) {
		t.Errorf("lines = %q\nwant %q", got, want)
	}
	if s := Summary(actions); s != "将导入 3 条，更新 0 条，无变化 0 条，拒绝 0 条；其中 1 条导入后信息待补全" {
		t.Errorf("Summary = %q", s)
	}
}

func TestUpdateTakesTheSerialFromTheNoteAndNeverBlanksAStoredOne(t *testing.T) {
	device := func(number, serial, pending string) data.Carrier {
		c := registered(number, "财务U盘", "秘密", 10, data.NewDate(2024, 3, 5), "张三", "保密柜1号")
		c.Kind, c.Serial, c.Pending, c.Note = data.KindUSB, serial, pending, ""
		return c
	}
	existing := byNumber([]data.Carrier{device("D-1", "", data.FieldSerial), device("D-2", "KEEP01", ""), device("D-3", "", data.FieldSerial)})
	sheet := "编号,名称,载体类型,密级,收到日期,责任人,存放位置,序列号,备注\n" +
		"D-1,财务U盘,U盘,秘密,2024.3.5,张三,保密柜1号,,序列号 AA12BB34\n" +
		"D-2,财务U盘,U盘,秘密,2024.3.5,张三,保密柜1号,,\n" +
		"D-3,财务U盘,U盘,秘密,2024.3.5,张三,保密柜2号,,\n"
	actions := Plan(planRows(t, sheet), existing)
	if len(actions) != 3 {
		t.Fatalf("%d actions", len(actions))
	}
	// D-1: the serial found in 备注 completes the pending carrier
	if a := actions[0]; a.Op != OpUpdate || !slices.Contains(a.Changes, data.FieldSerial) || a.Pending() != "" {
		t.Errorf("D-1: %s %s, pending %q", a.Op, a.Reason, a.Pending())
	}
	if c := ApplyTo(existing["D-1"], *actions[0].Row); c.Serial != "AA12BB34" || c.Pending != "" {
		t.Errorf("D-1 after the update: serial %q, pending %q", c.Serial, c.Pending)
	}
	// D-2: a blank cell does not erase the stored serial
	if a := actions[1]; a.Op != OpUnchanged {
		t.Errorf("D-2: %s %s", a.Op, a.Reason)
	}
	// D-3: still without a serial, an update of its location stays pending
	if a := actions[2]; a.Op != OpUpdate || a.Label() != "更新（待补全：序列号）" || !strings.Contains(a.Reason, data.FieldLocation) {
		t.Errorf("D-3: %s %s", a.Label(), a.Reason)
	}
	// a sheet without a 序列号 column: the serial in 备注 still reaches the carrier
	noColumn := "编号,名称,载体类型,密级,收到日期,责任人,存放位置,备注\n" +
		"D-3,财务U盘,U盘,秘密,2024.3.5,张三,保密柜1号,SN: BB5678\n"
	a := Plan(planRows(t, noColumn), existing)[0]
	if c := ApplyTo(existing["D-3"], *a.Row); a.Op != OpUpdate || c.Serial != "BB5678" || c.Pending != "" {
		t.Errorf("D-3 from a sheet without 序列号: %s %s; serial %q, pending %q", a.Op, a.Reason, c.Serial, c.Pending)
	}
}

// TestPlannerCountsThePendingRowsSummaryCounts checks the Planner's count
// of 待补全 rows, taken from the carrier it applies, against Summary's,
// taken from Action.Pending: an import and an update left pending count,
// an update that completes the serial and an unchanged row do not.
func TestPlannerCountsThePendingRowsSummaryCounts(t *testing.T) {
	stored := registered("D-1", "财务U盘", "秘密", 10, data.NewDate(2024, 3, 5), "张三", "保密柜1号")
	stored.Kind, stored.Pending, stored.Note = data.KindUSB, data.FieldSerial, ""
	existing := map[string]data.Carrier{}
	for _, n := range []string{"D-1", "D-2", "D-3"} {
		c := stored
		c.ID, c.Number = "id-"+n, n
		existing[n] = c
	}
	sheet := "编号,名称,载体类型,密级,收到日期,责任人,存放位置,备注\n" +
		"D-1,财务U盘,U盘,秘密,2024.3.5,张三,保密柜2号,\n" + // update, still pending
		"D-2,财务U盘,U盘,秘密,2024.3.5,张三,保密柜1号,SN AA12BB34\n" + // update, completed
		"D-3,财务U盘,U盘,秘密,2024.3.5,张三,保密柜1号,\n" + // unchanged, pending as stored
		"D-4,旧传真机,传真机,秘密,2024.3.5,张三,保密柜1号,\n" // import, pending
	rows := planRows(t, sheet)
	p := NewPlanner(func(number string) *data.Carrier {
		if c, ok := existing[number]; ok {
			return &c
		}
		return nil
	})
	var actions []Action
	for i := range rows {
		if a, ok := p.Next(&rows[i]); ok {
			actions = append(actions, a)
		}
	}
	want := "将导入 1 条，更新 2 条，无变化 1 条，拒绝 0 条；其中 2 条导入后信息待补全"
	if s := Summary(actions); s != want {
		t.Errorf("Summary = %q, want %q", s, want)
	}
	if s := p.Summary(); s != want || p.CountPending() != 2 {
		t.Errorf("Planner: %q, %d pending; want %q, 2", s, p.CountPending(), want)
	}
}
