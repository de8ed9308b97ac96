package xlsx

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"baomi/data"
)

// Field keys of the personnel register a sheet column can feed, for a
// Mapping read by PersonRows.
const (
	PersonKeyName          = "name"          // 姓名
	PersonKeyGender        = "gender"        // 性别
	PersonKeyDepartment    = "department"    // 部门
	PersonKeyPost          = "post"          // 职务
	PersonKeyLevel         = "secrecyLevel"  // 涉密等级
	PersonKeyDeterminedOn  = "determinedOn"  // 确定日期
	PersonKeyVettedOn      = "vettedOn"      // 审查日期
	PersonKeyVettingResult = "vettingResult" // 审查结果
	PersonKeyTrainingHours = "trainingHours" // 培训学时
	PersonKeyState         = "state"         // 状态
	PersonKeyLeftOn        = "leftOn"        // 离岗日期
	PersonKeyStaffNumber   = "staffNumber"   // 人员编号
	PersonKeyNote          = "note"          // 备注
)

// personFields are the person keys in form order with their labels.
var personFields = []FieldInfo{
	{PersonKeyName, data.FieldName},
	{PersonKeyGender, data.FieldGender},
	{PersonKeyDepartment, data.FieldDepartment},
	{PersonKeyPost, data.FieldPost},
	{PersonKeyLevel, data.FieldSecrecyLevel},
	{PersonKeyDeterminedOn, data.FieldDeterminedOn},
	{PersonKeyVettedOn, data.FieldVettedOn},
	{PersonKeyVettingResult, data.FieldVettingResult},
	{PersonKeyTrainingHours, data.FieldTrainingHours},
	{PersonKeyState, data.FieldPersonState},
	{PersonKeyLeftOn, data.FieldLeftOn},
	{PersonKeyStaffNumber, data.FieldStaffNumber},
	{PersonKeyNote, data.FieldNote},
}

// personAliases maps a normalized header text to the person key it feeds;
// rank orders the aliases of one key, lower is better.
var personAliases = func() map[string]headerAlias {
	m := map[string]headerAlias{}
	add := func(key string, names ...string) {
		for i, n := range names {
			m[normalizeHeader(n)] = headerAlias{key, i}
		}
	}
	add(keyIgnore, "序号", "顺序号")
	add(PersonKeyName, "姓名", "名字", "人员姓名", "涉密人员姓名")
	add(PersonKeyGender, "性别")
	add(PersonKeyDepartment, "部门", "单位", "科室", "所在部门", "所在单位", "处室", "部门(单位)")
	add(PersonKeyPost, "职务", "岗位", "职务(岗位)", "职务/岗位", "涉密岗位", "职务职级", "职称")
	add(PersonKeyLevel, "涉密等级", "涉密类别", "等级", "涉密程度", "类别")
	add(PersonKeyDeterminedOn, "确定日期", "确定时间", "确定涉密等级日期", "认定日期", "认定时间")
	add(PersonKeyVettedOn, "审查日期", "审查时间", "保密审查日期")
	add(PersonKeyVettingResult, "审查结果", "审查结论", "审查情况")
	add(PersonKeyTrainingHours, "培训学时", "学时", "培训时长", "保密培训学时")
	add(PersonKeyState, "状态", "人员状态", "在岗状态", "当前状态")
	add(PersonKeyLeftOn, "离岗日期", "离岗时间", "离岗离职日期", "离职日期")
	add(PersonKeyStaffNumber, "人员编号", "工号", "编号", "职工编号", "员工编号")
	add(PersonKeyNote, "备注", "说明")
	return m
}()

// matchPersonHeader returns the person alias a header cell matches, with
// its parenthesised parts and then without (学时(小时) is 学时).
func matchPersonHeader(cell string) (headerAlias, bool) {
	n := normalizeHeader(cell)
	if n == "" {
		return headerAlias{}, false
	}
	if a, ok := personAliases[n]; ok {
		return a, true
	}
	s := stripParens(n)
	if s == "" || s == n {
		return headerAlias{}, false
	}
	a, ok := personAliases[s]
	return a, ok
}

