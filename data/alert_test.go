package data

import (
	"strings"
	"testing"
)

func TestAlerts(t *testing.T) {
	today := NewDate(2026, 11, 28)
	base := func(n string) Carrier {
		return Carrier{ID: n, Number: n, Level: "机密", PeriodYears: 20, ReceivedOn: NewDate(2020, 1, 1), State: StateHeld}
	}
	overdue := base("A")
	overdue.State, overdue.Borrower, overdue.DueOn = StateLent, "王五", NewDate(2026, 11, 20)
	notYet := base("B")
	notYet.State, notYet.Borrower, notYet.DueOn = StateLent, "王五", NewDate(2026, 12, 20)
	expiring := base("C")
	expiring.PeriodYears, expiring.DeclassifyOn = 0, NewDate(2027, 1, 15)
	expired := base("D")
	expired.PeriodYears, expired.ReceivedOn = 10, NewDate(2016, 6, 1)
	missing := base("E")
	missing.Missing = true
	destroyed := base("F")
	destroyed.State, destroyed.Missing = StateDestroyed, true
	got := Alerts([]Carrier{overdue, notYet, expiring, expired, missing, destroyed}, today, DefaultReviewDays)
	var kinds []string
	for _, a := range got {
		kinds = append(kinds, string(a.Kind)+":"+a.Number)
	}
	want := "清点未找到:E 逾期未还:A 保密期限将届满:D 保密期限将届满:C"
	if strings.Join(kinds, " ") != want {
		t.Errorf("alerts = %v, want %s", kinds, want)
	}
	if !strings.Contains(got[1].Text, "已逾期 8 天") || !strings.Contains(got[2].Text, "已于 2026年6月1日 届满") {
		t.Errorf("texts: %q / %q", got[1].Text, got[2].Text)
	}
	if s := AlertCounts(got); s != "1 件清点未找到，1 件逾期未还，2 件保密期限将届满" {
		t.Errorf("counts = %q", s)
	}
	if AlertCounts(nil) != "" {
		t.Error("counts of nothing")
	}
}
