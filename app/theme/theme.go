// Package theme gives Baomi's windows the bundled Chinese UI font, so that
// every screen renders on an offline PC with no Chinese system font.
package theme

import (
	"image/color"

	"fyne.io/fyne/v2"
	fynetheme "fyne.io/fyne/v2/theme"

	"baomi/assets"
)

// Font is the bundled UI font as a Fyne resource.
var Font = fyne.NewStaticResource(assets.UIFontName, assets.UIFont)

// Icon is the application icon as a Fyne resource.
var Icon = fyne.NewStaticResource("baomi.png", assets.Icon)

// Theme is the default Fyne theme with the bundled font for every text
// style.
type Theme struct{}

var _ fyne.Theme = Theme{}

// New returns Baomi's theme.
func New() fyne.Theme { return Theme{} }

// Font returns the bundled UI font for every style.
func (Theme) Font(fyne.TextStyle) fyne.Resource { return Font }

// Color returns the default theme's colour for variant v (light or dark:
// the system's, or FYNE_THEME=light|dark), except the warning and error
// colours, which Baomi uses for texts (借出, 逾期未还, required marks,
// problems): darker in the light variant and a lighter red in the dark one,
// so that they read at WCAG's 4.5:1 on the window, dialogs and inputs and
// 3:1 on a selected row (Fyne's orange was 2.2:1 on white, its red 3.7:1;
// see TestOurColouredTextsAreReadableInBothVariants).
func (Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	switch {
	case n == fynetheme.ColorNameWarning && v == fynetheme.VariantLight:
		return lightWarning
	case n == fynetheme.ColorNameError && v == fynetheme.VariantLight:
		return lightError
	case n == fynetheme.ColorNameError && v == fynetheme.VariantDark:
		return darkError
	}
	return fynetheme.DefaultTheme().Color(n, v)
}

var (
	lightWarning = color.NRGBA{R: 0x9a, G: 0x4d, B: 0x00, A: 0xff} // a dark orange
	lightError   = color.NRGBA{R: 0xc6, G: 0x28, B: 0x28, A: 0xff}
	darkError    = color.NRGBA{R: 0xff, G: 0x5f, B: 0x52, A: 0xff}
)

// Icon returns the default theme's icon.
func (Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return fynetheme.DefaultTheme().Icon(n) }

// Size returns the default theme's size.
func (Theme) Size(n fyne.ThemeSizeName) float32 { return fynetheme.DefaultTheme().Size(n) }