// FindPeopleHeader looks in the first 15 rows for the header row of a
// personnel list: the one with a 姓名 column whose cells match the most
// known person headers. It returns the row's index in Cells and the
// mapping, or -1 and an empty mapping when no row has a 姓名 column and
// another known header.
func (s *Sheet) FindPeopleHeader() (row int, mapping Mapping) {
	best, bestScore := -1, 1
	for i := 0; i < len(s.Cells) && i < headerRowsScanned; i++ {
		m, score := suggestPersonMapping(s.Cells[i])
		if _, hasName := mappedCol(m, PersonKeyName); hasName && score > bestScore {
			best, bestScore, mapping = i, score, m
		}
	}
	if best < 0 {
		return -1, Mapping{}
	}
	return best, mapping
}

// mappedCol returns the column m maps to key.
func mappedCol(m Mapping, key string) (int, bool) {
	for col, k := range m {
		if k == key {
			return col, true
		}
	}
	return 0, false
}

// suggestPersonMapping maps each person field to the column with its best
// alias, the leftmost on a tie, and counts the distinct known headers.
func suggestPersonMapping(cells []string) (Mapping, int) {
	type pick struct{ col, rank int }
	best := map[string]pick{}
	known := map[string]bool{}
	for col, c := range cells {
		a, ok := matchPersonHeader(c)
		if !ok {
			continue
		}
		if a.key == keyIgnore {
			known[normalizeHeader(c)] = true
			continue
		}
		known[a.key] = true
		if p, ok := best[a.key]; !ok || a.rank < p.rank {
			best[a.key] = pick{col, a.rank}
		}
	}
	m := Mapping{}
	for key, p := range best {
		m[p.col] = key
	}
	return m, len(known)
}

// PersonRow is one sheet row read as a person.
type PersonRow struct {
	// Line is the sheet's row number, 1-based, as Excel shows it.
	Line int
	// Person holds the parsed fields, normalized (data.Person.Normalize).
	// ID and the timestamps are empty.
	Person data.Person
	// Fields lists the keys of the fields the sheet supplied, in form
	// order. Only these change when the row updates a person.
	Fields []string
	// Skip is set for rows that are not people: blank rows, total rows
	// and repeated header or title rows; SkipReason says why in Chinese.
	Skip       bool
	SkipReason string
	// Problems lists the values that could not be read and the broken
	// register rules (data.Person.Validate). A row with problems is
	// refused.
	Problems data.FieldErrors
}

// PersonRows reads the rows below headerRow (as FindPeopleHeader returns)
// as people, with the columns mapped by m, checked against today (zero
// means today).
func (s *Sheet) PersonRows(headerRow int, m Mapping, today data.Date) []PersonRow {
	if today.IsZero() {
		today = data.Today()
	}
	cols := map[string]int{}
	for col, key := range m {
		if col < 0 {
			continue
		}
		if old, ok := cols[key]; !ok || col < old {
			cols[key] = col
		}
	}
	var present []string
	for _, f := range personFields {
		if _, ok := cols[f.Key]; ok {
			present = append(present, f.Key)
		}
	}
	p := &rowParser{s: s, cols: cols}
	var rows []PersonRow
	for i := max(headerRow+1, 0); i < len(s.Cells); i++ {
		r := parsePerson(p, i, today)
		r.Fields = present
		rows = append(rows, r)
	}
	return rows
}

