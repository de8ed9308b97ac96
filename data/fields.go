package data

// Which fields a record requires, and which describe which kind of carrier:
// what forms mark with * and show or hide. The rules themselves are
// Carrier.Validate and CheckEvent; TestRequiredFieldsAreWhatTheRulesAskFor
// keeps these lists equal to what they refuse an empty record for.

// CarrierRequiredFields returns the labels of the fields Validate requires
// of a carrier of kind ("" when no kind is chosen yet), in form order. The
// 保密期限, 解密时间 and 解密条件 are not among them: a level with a
// default period asks for one of the three, and the form fills the period
// in from the level.
func CarrierRequiredFields(kind string) []string {
	fields := []string{FieldNumber, FieldTitle, FieldKind, FieldLevel, FieldReceivedOn, FieldCopies, FieldCustodian}
	if IsDeviceKind(kind) {
		fields = append(fields, FieldSerial)
	}
	return fields
}

// DeviceFields are the fields only a device (IsDeviceKind) has.
var DeviceFields = []string{FieldModel, FieldSerial}

// DocumentFields are the fields of a document that a device has not: who
// issued it, under which 文号, which of its copies.
var DocumentFields = []string{FieldSource, FieldDocNumber, FieldCopyNumbers}

// CarrierFieldApplies reports whether the field labelled field describes a
// carrier of kind: device fields only devices, document fields all but
// devices, the others every carrier. No kind chosen counts as not a device.
func CarrierFieldApplies(kind, field string) bool {
	switch {
	case contains(DeviceFields, field):
		return IsDeviceKind(kind)
	case contains(DocumentFields, field):
		return !IsDeviceKind(kind)
	}
	return true
}

// EventRequiredFields returns the labels of the fields CheckEvent requires
// of a step of kind.
func EventRequiredFields(kind EventKind) []string {
	fields := []string{FieldEventDate, FieldOperator}
	switch kind {
	case EventLend:
		fields = append(fields, FieldBorrower, FieldApprover, FieldDueOn)
	case EventReturn:
		fields = append(fields, FieldCheckedBy)
	case EventCirculate:
		fields = append(fields, FieldReaders)
	case EventCopy:
		fields = append(fields, FieldCopyCount, FieldApprover)
	case EventHandover:
		fields = append(fields, FieldToUnit, FieldApprover)
	case EventChange:
		fields = append(fields, FieldNewLevel, FieldApprover, FieldReason)
	case EventDeclassify:
		fields = append(fields, FieldApprover, FieldReason)
	case EventDestroy:
		fields = append(fields, FieldMethod, FieldPlace, FieldWitness, FieldApprover)
	case EventCorrect:
		fields = append(fields, FieldVoids, FieldReason)
	}
	return fields
}

// PersonRequiredFields returns the labels of the fields Person.Validate
// requires of a person in state, in form order: 离岗日期 only when the
// state says the person has left.
func PersonRequiredFields(state string) []string {
	fields := []string{FieldName, FieldSecrecyLevel, FieldPersonState}
	if state == PersonLeft || state == PersonInExitPeriod {
		fields = append(fields, FieldLeftOn)
	}
	return fields
}
