package datatest

import (
	"os/exec"
	"regexp"
	"strings"
)

// PDFPages returns the text of each page of the PDF at path, white space
// removed (so that text the layout splits into columns or lines can still
// be found), through pdftotext -layout; Need decides what happens when
// pdftotext is missing.
func PDFPages(t T, path string) []string {
	t.Helper()
	tool := Need(t, "pdftotext")
	if tool == "" {
		return nil
	}
	out, err := exec.Command(tool, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
		return nil
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	for i, p := range pages {
		pages[i] = strings.Join(strings.Fields(p), "")
	}
	return pages
}

// printedCode is the left of a footer, "台账校验码：…", followed by the
// page number at its right, "第n页共N页".
var printedCode = regexp.MustCompile(`台账校验码：(.{0,40}?)第\d+页共\d+页`)

// PrintedCodes returns, for each page (as PDFPages gives it), every
// 台账校验码 printed in its footer: what follows "台账校验码：" up to the
// page number beside it.
func PrintedCodes(pages []string) [][]string {
	out := make([][]string, len(pages))
	for i, p := range pages {
		for _, m := range printedCode.FindAllStringSubmatch(p, -1) {
			out[i] = append(out[i], m[1])
		}
	}
	return out
}

// Fingerprint is the 台账校验码 of an audit head whose hash is hexHash:
// its first twelve hex digits in groups of four. It is worked out here,
// apart from store.Head.Fingerprint, so that tests compare the printed
// code with the head itself, not with the code the program computed.
func Fingerprint(hexHash string) string {
	if len(hexHash) < 12 {
		return ""
	}
	return hexHash[0:4] + "-" + hexHash[4:8] + "-" + hexHash[8:12]
}
