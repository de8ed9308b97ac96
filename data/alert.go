package data

import (
	"fmt"
	"sort"
)

// AlertKind names what needs the officer's attention.
type AlertKind string

// Alert kinds.
const (
	AlertOverdue  AlertKind = "逾期未还"
	AlertExpiring AlertKind = "保密期限将届满"
	AlertMissing  AlertKind = "清点未找到"
	AlertPending  AlertKind = "载体信息待补全"
)

// Alert is one carrier needing attention.
type Alert struct {
	Kind      AlertKind
	CarrierID string
	Number    string
	Text      string // one Chinese sentence
	On        Date   // the date that matters (due date, end of period)
}

// DefaultReviewDays is how far ahead ending periods are flagged for review.
const DefaultReviewDays = 90

// PeriodEnds returns the day a carrier's 保密期限 ends: its 解密时间, or the
// receipt date plus its period in years; zero for a condition or no period.
func (c Carrier) PeriodEnds() Date {
	switch {
	case !c.DeclassifyOn.IsZero():
		return c.DeclassifyOn
	case c.PeriodYears > 0 && !c.ReceivedOn.IsZero():
		return DateOf(c.ReceivedOn.Time().AddDate(c.PeriodYears, 0, 0))
	}
	return Date{}
}

// Overdue reports whether c is lent and past its due date on today (the
// rule of Life.Overdue, on the register's derived fields).
func (c Carrier) Overdue(today Date) bool {
	return Life{State: c.State, DueOn: c.DueOn}.Overdue(today)
}

// Alerts lists, for carriers still held or lent, the loans past due, the
// periods ending within reviewDays of today (for 解密 review), those the
// last stocktake did not find, and those an import left 待补全 (held or
// lent, the missing detail can still be read off the carrier). Most urgent
// first within each kind.
func Alerts(carriers []Carrier, today Date, reviewDays int) []Alert {
	var out []Alert
	horizon := DateOf(today.Time().AddDate(0, 0, reviewDays))
	for _, c := range carriers {
		if c.State != StateHeld && c.State != StateLent {
			continue
		}
		if c.Overdue(today) {
			days := int(today.Time().Sub(c.DueOn.Time()).Hours() / 24)
			out = append(out, Alert{AlertOverdue, c.ID, c.Number,
				fmt.Sprintf("%s 借给 %s，应于 %s 归还，已逾期 %d 天。", c.Number, c.Borrower, c.DueOn.Chinese(), days), c.DueOn})
		}
		if end := c.PeriodEnds(); !end.IsZero() && end.Before(horizon) {
			verb := "将于"
			if end.Before(today) {
				verb = "已于"
			}
			out = append(out, Alert{AlertExpiring, c.ID, c.Number,
				fmt.Sprintf("%s（%s）保密期限%s %s 届满，请审查是否解密或延长。", c.Number, c.Mark(), verb, end.Chinese()), end})
		}
		if c.Missing {
			out = append(out, Alert{AlertMissing, c.ID, c.Number,
				fmt.Sprintf("%s 在最近一次清点中未找到，请立即查找并报告。", c.Number), c.LastSeen})
		}
		if c.Pending != "" {
			out = append(out, Alert{AlertPending, c.ID, c.Number,
				fmt.Sprintf("%s（%s）导入时缺少%s，请补全。", c.Number, c.Title, c.Pending), c.ReceivedOn})
		}
	}
	rank := map[AlertKind]int{AlertMissing: 0, AlertOverdue: 1, AlertExpiring: 2, AlertPending: 3}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return rank[out[i].Kind] < rank[out[j].Kind]
		}
		return out[i].On.Before(out[j].On)
	})
	return out
}

// AlertCounts summarises alerts as "2 件逾期未还，1 件清点未找到，3 件载体信息待补全".
func AlertCounts(alerts []Alert) string {
	n := map[AlertKind]int{}
	for _, a := range alerts {
		n[a.Kind]++
	}
	var parts []string
	for _, k := range []AlertKind{AlertMissing, AlertOverdue, AlertExpiring, AlertPending} {
		if n[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d 件%s", n[k], k))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return joinCN(parts)
}

func joinCN(parts []string) string {
	s := parts[0]
	for _, p := range parts[1:] {
		s += "，" + p
	}
	return s
}
