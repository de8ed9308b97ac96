package xlsx

import (
	"regexp"
	"strings"

	"baomi/data"
)

// serialPattern finds a serial number written into 备注: 序列号 AA12BB34,
// 序列号：AA12BB34, 序列号为AA12, 序列号(SN) AA12, SN AA12, SN:AA12,
// S/N: AA12 (any case). SN must stand alone (SNMP, MSN are words, not the
// label) and be followed by a colon or a space; 序列号 needs neither, as
// Chinese text runs into the Latin serial.
var serialPattern = regexp.MustCompile(`(?i)(?:序列号(?:\s*\(\s*S/?N\s*\))?(?:为|是)?\s*:?\s*|\bS/?N(?:\s*:\s*|\s+))([A-Z0-9][A-Z0-9._-]*)`)

// SerialInNote returns the serial number a 备注 names after 序列号, SN or
// S/N, or "" when it names none, or several different ones (a computer
// with its monitor: which one is the carrier's is for the officer to say).
// A serial has at least 4 characters and a digit, so that "S/N: 未知",
// "SN: N/A" and "序列号待补" give none.
func SerialInNote(note string) string {
	found := ""
	for _, m := range serialPattern.FindAllStringSubmatch(data.HalfWidth(note), -1) {
		sn := strings.TrimRight(m[1], "._-")
		if len(sn) < 4 || !strings.ContainsAny(sn, "0123456789") {
			continue
		}
		if found != "" && found != sn {
			return ""
		}
		found = sn
	}
	return found
}
