package data

import (
	"reflect"
	"testing"
	"time"
)

func TestLettersDueListsWhoHasNotSignedAndWhy(t *testing.T) {
	on := Person{ID: "p1", Name: "李明", Department: "办公室", State: PersonOnPost}
	left := Person{ID: "p2", Name: "王芳", Department: "财务科", State: PersonLeft, LeftOn: NewDate(2020, 1, 1)}
	exit := Person{ID: "p3", Name: "赵刚", Department: "财务科", State: PersonInExitPeriod, LeftOn: NewDate(2026, 6, 1)}
	printedIn := func(y int) time.Time { return time.Date(y, 12, 30, 9, 0, 0, 0, time.Local) }
	letter := func(person, kind string, year int, signed Date) LetterRecord {
		return LetterRecord{ID: person + kind, PersonID: person, Kind: kind, Year: year, Copies: 1,
			PrintedAt: printedIn(2026), SignedOn: signed}
	}
	onboardSigned := letter("p1", LetterOnboard, 2025, NewDate(2025, 3, 1))
	today := NewDate(2027, 1, 5)
	type due struct{ person, kind, reason string }
	tests := []struct {
		name    string
		people  []Person
		letters []LetterRecord
		year    int
		today   Date
		want    []due
	}{
		{"on the post with nothing printed", []Person{on}, nil, 2026, today,
			[]due{{"p1", LetterOnboard, "尚未打印上岗承诺书"}, {"p1", LetterAnnual, "尚未打印2026年度承诺书"}}},
		{"on the post with both signed", []Person{on},
			[]LetterRecord{onboardSigned, letter("p1", LetterAnnual, 2026, NewDate(2026, 12, 31))}, 2026, today, nil},
		{"a letter signed 2026-12-31 counts for 2026", []Person{on},
			[]LetterRecord{onboardSigned, letter("p1", LetterAnnual, 2026, NewDate(2026, 12, 31))}, 2026, today, nil},
		{"a letter of 2026 signed 2026-12-31 does not count for 2027", []Person{on},
			[]LetterRecord{onboardSigned, letter("p1", LetterAnnual, 2026, NewDate(2026, 12, 31))}, 2027, today,
			[]due{{"p1", LetterAnnual, "尚未打印2027年度承诺书"}}},
		{"a letter for 2027 printed in 2026 and signed counts for 2027", []Person{on},
			[]LetterRecord{onboardSigned, letter("p1", LetterAnnual, 2027, NewDate(2026, 12, 31))}, 2027, today, nil},
		{"a letter for 2027 printed in 2026 does not count for 2026", []Person{on},
			[]LetterRecord{onboardSigned, letter("p1", LetterAnnual, 2027, NewDate(2026, 12, 31))}, 2026, today,
			[]due{{"p1", LetterAnnual, "尚未打印2026年度承诺书"}}},
		{"the year's letter printed, not signed", []Person{on},
			[]LetterRecord{onboardSigned, letter("p1", LetterAnnual, 2026, Date{})}, 2026, today,
			[]due{{"p1", LetterAnnual, "2026年度承诺书已打印，尚未签署"}}},
		{"a signature dated after today does not count yet", []Person{on},
			[]LetterRecord{onboardSigned, letter("p1", LetterAnnual, 2026, NewDate(2027, 1, 6))}, 2026, today,
			[]due{{"p1", LetterAnnual, "2026年度承诺书已打印，尚未签署"}}},
		{"the 上岗 letter printed, not signed", []Person{on},
			[]LetterRecord{letter("p1", LetterOnboard, 2026, Date{}), letter("p1", LetterAnnual, 2026, NewDate(2026, 12, 31))}, 2026, today,
			[]due{{"p1", LetterOnboard, "上岗承诺书已打印，尚未签署"}}},
		{"left and in the 脱密期 need a 离岗 letter, no 年度 letter", []Person{exit, left}, nil, 2026, today,
			[]due{{"p2", LetterLeaving, "尚未打印离岗承诺书"}, {"p3", LetterLeaving, "尚未打印离岗承诺书"}}},
		{"left with a signed 离岗 letter", []Person{left},
			[]LetterRecord{letter("p2", LetterLeaving, 2020, NewDate(2026, 12, 30))}, 2026, today, nil},
		{"another person's letter does not count", []Person{left},
			[]LetterRecord{letter("p3", LetterLeaving, 2026, NewDate(2026, 12, 30))}, 2026, today,
			[]due{{"p2", LetterLeaving, "尚未打印离岗承诺书"}}},
		{"sorted by 部门 then 姓名 in pinyin order", []Person{
			{ID: "z", Name: "张三", Department: "保卫科", State: PersonLeft},
			{ID: "l", Name: "李四", Department: "保卫科", State: PersonLeft},
			{ID: "w", Name: "王五", Department: "办公室", State: PersonLeft}}, nil, 2026, today,
			[]due{{"w", LetterLeaving, "尚未打印离岗承诺书"}, {"l", LetterLeaving, "尚未打印离岗承诺书"}, {"z", LetterLeaving, "尚未打印离岗承诺书"}}},
		{"a 专项 letter counts for nothing", []Person{left},
			[]LetterRecord{letter("p2", LetterSpecial, 2026, NewDate(2026, 12, 30))}, 2026, today,
			[]due{{"p2", LetterLeaving, "尚未打印离岗承诺书"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []due
			for _, d := range LettersDue(tt.people, tt.letters, tt.year, tt.today) {
				got = append(got, due{d.Person.ID, d.Kind, d.Reason})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("LettersDue = %v\nwant %v", got, tt.want)
			}
		})
	}
}
