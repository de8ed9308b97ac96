package data

import (
	"fmt"
	"sort"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// LetterDue is one 保密承诺书 a person should have signed and has not:
// the person, the kind of letter, and why, in Chinese.
type LetterDue struct {
	Person Person
	Kind   string // LetterOnboard, LetterAnnual or LetterLeaving
	Reason string
}

// LettersDue returns the letters people should have signed and have not,
// by their recorded state: a person 在岗 needs a signed 上岗 letter and
// the signed 年度 letter of year (the year the letter is for, whatever
// day it was printed or signed on); a person 离岗 or 脱密期中 needs a
// signed 离岗 letter. A signature dated after today does not count yet.
// The result is sorted by 部门 then 姓名 in pinyin order, as the
// registers' choices are, a person's letters in the
// order 上岗, 年度, 离岗.
func LettersDue(people []Person, letters []LetterRecord, year int, today Date) []LetterDue {
	type key struct {
		person, kind string
		year         int
	}
	signed := map[key]bool{}
	printed := map[key]bool{}
	for _, l := range letters {
		y := l.Year
		if l.Kind != LetterAnnual {
			y = 0 // only the 年度 letter is per year
		}
		k := key{l.PersonID, l.Kind, y}
		printed[k] = true
		if !l.SignedOn.IsZero() && !today.Before(l.SignedOn) {
			signed[k] = true
		}
	}
	var out []LetterDue
	need := func(p Person, kind string, y int, what string) {
		k := key{p.ID, kind, y}
		switch {
		case signed[k]:
			return
		case printed[k]:
			out = append(out, LetterDue{p, kind, what + "已打印，尚未签署"})
		default:
			out = append(out, LetterDue{p, kind, "尚未打印" + what})
		}
	}
	for _, p := range people {
		switch p.State {
		case PersonOnPost:
			need(p, LetterOnboard, 0, "上岗承诺书")
			need(p, LetterAnnual, year, fmt.Sprintf("%d年度承诺书", year))
		case PersonLeft, PersonInExitPeriod:
			need(p, LetterLeaving, 0, "离岗承诺书")
		}
	}
	rank := map[string]int{LetterOnboard: 0, LetterAnnual: 1, LetterLeaving: 2}
	col := collate.New(language.Chinese)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Person, out[j].Person
		if c := col.CompareString(a.Department, b.Department); c != 0 {
			return c < 0
		}
		if c := col.CompareString(a.Name, b.Name); c != 0 {
			return c < 0
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return rank[out[i].Kind] < rank[out[j].Kind]
	})
	return out
}
