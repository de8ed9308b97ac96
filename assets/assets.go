// Package assets embeds the files Baomi ships inside its binary: the UI font
// with its licence, and the application icon. Nothing is loaded from the
// network or the file system at run time.
package assets

import _ "embed"

// UIFont is WenQuanYi Micro Hei (文泉驿微米黑), member 0 of the Debian
// fonts-wqy-microhei collection copied out into a standalone glyf TrueType
// file. It covers GB2312/GBK and Latin and serves as the 黑体 role and the UI
// font. Licence: Apache-2.0 (see FontLicence).
//
//go:embed fonts/wqy-microhei.ttf
var UIFont []byte

// UIFontName is the file name Fyne shows for UIFont.
const UIFontName = "wqy-microhei.ttf"

// FontLicence is the Apache-2.0 licence text under which UIFont is shipped.
//
//go:embed fonts/wqy-microhei.LICENSE-Apache-2.0
var FontLicence string

// FontCopyright is the copyright notice of UIFont.
//
//go:embed fonts/wqy-microhei.COPYRIGHT
var FontCopyright string

// Icon is the application icon, a 256×256 PNG.
//
//go:embed icon.png
var Icon []byte
