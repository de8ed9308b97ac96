package cli

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"baomi/data"
	"baomi/data/workspace"
)

// runKeys handles `baomi keys rotate`.
func runKeys(args []string, env Env) error {
	if len(args) == 0 || args[0] != "rotate" {
		return usageError{"baomi keys rotate [--data 目录]"}
	}
	fs := newFlags("keys rotate", env)
	dirFlag := fs.String("data", "", "数据目录")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{"多余的参数：" + fs.Arg(0)}
	}
	dir, err := dataDir(*dirFlag, env)
	if err != nil {
		return err
	}
	if !workspace.IsSetUp(dir) {
		return fmt.Errorf("%s: %w", dir, data.ErrNotSetUp)
	}
	pw, release, err := lockAndReadPassword(dir, env)
	if err != nil {
		return err
	}
	defer release()
	// The steps are logged for the window's log file; here they would be
	// noise between the progress lines, so they show only when debugging.
	cfg := env.Workspace
	if cfg.Logger == nil {
		cfg.Logger = log.New(io.Discard, "", 0)
		if os.Getenv("BAOMI_DEBUG") != "" {
			cfg.Logger = log.New(env.Stderr, "详情：", 0)
		}
	}
	ws, err := workspace.Unlock(dir, pw, cfg)
	if err != nil {
		return err
	}
	defer ws.Close()
	start := time.Now()
	shown := -1
	err = ws.RotateKeys(context.Background(), pw, cfg, func(done, total int) {
		// one line per tenth: a log, not a redrawn bar, so it reads the
		// same in a terminal and in a script's output
		if pct := 100 * done / max(total, 1); pct/10 > shown {
			shown = pct / 10
			fmt.Fprintf(env.Stderr, "更换密钥：%d%%（%d/%d）\n", pct, done, total)
		}
	})
	if err != nil {
		return err
	}
	head := ws.Head()
	fmt.Fprintf(env.Stdout, "已更换密钥（用时 %.1f 秒）：全部数据已用新密钥重新加密并校验通过，旧的数据库文件已删除。\n"+
		"审计链 #%d，校验码 %s（与更换前相同）。\n"+
		"密码和恢复码不变。旧的密钥文件（vault.json）副本从此打不开现在的数据；更换前做的备份仍可用当时的密钥文件和密码打开。\n",
		time.Since(start).Seconds(), head.Seq, head.Fingerprint())
	return nil
}
