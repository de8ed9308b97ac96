package theme

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	fynetheme "fyne.io/fyne/v2/theme"
)

// luminance is the WCAG relative luminance of c (alpha ignored).
func luminance(c color.Color) float64 {
	r, g, b, _ := color.NRGBAModel.Convert(c).(color.NRGBA).RGBA()
	lin := func(v uint32) float64 {
		s := float64(v>>8) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// over blends the translucent colour top over the opaque bottom.
func over(top, bottom color.Color) color.Color {
	t := color.NRGBAModel.Convert(top).(color.NRGBA)
	b := color.NRGBAModel.Convert(bottom).(color.NRGBA)
	a := float64(t.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(t.R, b.R), G: mix(t.G, b.G), B: mix(t.B, b.B), A: 255}
}

// TestOurColouredTextsAreReadableInBothVariants: the texts Baomi colours
// itself (借出 in the warning colour, 逾期未还 and the red required marks
// and problems in the error colour) reach WCAG's 4.5:1 for normal text on
// the window, dialog and input backgrounds, and 3:1 on the selected row of
// the register, light and dark (FYNE_THEME). Fyne's own orange #ff9800 was
// 2.2:1 on white and its red #f44336 3.7:1.
func TestOurColouredTextsAreReadableInBothVariants(t *testing.T) {
	test.NewTempApp(t) // the default theme's primary colour comes from the app's settings
	th := New()
	for _, v := range []struct {
		name    string
		variant fyne.ThemeVariant
	}{{"light", fynetheme.VariantLight}, {"dark", fynetheme.VariantDark}} {
		for _, text := range []fyne.ThemeColorName{fynetheme.ColorNameWarning, fynetheme.ColorNameError} {
			fg := th.Color(text, v.variant)
			bg := th.Color(fynetheme.ColorNameBackground, v.variant)
			for _, tt := range []struct {
				on   string
				back color.Color
				min  float64
			}{
				{"background", bg, 4.5},
				{"dialog", th.Color(fynetheme.ColorNameOverlayBackground, v.variant), 4.5},
				{"input", th.Color(fynetheme.ColorNameInputBackground, v.variant), 4.5},
				{"selected row", over(th.Color(fynetheme.ColorNameSelection, v.variant), bg), 3},
			} {
				c := contrast(fg, tt.back)
				t.Logf("%s: %s on the %s: %.2f", v.name, text, tt.on, c)
				if c < tt.min {
					t.Errorf("%s: %s text on the %s: contrast %.2f, want at least %.1f", v.name, text, tt.on, c, tt.min)
				}
			}
		}
	}
}