// parsePerson reads sheet row i as a person.
func parsePerson(p *rowParser, i int, today data.Date) PersonRow {
	p.i, p.errs = i, nil
	row := PersonRow{Line: i + 1}
	if reason := personSkipReason(p); reason != "" {
		row.Skip, row.SkipReason = true, reason
		return row
	}
	per := data.Person{
		StaffNumber:   p.text(PersonKeyStaffNumber),
		Name:          p.text(PersonKeyName),
		Gender:        parseGender(p.text(PersonKeyGender)),
		Department:    p.text(PersonKeyDepartment),
		Post:          p.text(PersonKeyPost),
		Level:         parseSecrecyLevel(p.text(PersonKeyLevel)),
		VettingResult: p.text(PersonKeyVettingResult),
		Note:          p.text(PersonKeyNote),
	}
	per.DeterminedOn = p.date(PersonKeyDeterminedOn, data.FieldDeterminedOn)
	per.VettedOn = p.date(PersonKeyVettedOn, data.FieldVettedOn)
	per.LeftOn = p.date(PersonKeyLeftOn, data.FieldLeftOn)
	if v := p.text(PersonKeyTrainingHours); v != "" {
		h, err := parseHours(v)
		if err != nil {
			p.problem(data.FieldTrainingHours, "“%s”不是数字，应填写学时数，如 12 或 4.5", v)
		}
		per.TrainingHours = h
	}
	per.State = parsePersonState(p.text(PersonKeyState), per.LeftOn)
	per.Normalize()
	// Only the supplied fields are checked here: a list without a 涉密等级
	// column may still update the people it names. PlanPeople checks the
	// whole person a row adds or updates.
	var fe data.FieldErrors
	if err := per.Validate(today); errors.As(err, &fe) {
		for _, e := range fe {
			if supplied(p.cols, e.Field) && p.errs.For(e.Field) == "" {
				p.errs = append(p.errs, e)
			}
		}
	}
	row.Person, row.Problems = per, p.errs
	return row
}

// supplied reports whether the sheet has a column for the field labelled
// label; the 状态 and 离岗日期 go together.
func supplied(cols map[string]int, label string) bool {
	for _, f := range personFields {
		if f.Label != label {
			continue
		}
		_, ok := cols[f.Key]
		if f.Key == PersonKeyState || f.Key == PersonKeyLeftOn {
			_, state := cols[PersonKeyState]
			_, left := cols[PersonKeyLeftOn]
			ok = state || left
		}
		return ok
	}
	return false
}

// personSkipReason tells whether the current row is not a person.
func personSkipReason(p *rowParser) string {
	var mapped []string
	for _, col := range p.cols {
		if v := strings.TrimSpace(p.s.Cell(p.i, col)); v != "" {
			mapped = append(mapped, v)
		}
	}
	if len(mapped) == 0 {
		return "空行"
	}
	// A total row has 合计 somewhere and no 涉密等级 or 部门 (合计 | 2人
	// puts the count in the 姓名 column).
	if name := p.text(PersonKeyName); name == "" || isTotal(name) || p.text(PersonKeyLevel)+p.text(PersonKeyDepartment) == "" {
		for _, v := range p.s.Cells[p.i] {
			if isTotal(v) {
				return "合计行"
			}
		}
	}
	return layoutRow(mapped, func(v string) bool { _, ok := matchPersonHeader(v); return ok })
}

// parseGender reads 男, 女, 男性, 女性 or M/F; anything else is kept for
// Validate to name.
func parseGender(v string) string {
	switch strings.ToUpper(compact(data.HalfWidth(v))) {
	case "男", "男性", "M":
		return data.GenderMale
	case "女", "女性", "F":
		return data.GenderFemale
	}
	return v
}

// parseSecrecyLevel reads 核心, 核心涉密人员, 重要涉密 and the like; anything
// else is kept for Validate to name.
func parseSecrecyLevel(v string) string {
	c := compact(v)
	c = strings.TrimSuffix(c, "人员")
	c = strings.TrimSuffix(c, "涉密")
	c = strings.TrimSuffix(c, "级")
	for _, l := range data.SecrecyLevels {
		if c == l {
			return l
		}
	}
	return v
}

