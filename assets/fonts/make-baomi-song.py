#!/usr/bin/python3
"""Build assets/fonts/baomi-song.ttf from Debian's fonts-noto-cjk.

gopdf reads TrueType-outline (glyf) fonts only, while Noto Serif CJK ships as
CFF inside a .ttc collection. This script, run once offline, takes the SC
member of NotoSerifCJK-Regular.ttc, cuts it to GBK + ASCII + Latin-1 + the
common punctuation blocks, converts the cubic CFF outlines to quadratic glyf
outlines (fontTools cu2qu) and renames the family to "Baomi Song": the
result is a Modified Version under the SIL Open Font License 1.1, which
forbids the Reserved Font Name ("Source") and Noto is a trademark of Google.

Needs Debian's python3-fonttools (use /usr/bin/python3) and fonts-noto-cjk:

    apt-get install -y fonts-noto-cjk python3-fonttools
    /usr/bin/python3 assets/fonts/make-baomi-song.py assets/fonts/baomi-song.ttf
"""

import sys

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, newTable

SOURCE = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
FAMILY = "Baomi Song"
PSNAME = "BaomiSong-Regular"


def gbk_chars():
    """Every character encodable in GBK, plus ASCII and punctuation blocks."""
    chars = set(range(0x20, 0x7F))
    chars.update(range(0xA0, 0x100))  # Latin-1
    chars.update(range(0x2000, 0x2070))  # general punctuation
    chars.update(range(0x20A0, 0x20D0))  # currency signs €
    chars.update(range(0x2100, 0x2200))  # letterlike, number forms, arrows
    chars.update(range(0x2460, 0x2500))  # enclosed alphanumerics ①
    chars.update(range(0x25A0, 0x2700))  # geometric shapes, ★☆
    chars.update(range(0x3000, 0x3040))  # CJK symbols and punctuation
    chars.update(range(0xFF00, 0xFFF0))  # full-width forms
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                s = bytes([lead, trail]).decode("gbk")
            except UnicodeDecodeError:
                continue
            chars.update(ord(c) for c in s)
    return chars


def to_quadratic(font):
    """Replace the CFF table by an equivalent glyf table (fontTools otf2ttf)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        width, _ = hmtx.metrics[name]
        hmtx.metrics[name] = (width, getattr(glyph, "xMin", 0))
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements",
                 "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attr, 0)
    font["maxp"] = maxp
    font["head"].glyphDataFormat = 0
    font["head"].indexToLocFormat = 0
    font["post"].formatType = 3.0
    font.sfntVersion = "\000\001\000\000"


def rename(font):
    name = font["name"]
    keep = {0: None, 7: None, 8: None, 9: None, 11: None, 12: None, 13: None, 14: None}
    old = {r.nameID: r.toUnicode() for r in name.names if r.platformID == 3 and r.langID == 0x409}
    name.names = []
    for nid in keep:
        if nid in old:
            name.setName(old[nid], nid, 3, 1, 0x409)
    name.setName(FAMILY, 1, 3, 1, 0x409)
    name.setName("Regular", 2, 3, 1, 0x409)
    name.setName("1.000;BAOMI;" + PSNAME, 3, 3, 1, 0x409)
    name.setName(FAMILY, 4, 3, 1, 0x409)
    name.setName("Version 1.000; modified from " + old.get(5, "").split(";")[0].strip() +
                 " of Noto Serif CJK SC (GBK subset, TrueType outlines)", 5, 3, 1, 0x409)
    name.setName(PSNAME, 6, 3, 1, 0x409)
    name.setName("保密工作台宋体", 1, 3, 1, 0x804)
    name.setName("保密工作台宋体", 4, 3, 1, 0x804)


def main(out):
    font = TTCollection(SOURCE).fonts[2]
    assert "SC" in font["name"].getDebugName(4), font["name"].getDebugName(4)
    opts = Options()
    opts.layout_features = ["*"]
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "VORG", "vhea", "vmtx", "DSIG"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    sub = Subsetter(opts)
    sub.populate(unicodes=gbk_chars())
    sub.subset(font)
    to_quadratic(font)
    rename(font)
    font.save(out)
    print(out, "glyphs:", len(font.getGlyphOrder()), "chars:", len(font.getBestCmap()))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "baomi-song.ttf")
