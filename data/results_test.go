package data

import (
	"errors"
	"fmt"
	"testing"
)

type foundErr struct{ where string }

func (e *foundErr) Error() string   { return "found: " + e.where }
func (e *foundErr) Chinese() string { return "第 3 条审计记录处：" + e.where }

func TestDetailNamesWhatAnErrorInTheChainFound(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want string
	}{
		{"no error", nil, ""},
		{"a plain error", errors.New("x"), ""},
		{"a user message only", Userf(ErrCorrupt, "数据文件已损坏。"), ""},
		{"the finding itself", &foundErr{"哈希不符"}, "第 3 条审计记录处：哈希不符"},
		{"the finding wrapped twice", fmt.Errorf("open: %w", Userf(&foundErr{"记录缺失"}, "审计链校验未通过。")), "第 3 条审计记录处：记录缺失"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detail(tc.err); got != tc.want {
				t.Errorf("Detail = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFingerprintGroupsTheFirstTwelveHexDigits(t *testing.T) {
	for _, tc := range []struct {
		name string
		head AuditHead
		want string
	}{
		{"empty chain", AuditHead{}, "—"},
		{"short hash", AuditHead{Seq: 1, Hash: "abc"}, "—"},
		{"a head", AuditHead{Seq: 7, Hash: "9e6441275d2a6c444a5bc3a5"}, "9e64-4127-5d2a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.head.Fingerprint(); got != tc.want {
				t.Errorf("Fingerprint = %q, want %q", got, tc.want)
			}
		})
	}
}