// parsePersonState reads the 状态 cell: blank is 在岗, or 离岗 when the
// row has a 离岗日期; 离职, 调离 and 退休 are 离岗; 脱密期 is 脱密期中.
func parsePersonState(v string, leftOn data.Date) string {
	switch compact(v) {
	case "":
		if leftOn.IsZero() {
			return data.PersonOnPost
		}
		return data.PersonLeft
	case "在岗", "在职":
		return data.PersonOnPost
	case "离岗", "离职", "调离", "退休", "已离岗", "已离职":
		return data.PersonLeft
	case "脱密期中", "脱密期", "脱密", "脱密中":
		return data.PersonInExitPeriod
	}
	return v
}

// parseHours reads a 培训学时 cell: 12, 4.5, 12学时, 8小时.
func parseHours(v string) (float64, error) {
	s := compact(data.HalfWidth(v))
	for _, unit := range []string{"学时", "小时", "课时", "h", "H"} {
		s = strings.TrimSuffix(s, unit)
	}
	h, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("training hours %q: %w", v, err)
	}
	return h, nil
}

// PeopleSheetName is the name of the worksheet WritePeople creates.
const PeopleSheetName = "涉密人员名单"

var personColumns = []exportColumn[data.Person]{
	{"序号", 6, func(i int, _ *data.Person) any { return i + 1 }},
	{data.FieldName, 10, func(_ int, p *data.Person) any { return p.Name }},
	{data.FieldGender, 6, func(_ int, p *data.Person) any { return p.Gender }},
	{data.FieldDepartment, 16, func(_ int, p *data.Person) any { return p.Department }},
	{data.FieldPost, 14, func(_ int, p *data.Person) any { return p.Post }},
	{data.FieldSecrecyLevel, 9, func(_ int, p *data.Person) any { return p.Level }},
	{data.FieldDeterminedOn, 16, func(_ int, p *data.Person) any { return p.DeterminedOn }},
	{data.FieldVettedOn, 16, func(_ int, p *data.Person) any { return p.VettedOn }},
	{data.FieldVettingResult, 12, func(_ int, p *data.Person) any { return p.VettingResult }},
	{data.FieldTrainingHours, 9, func(_ int, p *data.Person) any { return p.TrainingHours }},
	{data.FieldPersonState, 9, func(_ int, p *data.Person) any { return p.State }},
	{data.FieldLeftOn, 16, func(_ int, p *data.Person) any { return p.LeftOn }},
	{data.FieldStaffNumber, 14, func(_ int, p *data.Person) any { return p.StaffNumber }},
	{data.FieldNote, 24, func(_ int, p *data.Person) any { return p.Note }},
}

// WritePeople exports people as an .xlsx personnel list in the layout of
// Write: a merged title row, the header row (序号, 姓名 … 人员编号, 备注),
// one row per person, dates as date cells. The file imports back unchanged
// (Read, FindPeopleHeader, PersonRows, PlanPeople).
func WritePeople(w io.Writer, title string, people []data.Person) error {
	return writeBook(w, PeopleSheetName, title, personColumns, people)
}

// PersonAction is what importing one person row would do.
type PersonAction struct {
	// Row is the row planned.
	Row *PersonRow
	// Op is OpImport, OpUpdate, OpUnchanged or OpRefuse.
	Op string
	// Reason explains Op in Chinese: the problems of a refused row, how
	// the row was matched and the fields an update changes.
	Reason string
	// Existing is the registered person the row matches, for an update or
	// an unchanged row; nil otherwise.
	Existing *data.Person
	// Updated is Existing with the row's fields applied, for an update.
	Updated data.Person
}

// Label names the operation in Chinese: 导入, 更新, 无变化 or 拒绝.
func (a PersonAction) Label() string {
	return map[string]string{OpImport: "导入", OpUpdate: "更新", OpUnchanged: "无变化", OpRefuse: "拒绝"}[a.Op]
}

// personKey is the 姓名+部门 a person without a 人员编号 is matched by.
func personKey(p *data.Person) string { return p.Name + "\x00" + p.Department }

