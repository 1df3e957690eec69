"""Our TrueType reader and subsetter (desktop.core.reports.truetype_read and .truetype),
checked against an independent implementation (reportlab's, which the ledger used before
and which stays a test dependency) and against the readers users' PDFs meet (poppler,
pypdf).

The faces must read as reportlab read them and the subsets must be the very files it
made: a ledger printed before and after the change is the same file, byte for byte.
"""

from __future__ import annotations

import io
import random
import struct
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from desktop.core.reports import write_ledger_pdf
from desktop.core.reports.truetype import FontFileError, TrueTypeFace
from desktop.core.reports.truetype_read import parse_face
from tests.core.ledger_samples import sample_row
from tests.core.test_ledger_pdf import column_text, fonts_only, one_group_doc, pdffonts, squash
from tests.needs import dev_font

FACES = [("wqy-zenhei.ttc", 0), ("wqy-zenhei.ttc", 1), ("wqy-microhei.ttc", 0)]


def reportlab_face(path: Path, index: int) -> Any:
    from reportlab.pdfbase.ttfonts import TTFontFace

    return TTFontFace(str(path), subfontIndex=index)


def reportlab_file(data: bytes) -> Any:
    """reportlab's parser over a font file in memory."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    return TTFontFile(io.BytesIO(data))


def composite_codes(face: Any, count: int) -> list[int]:
    """Characters whose glyph is a composite, found with reportlab's parser."""
    glyf = face.get_table("glyf")
    found = []
    for code, glyph in face.charToGlyph.items():
        start, end = face.glyphPos[glyph], face.glyphPos[glyph + 1]
        if end - start > 2 and struct.unpack(">h", glyf[start : start + 2])[0] < 0:
            found.append(code)
            if len(found) == count:
                break
    return found


def components(glyph: bytes) -> list[int]:
    """The glyph numbers a composite glyph refers to (read here, not by the module)."""
    out, at, flags = [], 10, 0x20
    while flags & 0x20:
        flags, index = struct.unpack(">HH", glyph[at : at + 4])
        out.append(index)
        at += 8 if flags & 1 else 6
        at += 2 if flags & 8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0
    return out


def outline(parsed: Any, glyph: int) -> bytes:
    start, end = parsed.glyphPos[glyph], parsed.glyphPos[glyph + 1]
    return bytes(parsed.get_table("glyf")[start:end])


@pytest.mark.parametrize(("file_name", "index"), FACES)
def test_a_face_reads_as_reportlab_read_it(file_name: str, index: int) -> None:
    path = dev_font(file_name)
    ours, theirs = parse_face(path, index), reportlab_face(path, index)
    assert ours.postscript_name == (theirs.name + theirs.subfontNameX).decode()
    assert (ours.bbox, ours.ascent, ours.descent, ours.cap_height) == (
        theirs.bbox, theirs.ascent, theirs.descent, theirs.capHeight,
    )  # fmt: skip
    assert (ours.flags, ours.italic_angle, ours.stem_v, ours.default_width) == (
        theirs.flags, theirs.italicAngle, theirs.stemV, theirs.defaultWidth,
    )  # fmt: skip
    # the same characters in the same order (the first one makes an empty subset's glyph)
    assert list(ours.char_to_glyph.items()) == list(theirs.charToGlyph.items())
    for code in [*theirs.charToGlyph, 0x10FFFF, 0xE000]:
        assert ours.char_width(code) == theirs.getCharWidth(code), hex(code)


@pytest.mark.parametrize(("file_name", "index"), FACES)
def test_subsets_are_the_files_reportlab_made(file_name: str, index: int) -> None:
    path = dev_font(file_name)
    ours, theirs = parse_face(path, index), reportlab_face(path, index)
    rng = random.Random(index)
    codes = list(theirs.charToGlyph)
    chinese = [c for c in codes if 0x4E00 <= c <= 0x9FFF]
    wide = [c for c in codes if c > 0xFFFF]
    sets = [
        [0x20, 0x41],
        rng.sample(chinese, 400) + wide[:3] + composite_codes(theirs, 20),
        rng.sample(codes, 3000),
    ]
    try:
        for subset in sets:
            assert ours.subset(subset) == theirs.makeSubset(subset)
    finally:
        ours.release_file()


