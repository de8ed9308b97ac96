package data

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func pendingDevice(number string) Carrier {
	return Carrier{ID: "id-" + number, Number: number, Title: "财务处U盘", Kind: KindUSB, Level: "秘密", PeriodYears: 10,
		ReceivedOn: NewDate(2024, 3, 5), Copies: 1, Custodian: "张三", State: StateHeld, Pending: FieldSerial}
}

func TestValidateAcceptsAMissingSerialOnlyWhenFlaggedPending(t *testing.T) {
	today := NewDate(2026, 11, 28)
	tests := []struct {
		name      string
		edit      func(*Carrier)
		wantField string // "" for valid
	}{
		{"device flagged pending", func(c *Carrier) {}, ""},
		{"device not flagged", func(c *Carrier) { c.Pending = "" }, FieldSerial},
		{"device flagged on another field", func(c *Carrier) { c.Pending = FieldModel }, FieldSerial},
		{"pending does not excuse a missing 编号", func(c *Carrier) { c.Number = "" }, FieldNumber},
		{"pending does not excuse a missing 责任人", func(c *Carrier) { c.Custodian = "" }, FieldCustodian},
		{"device with its serial", func(c *Carrier) { c.Serial, c.Pending = "AA12BB34", "" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := pendingDevice("D-1")
			tt.edit(&c)
			err := c.Validate(DefaultClassifications, today)
			var fe FieldErrors
			switch {
			case tt.wantField == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.wantField != "" && (!errors.As(err, &fe) || fe.For(tt.wantField) == ""):
				t.Errorf("err = %v, want a problem on %s", err, tt.wantField)
			}
		})
	}
}

func TestMarkPendingNamesTheCompletableFieldsMissing(t *testing.T) {
	tests := []struct {
		name string
		c    Carrier
		want string
	}{
		{"device without serial", Carrier{Kind: KindComputer}, FieldSerial},
		{"device with serial", Carrier{Kind: KindFax, Serial: "F1234"}, ""},
		{"paper needs no serial", Carrier{Kind: KindPaper}, ""},
		{"disc needs no serial", Carrier{Kind: KindDisc}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.c.MarkPending()
			if tt.c.Pending != tt.want {
				t.Errorf("Pending = %q, want %q", tt.c.Pending, tt.want)
			}
		})
	}
}

func TestNormalizeClearsTheFlagOfAFieldThatWasFilled(t *testing.T) {
	c := pendingDevice("D-1")
	c.Normalize()
	if c.Pending != FieldSerial {
		t.Fatalf("still missing, yet Pending = %q", c.Pending)
	}
	c.Serial = " AA12BB34 "
	c.Normalize()
	if c.Pending != "" || c.IsPending(FieldSerial) {
		t.Errorf("serial filled, yet Pending = %q", c.Pending)
	}
	paper := pendingDevice("D-2")
	paper.Kind = KindPaper
	paper.Normalize()
	if paper.Pending != "" {
		t.Errorf("a paper document needs no serial, yet Pending = %q", paper.Pending)
	}
}

func TestKeepPendingNeverFlagsAFieldTheStoredCarrierHadComplete(t *testing.T) {
	stored := pendingDevice("D-1")
	complete := stored
	complete.Serial, complete.Pending = "AA12BB34", ""
	tests := []struct {
		name        string
		old         Carrier
		edit        func(*Carrier)
		wantPending string
		wantErr     bool
	}{
		{"an edit of another field keeps the flag", stored, func(c *Carrier) { c.Location = "保密柜3号" }, FieldSerial, false},
		{"an edit that drops the flag keeps it", stored, func(c *Carrier) { c.Pending = "" }, FieldSerial, false},
		{"an edit that fills the serial clears it", stored, func(c *Carrier) { c.Serial = "AA12BB34" }, "", false},
		{"blanking the serial of a complete carrier is refused", complete, func(c *Carrier) { c.Serial = "" }, "", true},
		{"a forged flag does not excuse it", complete, func(c *Carrier) { c.Serial, c.Pending = "", FieldSerial }, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.old
			tt.edit(&c)
			err := c.KeepPending(tt.old)
			var fe FieldErrors
			if tt.wantErr != (err != nil) || tt.wantErr && (!errors.As(err, &fe) || fe.For(FieldSerial) != "设备类载体必须填写序列号") {
				t.Errorf("err = %v, want error %v", err, tt.wantErr)
			}
			if c.Pending != tt.wantPending {
				t.Errorf("Pending = %q, want %q", c.Pending, tt.wantPending)
			}
		})
	}
}

func TestACarrierWithoutPendingFieldsMarshalsAsBefore(t *testing.T) {
	b, err := json.Marshal(Carrier{Number: "A-1"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "pending") {
		t.Errorf("a complete carrier's JSON names pending: %s", b)
	}
	var c Carrier
	if err := json.Unmarshal([]byte(`{"id":"x","number":"A-1","kind":"U盘","serial":""}`), &c); err != nil || c.Pending != "" {
		t.Errorf("a record written before 待补全 reads as pending %q (%v)", c.Pending, err)
	}
}

func TestAlertsCountTheCarriersLeftPending(t *testing.T) {
	a, b := pendingDevice("D-1"), pendingDevice("D-2")
	done := pendingDevice("D-3")
	done.Serial, done.Pending = "X1234", ""
	destroyed := pendingDevice("D-4")
	destroyed.State = StateDestroyed
	alerts := Alerts([]Carrier{a, done, b, destroyed}, NewDate(2026, 11, 28), DefaultReviewDays)
	var numbers []string
	for _, al := range alerts {
		if al.Kind == AlertPending {
			numbers = append(numbers, al.Number)
			if !strings.Contains(al.Text, "缺少序列号") {
				t.Errorf("alert text %q does not name the missing field", al.Text)
			}
		}
	}
	if strings.Join(numbers, " ") != "D-1 D-2" {
		t.Errorf("pending alerts for %v, want D-1 D-2 (a destroyed carrier can no longer be read off)", numbers)
	}
	if s := AlertCounts(alerts); s != "2 件载体信息待补全" {
		t.Errorf("counts = %q", s)
	}
}

func TestFilterPendingShowsOnlyCarriersLeftPending(t *testing.T) {
	done := pendingDevice("D-2")
	done.Serial, done.Pending = "X1234", ""
	reg := NewRegister([]Carrier{pendingDevice("D-1"), done, pendingDevice("D-3")})
	var got []string
	for _, c := range reg.Find(Filter{Pending: true}, SortNumber, false) {
		got = append(got, c.Number)
	}
	if strings.Join(got, " ") != "D-1 D-3" {
		t.Errorf("待补全 filter = %v", got)
	}
	if n := len(reg.Find(Filter{}, SortNumber, false)); n != 3 {
		t.Errorf("no filter: %d carriers", n)
	}
}