// PlanPeople returns what importing rows would do to the register
// existing, one action per row that is not skipped, in sheet order. A row
// matches a registered person by its 人员编号 when it has one (or, when no
// one has that number, a registered person without a number with the same
// 姓名 and 部门, who then gets the number); a row without a 人员编号 matches
// by 姓名 and 部门. A row is refused for its problems, for repeating an
// earlier row's person, for matching two registered people, or when the
// person it updates would break a register rule; no row is refused for
// another's problems. Checked against today (zero means today).
func PlanPeople(rows []PersonRow, existing []data.Person, today data.Date) []PersonAction {
	if today.IsZero() {
		today = data.Today()
	}
	byNumber := map[string]*data.Person{}
	byName := map[string][]*data.Person{}
	for i := range existing {
		p := &existing[i]
		if p.StaffNumber != "" {
			byNumber[p.StaffNumber] = p
		}
		byName[personKey(p)] = append(byName[personKey(p)], p)
	}
	firstLine := map[string]int{}
	taken := map[*data.Person]int{}
	var actions []PersonAction
	for i := range rows {
		r := &rows[i]
		if r.Skip {
			continue
		}
		a := PersonAction{Row: r}
		var reasons []string
		if len(r.Problems) > 0 {
			reasons = append(reasons, r.Problems.Error())
		}
		per := &r.Person
		var old *data.Person
		how := ""
		if len(reasons) == 0 {
			key := "姓名\x00" + personKey(per)
			if per.StaffNumber != "" {
				key = "编号\x00" + per.StaffNumber
			}
			if line, dup := firstLine[key]; dup {
				reasons = append(reasons, fmt.Sprintf("与第 %d 行是同一人", line))
			} else {
				firstLine[key] = r.Line
			}
		}
		if len(reasons) == 0 {
			var same []*data.Person
			if per.StaffNumber != "" {
				if p := byNumber[per.StaffNumber]; p != nil {
					old, how = p, "按人员编号 "+per.StaffNumber+" 匹配"
				} else {
					for _, p := range byName[personKey(per)] {
						if p.StaffNumber == "" {
							same = append(same, p)
						}
					}
					how = "按姓名和部门匹配，补上人员编号"
				}
			} else {
				same = byName[personKey(per)]
				how = "按姓名和部门匹配"
			}
			switch {
			case old != nil:
			case len(same) == 1:
				old = same[0]
			case len(same) > 1:
				reasons = append(reasons, fmt.Sprintf("台账中有 %d 位同姓名同部门的人员，请在表中填写人员编号以区分", len(same)))
			}
		}
		if len(reasons) == 0 && old != nil {
			if line, dup := taken[old]; dup {
				reasons = append(reasons, fmt.Sprintf("与第 %d 行匹配到台账中的同一人", line))
			} else {
				taken[old] = r.Line
			}
		}
		switch {
		case len(reasons) > 0:
		case old != nil:
			a.Existing = old
			a.Updated = ApplyPerson(*old, *r)
			if err := a.Updated.Validate(today); err != nil {
				reasons = append(reasons, "更新后"+err.Error())
			}
		default:
			if err := per.Validate(today); err != nil {
				reasons = append(reasons, err.Error())
			}
		}
		switch {
		case len(reasons) > 0:
			a.Op, a.Reason, a.Existing = OpRefuse, strings.Join(reasons, "；"), nil
		case old == nil:
			a.Op, a.Reason = OpImport, "新人员，将登记"
		default:
			if changed := PersonChanges(*old, a.Updated); len(changed) == 0 {
				a.Op, a.Reason = OpUnchanged, how+"，与名单中的记录相同"
			} else {
				a.Op, a.Reason = OpUpdate, how+"，将更新："+strings.Join(changed, "、")
			}
		}
		actions = append(actions, a)
	}
	return actions
}

