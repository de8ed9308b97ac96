// Command baomi is 保密工作台, the secrecy office's workstation. With no
// command it starts the window; `baomi init|verify|version` run from the
// command line (see app/cli).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"baomi/app/cli"
	_ "baomi/app/fynelocale/restore" // Fyne's init gets a locale it can parse (LANG=C.UTF-8)
	"baomi/app/theme"
	"baomi/app/ui"
	"baomi/app/version"
	"baomi/data"
	"baomi/data/applog"
	"baomi/data/datadir"
	"baomi/data/workspace"
)

func main() {
	// Commands run before anything of Fyne's but its package inits, none of
	// which logs since app/fynelocale (LANG=C.UTF-8 made Fyne's lang init
	// log "Fyne error: Error parsing user locale C").
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		os.Exit(cli.Main(os.Args[1:]))
	}
	fs := flag.NewFlagSet("baomi", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // its messages are English: FlagMessage says them in Chinese
	dataFlag := fs.String("data", "", "数据目录（默认取环境变量 "+datadir.EnvVar+" 或系统数据目录）")
	if err := fs.Parse(os.Args[1:]); errors.Is(err, flag.ErrHelp) {
		os.Exit(cli.Main([]string{"help"}))
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "用法错误：", cli.FlagMessage(err.Error()))
		os.Exit(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "用法错误：多余的参数 %q。命令（init、verify、version）须写在最前面，例如：baomi verify --data 目录\n", fs.Args())
		os.Exit(2)
	}
	exe, _ := os.Executable()
	dir, src, err := datadir.Resolve(*dataFlag, exe)
	if err != nil {
		fmt.Fprintln(os.Stderr, "错误：", data.Message(err))
		os.Exit(1)
	}
	logger := log.New(os.Stderr, "baomi: ", log.LstdFlags)
	if logDir, err := applog.Dir(dir, src == datadir.FromPortable); err == nil {
		if lf, err := applog.Open(logDir); err == nil {
			defer lf.Close()
			logger = applog.New(lf, os.Stderr)
		}
	}
	// Fyne's own messages go to the standard logger, silenced until now
	// (app/cli/quiet): into the log with the window's.
	log.SetOutput(logger.Writer())
	logger.Printf("start %s, data folder %s (%s)", version.String(), dir, src)
	fa := fyneapp.NewWithID("cn.baomi.workstation")
	fa.Settings().SetTheme(theme.New())
	fa.SetIcon(theme.Icon)
	a := ui.New(fa, ui.Config{Dir: dir, Logger: logger, Workspace: workspace.Config{Logger: logger}})

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() { <-sig; fyne.Do(fa.Quit) }()

	a.Start()
	fa.Run()
	a.Shutdown()
}