def test_a_subset_holds_the_glyphs_asked_for_and_the_parts_of_composites() -> None:
    path = dev_font("wqy-zenhei.ttc")
    ours, original = parse_face(path, 0), reportlab_face(path, 0)
    composite = composite_codes(original, 5)
    simple = [ord(c) for c in "台账清单牵头单位完成时限"]
    wide = [c for c in original.charToGlyph if c > 0xFFFF][:2]
    codes = simple + composite + wide
    made = reportlab_file(ours.subset(codes))
    ours.release_file()
    asked = list(dict.fromkeys(original.charToGlyph[c] for c in codes))
    parts: set[int] = set()  # the components of the composites, and theirs
    todo = list(asked)
    while todo:
        glyph = outline(original, todo.pop())
        if len(glyph) > 2 and struct.unpack(">h", glyph[:2])[0] < 0:
            new = set(components(glyph)) - parts
            parts |= new
            todo += new
    extra = parts - set(asked) - {0}
    assert extra, "the composites have parts of their own"
    assert made.numGlyphs == 1 + len(asked) + len(extra)
    # glyph 0 is the missing glyph; then the glyphs of the characters in order of first use
    assert outline(made, 0) == outline(original, 0)
    for new, old in enumerate(asked, 1):
        mine, theirs = outline(made, new), outline(original, old)
        if struct.unpack(">h", theirs[:2])[0] >= 0:
            assert mine == theirs
        else:  # a composite: the same, its references renumbered to the same outlines
            assert mine[:10] == theirs[:10]
            for a, b in zip(components(mine), components(theirs), strict=True):
                assert outline(made, a) == outline(original, b)
        assert made.hmetrics[new][0] == original.hmetrics[old][0]


def test_every_character_of_a_subset_reads_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ledger using a thousand distinct characters (composite glyphs and a character
    beyond the BMP among them): poppler and pypdf (strict) read each one back from the PDF."""
    found = fonts_only(tmp_path, monkeypatch, {"wqy-zenhei.ttc": "wqy-zenhei.ttc"})
    face = reportlab_face(found.body.path, found.body.index)
    rng = random.Random(16)
    chinese = [chr(c) for c in face.charToGlyph if 0x4E00 <= c <= 0x9FA5]
    # Zen Hei draws its Hangul syllables as composites of their letters
    composite = [chr(c) for c in composite_codes(face, 3000) if 0xAC00 <= c <= 0xD7A3][:30]
    assert len(composite) == 30
    text = "".join(rng.sample(chinese, 1000)) + "".join(composite) + "𝌆"
    rows = []
    for i in range(0, len(text), 60):
        row = sample_row(rng, f"1-{i // 60 + 1}")
        row.content = text[i : i + 60]
        rows.append(row)
    path = tmp_path / "many.pdf"
    doc = one_group_doc(rows)
    pages = write_ledger_pdf(doc, path, fonts=found)
    column = squash(column_text(path, 2, pages, doc))
    assert set(text) <= set(column)  # (a row may run over a page break, under a header)
    assert text[:15] in column and text[-15:] in column
    strict = PdfReader(path, strict=True)
    assert squash("".join(p.extract_text() for p in strict.pages)).count("𝌆") == 1
    listed = pdffonts(path).splitlines()[2:]
    assert listed and all(line.split()[-5:-2] == ["yes", "yes", "yes"] for line in listed)


def test_a_file_that_is_no_truetype_face_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"OTTO" + b"\0" * 200)
    with pytest.raises(FontFileError):
        parse_face(bad)
    bad.write_bytes(b"\0\1\0\0\0\1")
    with pytest.raises(FontFileError):
        parse_face(bad)
    face = parse_face(dev_font("wqy-zenhei.ttc"), 1)
    assert isinstance(face, TrueTypeFace) and face.postscript_name.endswith("-1")
    with pytest.raises(FontFileError):
        parse_face(dev_font("wqy-zenhei.ttc"), 7)


def test_a_character_map_group_beyond_unicode_is_cut_to_it() -> None:
    """A damaged format 12 or 13 subtable claiming codes up to 0xFFFFFFFF maps only what
    Unicode has, instead of building a dictionary of four billion codes."""
    from desktop.core.reports.truetype_read import _format12, _format13, _Reader

    groups = [(0x41, 0x43, 7), (0x10FFF0, 0xFFFFFFFF, 9), (0x50, 0x4F, 3)]  # last: reversed
    table = struct.pack(">HHLLL", 12, 0, 16 + 12 * len(groups), 0, len(groups))
    table += b"".join(struct.pack(">LLL", *g) for g in groups)
    twelve = _format12(_Reader(table), 0)
    assert {c: twelve[c] for c in (0x41, 0x42, 0x43)} == {0x41: 7, 0x42: 8, 0x43: 9}
    assert max(twelve) == 0x10FFFF and len(twelve) == 3 + 16
    thirteen = _format13(_Reader(table), 0)
    assert max(thirteen) == 0x10FFFF and len(thirteen) == 3 + 16
    assert set(thirteen.values()) == {7, 9}