// SummarizePeople is the one-line count of a plan's operations.
func SummarizePeople(actions []PersonAction) string {
	n := map[string]int{}
	for _, a := range actions {
		n[a.Op]++
	}
	return fmt.Sprintf("将导入 %d 人，更新 %d 人，无变化 %d 人，拒绝 %d 行",
		n[OpImport], n[OpUpdate], n[OpUnchanged], n[OpRefuse])
}

// ApplyPerson returns old with the fields the row's sheet supplied
// (r.Fields) taken from the row; the ID, the timestamps and the fields the
// sheet lacks stay. The 状态 and 离岗日期 go together: a sheet giving
// either gives both (a blank 状态 is read from the 离岗日期). A blank
// 人员编号 keeps the stored one.
func ApplyPerson(old data.Person, r PersonRow) data.Person {
	p, src := old, &r.Person
	for _, key := range r.Fields {
		switch key {
		case PersonKeyName:
			p.Name = src.Name
		case PersonKeyGender:
			p.Gender = src.Gender
		case PersonKeyDepartment:
			p.Department = src.Department
		case PersonKeyPost:
			p.Post = src.Post
		case PersonKeyLevel:
			p.Level = src.Level
		case PersonKeyDeterminedOn:
			p.DeterminedOn = src.DeterminedOn
		case PersonKeyVettedOn:
			p.VettedOn = src.VettedOn
		case PersonKeyVettingResult:
			p.VettingResult = src.VettingResult
		case PersonKeyTrainingHours:
			p.TrainingHours = src.TrainingHours
		case PersonKeyState, PersonKeyLeftOn:
			p.State, p.LeftOn = src.State, src.LeftOn
		case PersonKeyStaffNumber:
			if src.StaffNumber != "" {
				p.StaffNumber = src.StaffNumber
			}
		case PersonKeyNote:
			p.Note = src.Note
		}
	}
	return p
}

// PersonChanges returns the labels of the fields that differ between old
// and updated, in form order; none means they are the same.
func PersonChanges(old, updated data.Person) []string {
	var changed []string
	for _, f := range personFields {
		if personValue(&old, f.Key) != personValue(&updated, f.Key) {
			changed = append(changed, f.Label)
		}
	}
	return changed
}

// personValue returns a person field as comparable text.
func personValue(p *data.Person, key string) string {
	switch key {
	case PersonKeyName:
		return p.Name
	case PersonKeyGender:
		return p.Gender
	case PersonKeyDepartment:
		return p.Department
	case PersonKeyPost:
		return p.Post
	case PersonKeyLevel:
		return p.Level
	case PersonKeyDeterminedOn:
		return p.DeterminedOn.String()
	case PersonKeyVettedOn:
		return p.VettedOn.String()
	case PersonKeyVettingResult:
		return p.VettingResult
	case PersonKeyTrainingHours:
		return strconv.FormatFloat(p.TrainingHours, 'f', -1, 64)
	case PersonKeyState:
		return p.State
	case PersonKeyLeftOn:
		return p.LeftOn.String()
	case PersonKeyStaffNumber:
		return p.StaffNumber
	case PersonKeyNote:
		return text(p.Note)
	}
	return ""
}

// WritePeopleCSV exports people as a CSV personnel list with the rows of
// WritePeople: UTF-8 with a byte-order mark (so that Excel and WPS open it
// as UTF-8), dates as 2026年11月28日. It imports back unchanged.
func WritePeopleCSV(w io.Writer, title string, people []data.Person) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rec := make([]string, len(personColumns))
	rec[0] = title
	cw.Write(rec)
	for j, col := range personColumns {
		rec[j] = col.header
	}
	cw.Write(rec)
	for i := range people {
		for j, col := range personColumns {
			switch v := col.value(i, &people[i]).(type) {
			case data.Date:
				rec[j] = ""
				if !v.IsZero() {
					rec[j] = v.Chinese()
				}
			case int:
				rec[j] = strconv.Itoa(v)
			case float64:
				rec[j] = strconv.FormatFloat(v, 'f', -1, 64)
			case string:
				rec[j] = v
			}
		}
		cw.Write(rec)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}
