// Package fynelocale gives Fyne's lang package a locale it can parse while
// it initialises, and puts the environment back right after.
//
// Fyne's lang package reads the user's locales in its package init (via
// github.com/jeandeaual/go-locale, from LC_ALL, LC_MESSAGES, LANG and
// LANGUAGE) and parses each one as a BCP 47 tag. LANG=C.UTF-8 (the default
// of many containers and minimal installs) yields the tag "C", which does
// not parse, and Fyne logs three "Fyne error: Error parsing user locale C"
// lines before main runs — for every command of the command line too,
// since Go runs every linked package's init. With LANG=C, POSIX or no
// locale at all Fyne silently falls back to English.
//
// The user interface is Chinese, so when the locales Fyne would read are
// empty or one of them does not parse, this package's init points Fyne at
// zh_CN for the length of Fyne's init: it sets LC_ALL=zh_CN.UTF-8 and
// LANGUAGE to the locales that do parse (or unsets it), in this process
// only. Package restore, whose init runs right after Fyne's lang package,
// calls Restore to put both variables back as they were, so the command
// line and every program the window opens (the PDF viewer) see the
// environment the user gave. Fyne keeps the Chinese translation of its own
// words (取消, 是) that it chose at init; when it asks for the locale later
// (date entries, font fall-back) it reads the environment again: "C" (from
// C.UTF-8, C, POSIX or nothing) it takes for English without logging, as
// before. Only a first locale it would log about even then (POSIX.UTF-8,
// de_DE@euro) makes Restore leave LANGUAGE=zh_CN set for the process, the
// one variable go-locale reads first that changes nothing but the language
// of messages.
//
// This package imports no Fyne package and only packages Fyne's lang
// package imports too. Go initialises packages in import-path order as soon
// as their imports are (since Go 1.21), and "baomi/…" sorts before
// "fyne.io/…", so this init runs before Fyne's.
package fynelocale

import (
	"os"
	"strings"

	"github.com/jeandeaual/go-locale"
	"golang.org/x/text/language"
)

// Fallback is the locale Fyne is given when the environment names none it
// can parse: the language of Baomi's user interface.
const Fallback = "zh_CN.UTF-8"

// variable is an environment variable as it was before init changed it.
type variable struct {
	name, value string
	set         bool
}

// saved holds the variables init changed, nil when it changed nothing.
var saved []variable

func init() {
	locs, err := locale.GetLocales()
	if err != nil || Usable(locs) {
		return
	}
	var good []string
	for _, l := range locs {
		if _, err := language.Parse(l); err == nil {
			good = append(good, l)
		}
	}
	for _, name := range []string{"LC_ALL", "LANGUAGE"} {
		v, ok := os.LookupEnv(name)
		saved = append(saved, variable{name, v, ok})
	}
	_ = os.Setenv("LC_ALL", Fallback)
	if len(good) > 0 {
		_ = os.Setenv("LANGUAGE", strings.Join(good, ":"))
	} else {
		_ = os.Unsetenv("LANGUAGE")
	}
	// On Windows and macOS go-locale asks the system, not the environment:
	// nothing to gain there, so leave the environment alone.
	if locs, err := locale.GetLocales(); err != nil || !Usable(locs) {
		Restore()
	}
}

// Usable reports whether Fyne can parse every one of locs and there is at
// least one, i.e. whether Fyne's lang package initialises without logging
// an error and with a locale of the user's.
func Usable(locs []string) bool {
	for _, l := range locs {
		if _, err := language.Parse(l); err != nil {
			return false
		}
	}
	return len(locs) > 0
}

// Changed reports whether the environment is, at this moment, changed from
// what the user gave (between this package's init and Restore).
func Changed() bool { return saved != nil }

// Restore puts back the environment variables init changed. It is called
// once Fyne's lang package is initialised (by package restore) and does
// nothing when nothing was changed or it already ran. When Fyne's later
// look-ups (lang.SystemLocale) would still log, because the first locale
// is two letters or more and does not parse, it sets LANGUAGE to zh_CN,
// which go-locale reads before LANG unless the locale is exactly C or POSIX.
func Restore() {
	if saved == nil {
		return
	}
	for _, v := range saved {
		if v.set {
			_ = os.Setenv(v.name, v.value)
		} else {
			_ = os.Unsetenv(v.name)
		}
	}
	saved = nil
	if l, err := locale.GetLocale(); err == nil && len(l) >= 2 {
		if _, err := language.Parse(l); err != nil {
			_ = os.Setenv("LANGUAGE", strings.ReplaceAll(Fallback, ".UTF-8", ""))
		}
	}
}
