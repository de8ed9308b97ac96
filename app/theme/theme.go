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

// Color returns the default theme's colour.
func (Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return fynetheme.DefaultTheme().Color(n, v)
}

// Icon returns the default theme's icon.
func (Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return fynetheme.DefaultTheme().Icon(n) }

// Size returns the default theme's size.
func (Theme) Size(n fyne.ThemeSizeName) float32 { return fynetheme.DefaultTheme().Size(n) }
