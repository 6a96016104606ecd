"""Namespaces, the Clark names ("{ns}local") the Word parser compares tags with,
and the markup-compatibility choice.

Tag tests are plain string comparisons against these constants: no XPath and
no prefix lookups in the hot loops.
"""

from __future__ import annotations

from typing import Optional

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

_W = "{" + W_NS + "}"

# Namespaces whose mc:Choice content this parser understands (drawings with
# text boxes, Word 2010+ run markup). Anything else takes the mc:Fallback.
UNDERSTOOD_NS = frozenset(
    {
        W_NS,
        W14_NS,
        "http://schemas.microsoft.com/office/word/2012/wordml",  # w15
        "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",  # wps
        "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",  # wpg
        "http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas",  # wpc
        "http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing",  # wp14
        "http://schemas.microsoft.com/office/drawing/2010/main",  # a14
        "urn:schemas-microsoft-com:vml",
    }
)


def w(local: str) -> str:
    return _W + local


# attributes
W_VAL = w("val")
W_FONT = w("font")
W_CHAR = w("char")
W_TYPE = w("type")
W_STYLE_ID = w("styleId")
W_DEFAULT = w("default")
W_FILL = w("fill")
W_COLOR = w("color")
W_ASCII = w("ascii")
W_HANSI = w("hAnsi")
W_ASCII_THEME = w("asciiTheme")
W_HANSI_THEME = w("hAnsiTheme")
W_FLD_CHAR_TYPE = w("fldCharType")
W14_VAL = "{" + W14_NS + "}val"

# document structure
W_BODY = w("body")
W_P = w("p")
W_PPR = w("pPr")
W_PSTYLE = w("pStyle")
W_NUMPR = w("numPr")
W_NUMID = w("numId")
W_R = w("r")
W_RPR = w("rPr")
W_RSTYLE = w("rStyle")
W_RFONTS = w("rFonts")
W_STRIKE = w("strike")
W_B = w("b")
W_BCS = w("bCs")
W_CS = w("cs")
W_RTL = w("rtl")
W_OUTLINELVL = w("outlineLvl")
W_DSTRIKE = w("dstrike")
W_T = w("t")
W_DELTEXT = w("delText")
W_INSTRTEXT = w("instrText")
W_DELINSTRTEXT = w("delInstrText")
W_TAB = w("tab")
W_PTAB = w("ptab")
W_BR = w("br")
W_CR = w("cr")
W_NOBREAKHYPHEN = w("noBreakHyphen")
W_SOFTHYPHEN = w("softHyphen")
W_SYM = w("sym")
W_FLDCHAR = w("fldChar")
W_FFDATA = w("ffData")
W_CHECKBOX = w("checkBox")
W_CHECKED = w("checked")
W_DDLIST = w("ddList")
W_RESULT = w("result")
W_LISTENTRY = w("listEntry")
W_SHOWINGPLCHDR = w("showingPlcHdr")
W_DRAWING = w("drawing")
W_PICT = w("pict")
W_OBJECT = w("object")
W_TXBXCONTENT = w("txbxContent")
W_RUBY = w("ruby")
W_RUBYBASE = w("rubyBase")

W_INS = w("ins")
W_DEL = w("del")
W_MOVETO = w("moveTo")
W_MOVEFROM = w("moveFrom")
W_SDT = w("sdt")
W_SDTPR = w("sdtPr")
W_SDTENDPR = w("sdtEndPr")
W_SDTCONTENT = w("sdtContent")
W_SECTPR = w("sectPr")
W_ALTCHUNK = w("altChunk")
W_CUSTOMXMLPR = w("customXmlPr")
W_SMARTTAGPR = w("smartTagPr")
W_FLDSIMPLE = w("fldSimple")

W_TBL = w("tbl")
W_TBLPR = w("tblPr")
W_TBLGRID = w("tblGrid")
W_GRIDCOL = w("gridCol")
W_TR = w("tr")
W_TRPR = w("trPr")
W_TBLPREX = w("tblPrEx")
W_GRIDBEFORE = w("gridBefore")
W_TC = w("tc")
W_TCPR = w("tcPr")
W_GRIDSPAN = w("gridSpan")
W_VMERGE = w("vMerge")
W_HMERGE = w("hMerge")
W_SHD = w("shd")
W_CELLDEL = w("cellDel")

# styles.xml
W_STYLE = w("style")
W_BASEDON = w("basedOn")
W_NAME = w("name")
W_DOCDEFAULTS = w("docDefaults")
W_RPRDEFAULT = w("rPrDefault")

# headers and footers
W_HDR = w("hdr")
W_FTR = w("ftr")

W14_CHECKBOX = "{" + W14_NS + "}checkbox"
W14_CHECKED = "{" + W14_NS + "}checked"

MC_ALTERNATE = "{" + MC_NS + "}AlternateContent"
MC_CHOICE = "{" + MC_NS + "}Choice"
MC_FALLBACK = "{" + MC_NS + "}Fallback"

M_T = "{" + M_NS + "}t"
M_R = "{" + M_NS + "}r"

REL_RELATIONSHIP = "{" + REL_NS + "}Relationship"

# w:br types that give nothing at the start of a paragraph (a page or column break alone leaves it empty)
BREAK_SILENT_AT_START = frozenset({"page", "column"})

# The bits of a run's key: what body.py and tables.py carry down the tree.
DEL = 1  # deleted under tracked changes
INS = 2  # inserted under tracked changes
STRUCK = 4  # strikethrough, single or double

# property elements and anything else with no text of its own
SKIP = frozenset(
    {
        W_PPR,
        W_RPR,
        W_SDTPR,
        W_SDTENDPR,
        W_CUSTOMXMLPR,
        W_SMARTTAGPR,
        W_SECTPR,
        W_TBLPR,
        W_TBLPREX,
        W_TCPR,
        W_TRPR,
        W_TBLGRID,
    }
)


def choose_branch(alt: etree._Element) -> Optional[etree._Element]:
    """The ``mc:AlternateContent`` branch to read: an understood Choice, else Fallback."""
    for branch in alt:
        tag = branch.tag
        if tag == MC_CHOICE:
            requires = (branch.get("Requires") or "").split()
            nsmap = branch.nsmap
            if requires and all(nsmap.get(p) in UNDERSTOOD_NS for p in requires):
                return branch
        elif tag == MC_FALLBACK:
            return branch
    return None
