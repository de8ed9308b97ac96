// Package assets embeds the files Baomi ships inside its binary: the UI font,
// the print fonts of the 宋/黑/楷 roles with their licences, and the
// application icon. Nothing is loaded from the network or the file system at
// run time.
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

// SongFont is Baomi Song (保密工作台宋体), the 宋 role of printed documents
// (body text; it stands in for 仿宋 where no licensed 仿宋 is installed). It
// is Noto Serif CJK SC Regular cut to GBK + ASCII + Latin-1 + common
// punctuation, with its CFF outlines converted to TrueType (glyf) outlines
// because gopdf reads glyf fonts only, and renamed as the licence requires
// of a modified font (fonts/make-baomi-song.py rebuilds it). Licence:
// SIL Open Font License 1.1 (see SongFontLicence).
//
//go:embed fonts/baomi-song.ttf
var SongFont []byte

// SongFontName is the family name of SongFont.
const SongFontName = "Baomi Song"

// SongFontLicence is the copyright notice and the SIL Open Font License 1.1
// under which SongFont is shipped.
//
//go:embed fonts/baomi-song.LICENSE-OFL-1.1
var SongFontLicence string

// HeiFont is the 黑 role of printed documents (headings, labels): the UI
// font, WenQuanYi Micro Hei.
var HeiFont = UIFont

// KaiFont is AR PL KaitiM GB (文鼎ＰＬ中楷), the 楷 role of printed
// documents, unmodified from the Debian package fonts-arphic-gkai00mp: a
// glyf TrueType font covering GB2312 only (characters outside it fall back
// to the 黑 role). Licence: Arphic Public License (see KaiFontLicence).
//
//go:embed fonts/gkai00mp.ttf
var KaiFont []byte

// KaiFontName is the family name of KaiFont.
const KaiFontName = "AR PL KaitiM GB"

// KaiFontLicence is the Arphic Public License (ARPHICPL.TXT, English,
// unaltered as the licence requires) under which KaiFont is shipped.
//
//go:embed fonts/gkai00mp.ARPHICPL.TXT
var KaiFontLicence string

// KaiFontLicenceChinese is the Chinese (GB) version of the Arphic Public
// License, 文鼎公众授权书, converted from GB2312 to UTF-8.
//
//go:embed fonts/gkai00mp.ARPHICPL-GB.utf8.txt
var KaiFontLicenceChinese string
