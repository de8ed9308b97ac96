// Package restore ends package fynelocale's change to the environment: it
// imports Fyne's lang package, so its init runs after Fyne has read the
// locale, and puts LC_ALL and LANGUAGE back as the user gave them. The
// program imports it for its side effect:
//
//	import _ "baomi/app/fynelocale/restore"
package restore

import (
	_ "fyne.io/fyne/v2/lang" // initialised first: it reads the locale in its init

	"baomi/app/fynelocale"
)

func init() { fynelocale.Restore() }
