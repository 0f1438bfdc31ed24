"""The report as a PowerPoint deck: editable native charts, in the user's own template.

Boards and customers receive decks, and the person presenting restyles, reorders and
annotates them; a picture in an HTML file does not survive that. :func:`deck_bytes`
turns the report model (``Sequence[ReportSection]``) into a ``.pptx``:

* a title slide; then per section a slide for its text and tables (long tables run
  over several slides) and one slide per figure; the sources section last, as built;
* a figure with a native PowerPoint equivalent (see :mod:`factorycore.export.pptx_charts`)
  becomes a native chart whose numbers sit in its embedded workbook (Edit Data in
  PowerPoint); any other (Sankey, treemap, heatmap) a 1280x720 PNG from
  ``figure_bytes`` with its caption printed on it;
* every chart slide shows its source caption, and its speaker notes hold the full
  provenance (status counts and each source with its address, ``provenance.notes``).

Template
    ``template`` is an uploaded ``.pptx``: its slide size, masters, layouts and theme are
    used and its own slides are dropped, and so are the layouts and masters the deck does not
    use (their pictures are not copied into the output). Before it is parsed, the template
    is held to :data:`factorycore.archive_limits.TEMPLATE_LIMITS`: what each part and the
    whole expand to, not what the file weighs. Layouts are found by their placeholders, not
    their names: *title* (centre title + subtitle), *content* (title + one body or
    object placeholder, else title only) and *blank* (neither). A file that is not a
    presentation, or has no layout with a title placeholder and no blank layout,
    raises :class:`TemplateError`. Without a template the deck is python-pptx's
    default made 16:9 with the app's colours (``charts.theme``) in its theme.

All text goes through :func:`pptx_charts.xml_safe`; python-pptx escapes the rest.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.exc import PackageNotFoundError
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches, Pt

from factorycore import archive_limits
from factorycore.charts import theme
from factorycore.export import figures, pptx_charts, report
from factorycore.export.pptx_charts import xml_safe

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
SLIDE_WIDTH_16_9 = Inches(13.333)
SLIDE_HEIGHT_16_9 = Inches(7.5)
MARGIN = Inches(0.5)
GAP = Inches(0.12)
BODY_PT = 16
TABLE_PT = 11
CAPTION_PT = 10
CHARS_PER_INCH_AT_1PT = 160  # Calibri (Carlito) text: about 14.5 characters per inch at 11 pt
TITLE_PT = 30
INK = RGBColor.from_string("1B1F24")
MUTED = RGBColor.from_string("5B6470")
ACCENT = RGBColor.from_string(theme.OKABE_ITO[0].lstrip("#"))
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
_FURNITURE = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)


class TemplateError(ValueError):
    """The uploaded template cannot carry a deck (not a presentation, or no usable layout)."""


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True)
class _Layouts:
    title: Any
    content: Any
    default_look: bool  # no template: draw the app's accent rule and set type sizes


# --------------------------------------------------------------------------- template and layouts


def _placeholder_types(layout: Any) -> list[PP_PLACEHOLDER]:
    return [ph.placeholder_format.type for ph in layout.placeholders]


def find_layouts(prs: Any, *, default_look: bool = False) -> _Layouts:
    """The title and content layouts of a presentation, found by placeholder type.

    Content: title + exactly one body/object placeholder, else title + any body, else
    title only, else blank (the slide title is then drawn as a text box). Title: centre
    title + subtitle, else centre title, else the content layout.
    """
    layouts = list(prs.slide_layouts)
    kinds = [(layout, _placeholder_types(layout)) for layout in layouts]

    def has_title(types: list[PP_PLACEHOLDER]) -> bool:
        return any(t in _TITLE_TYPES for t in types)

    def bodies(types: list[PP_PLACEHOLDER]) -> int:
        return sum(t in _BODY_TYPES for t in types)

    content = next((layout for layout, t in kinds if PP_PLACEHOLDER.TITLE in t and bodies(t) == 1), None)
    content = content or next((layout for layout, t in kinds if has_title(t) and bodies(t) >= 1), None)
    content = content or next((layout for layout, t in kinds if PP_PLACEHOLDER.TITLE in t), None)
    content = content or next((layout for layout, t in kinds if has_title(t)), None)
    content = content or next((layout for layout, t in kinds if all(x in _FURNITURE for x in t)), None)
    if content is None:
        names = ", ".join(repr(layout.name) for layout in layouts) or "none"
        raise TemplateError(
            "the template has no slide layout a deck can use: it needs one with a title placeholder "
            f"(Title and Content, Title Only) or a Blank layout; its layouts: {names}"
        )
    title = next(
        (layout for layout, t in kinds if PP_PLACEHOLDER.CENTER_TITLE in t and PP_PLACEHOLDER.SUBTITLE in t), None
    )
    title = title or next((layout for layout, t in kinds if PP_PLACEHOLDER.CENTER_TITLE in t), None) or content
    return _Layouts(title=title, content=content, default_look=default_look)


def _strip_slides(prs: Any) -> None:
    """Drop the template's own slides (their parts are not written once unreferenced)."""
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        prs.part.drop_rel(slide_id.rId)
        id_list.remove(slide_id)


def _keep_only(prs: Any, layouts: _Layouts) -> None:
    """Drop every slide layout (and slide master) the deck does not use, so none of their
    pictures or embedded files are copied into the output (python-pptx writes every part
    still reachable from the presentation)."""
    used = {id(layouts.title.part), id(layouts.content.part)}
    keep_masters = {id(layouts.title.slide_master.part), id(layouts.content.slide_master.part)}
    for master in list(prs.slide_masters):
        if id(master.part) not in keep_masters:
            master_ids = prs.part._element.get_or_add_sldMasterIdLst()
            for entry in list(master_ids):
                if prs.part.related_part(entry.rId) is master.part:
                    prs.part.drop_rel(entry.rId)
                    master_ids.remove(entry)
            continue
        layout_ids = master._element.get_or_add_sldLayoutIdLst()
        for entry in list(layout_ids):
            if id(master.part.related_part(entry.rId)) not in used:
                master.part.drop_rel(entry.rId)
                layout_ids.remove(entry)


def check_template(data: bytes) -> None:
    """Raise :class:`TemplateError` unless ``data`` can carry a deck (the upload's check: it
    opens the template within its bounds and finds its layouts)."""
    find_layouts(open_template(data))


def open_template(data: bytes) -> Any:
    """The uploaded template as a python-pptx Presentation without its slides.

    Raises :class:`TemplateError` (a ``ValueError``) with a message a user can act on.
    """
    if len(data) > MAX_TEMPLATE_BYTES:
        raise TemplateError(f"the template is larger than {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TemplateError("the template is not a PowerPoint file (.pptx); save it from PowerPoint as .pptx")
    try:
        archive_limits.check_zip(data, archive_limits.TEMPLATE_LIMITS)
    except archive_limits.ArchiveTooLarge as exc:
        raise TemplateError(str(exc)) from None
    except zipfile.BadZipFile as exc:
        raise TemplateError(f"the template is not a readable .pptx ({xml_safe(exc)})") from None
    try:
        prs = Presentation(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise TemplateError(
            "the template could not be read as a .pptx presentation (a .potx or .ppt must be saved as .pptx "
            f"first): {xml_safe(exc)}"
        ) from None
    _strip_slides(prs)
    return prs


def _default_presentation() -> Any:
    """python-pptx's default template made 16:9, with the app's palette and type in its theme."""
    prs = Presentation()
    ratio = SLIDE_WIDTH_16_9 / prs.slide_width
    prs.slide_width, prs.slide_height = SLIDE_WIDTH_16_9, SLIDE_HEIGHT_16_9
    master = prs.slide_master
    for shape in [*master.shapes, *(s for layout in prs.slide_layouts for s in layout.shapes)]:
        if shape._element.spPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}xfrm") is not None:
            shape.left, shape.width = int(shape.left * ratio), int(shape.width * ratio)
    theme_part = master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme_part.blob)
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    colours = {
        "dk2": "1B1F24",
        "accent1": theme.OKABE_ITO[0],
        "accent2": theme.OKABE_ITO[1],
        "accent3": theme.OKABE_ITO[2],
        "accent4": theme.OKABE_ITO[3],
        "accent5": theme.OKABE_ITO[4],
        "accent6": theme.OKABE_ITO[5],
        "hlink": theme.OKABE_ITO[0],
    }
    for name, value in colours.items():
        slot = root.find(f".//a:clrScheme/a:{name}", ns)
        if slot is not None:
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, f"{{{ns['a']}}}srgbClr", val=value.lstrip("#").upper())
    theme_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    title_style = master._element.find(".//{http://schemas.openxmlformats.org/presentationml/2006/main}titleStyle")
    if title_style is not None:
        level = title_style.find("a:lvl1pPr", ns)
        if level is not None:
            level.set("algn", "l")
            rpr = level.find("a:defRPr", ns)
            if rpr is not None:
                rpr.set("sz", str(TITLE_PT * 100))
    return prs


# --------------------------------------------------------------------------- slide building


def _estimate_lines(text: str, width_emu: int, size_pt: float) -> int:
    chars_per_line = max(4, int(Emu(width_emu).inches * CHARS_PER_INCH_AT_1PT / size_pt))
    return sum(max(1, math.ceil(len(part) / chars_per_line)) for part in text.split("\n"))


def _line_height(size_pt: float) -> int:
    return int(Pt(size_pt * 1.2))


class _Deck:
    """The presentation under construction, with the layout rectangles it places things in."""

    def __init__(self, prs: Any, layouts: _Layouts) -> None:
        self.prs, self.layouts = prs, layouts
        self.body = self._body_box(layouts.content)

    def _body_box(self, layout: Any) -> Box:
        width, height = int(self.prs.slide_width), int(self.prs.slide_height)
        types = {ph.placeholder_format.type: ph for ph in layout.placeholders}
        body = next((types[t] for t in _BODY_TYPES if t in types), None)
        if body is not None and body.width and body.height:
            return Box(int(body.left), int(body.top), int(body.width), int(body.height))
        title = next((types[t] for t in _TITLE_TYPES if t in types), None)
        top = int(title.top + title.height + GAP) if title is not None and title.height else int(Inches(1.3))
        return Box(int(MARGIN), top, width - 2 * int(MARGIN), height - top - int(MARGIN))

    def new_slide(self, title: str, layout: Any = None) -> Any:
        slide = self.prs.slides.add_slide(layout or self.layouts.content)
        for ph in list(slide.placeholders):
            if ph.placeholder_format.type not in _TITLE_TYPES and layout is None:
                ph._element.getparent().remove(ph._element)  # the deck places its own content
        text = xml_safe(title)
        if slide.shapes.title is not None:
            slide.shapes.title.text = text
            frame = slide.shapes.title.text_frame
            frame.word_wrap = True
            frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        else:
            box = slide.shapes.add_textbox(MARGIN, Inches(0.3), self.prs.slide_width - 2 * MARGIN, Inches(0.9))
            box.text_frame.word_wrap = True
            box.text_frame.text = text
            box.text_frame.paragraphs[0].runs[0].font.size = Pt(TITLE_PT)
            box.text_frame.paragraphs[0].runs[0].font.bold = True
        if self.layouts.default_look and layout is None:
            rule = slide.shapes.add_shape(
                MSO_SHAPE.RECTANGLE, self.body.left, self.body.top - int(GAP), self.body.width, int(Pt(2.5))
            )
            rule.fill.solid()
            rule.fill.fore_color.rgb = ACCENT
            rule.line.fill.background()
        return slide

    def text_box(
        self, slide: Any, box: Box, paragraphs: Sequence[str], size_pt: float, colour: RGBColor | None = None
    ) -> None:
        shape = slide.shapes.add_textbox(box.left, box.top, box.width, box.height)
        frame = shape.text_frame
        frame.word_wrap = True
        for i, text in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = xml_safe(text)
            run.font.size = Pt(size_pt)
            if colour is not None:
                run.font.color.rgb = colour
            if i:
                paragraph.space_before = Pt(size_pt * 0.5)

    def paragraphs_height(self, paragraphs: Sequence[str], size_pt: float) -> int:
        lines = sum(_estimate_lines(xml_safe(p), self.body.width - int(Inches(0.2)), size_pt) for p in paragraphs)
        return (
            lines * _line_height(size_pt)
            + int(Pt(size_pt * 0.5)) * max(0, len(paragraphs) - 1)
            + int(Inches(0.1))
            + int(GAP)
        )


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return xml_safe(value)


def _column_widths(frame: pd.DataFrame, total: int) -> list[int]:
    weights = []
    for column in frame.columns:
        longest = max([len(str(column)), *(len(_cell_text(v)) for v in frame[column])])
        weights.append(min(max(longest, 8), 45))
    scale = total / sum(weights)
    widths = [int(w * scale) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


def _row_height(values: Sequence[str], widths: Sequence[int], size_pt: float) -> int:
    lines = max(
        _estimate_lines(v or " ", max(w - int(Inches(0.2)), int(Inches(0.3))), size_pt) for v, w in zip(values, widths)
    )
    return lines * int(Pt(size_pt * 1.15)) + int(Inches(0.07))


def _table_pages(table: report.ReportTable, widths: list[int], first_height: int, height: int) -> list[pd.DataFrame]:
    """Split a table into slide-sized pages: estimated row heights summed against the room left."""
    frame = table.frame
    header = _row_height([str(c) for c in frame.columns], widths, TABLE_PT)
    pages, start, used, room = [], 0, header, first_height
    for i, row in enumerate(frame.itertuples(index=False)):
        needed = _row_height([_cell_text(v) for v in row], widths, TABLE_PT)
        if used + needed > room and i > start:
            pages.append(frame.iloc[start:i])
            start, used, room = i, header, height
        used += needed
    pages.append(frame.iloc[start:])
    return pages


def _add_table(slide: Any, box: Box, frame: pd.DataFrame, widths: list[int], link_column: str | None) -> None:
    rows, cols = len(frame) + 1, len(frame.columns)
    header_h = _row_height([str(c) for c in frame.columns], widths, TABLE_PT)
    heights = [header_h] + [
        _row_height([_cell_text(v) for v in r], widths, TABLE_PT) for r in frame.itertuples(index=False)
    ]
    shape = slide.shapes.add_table(rows, cols, box.left, box.top, box.width, min(sum(heights), box.height))
    grid = shape.table
    for j, width in enumerate(widths):
        grid.columns[j].width = width
    for i in range(rows):
        grid.rows[i].height = _line_height(TABLE_PT) + int(Inches(0.08))  # rows grow to fit their text
    for j, column in enumerate(frame.columns):
        _fill_cell(grid.cell(0, j), xml_safe(column), None, bold=True)
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, (column, value) in enumerate(zip(frame.columns, row)):
            text = _cell_text(value)
            link = text if column == link_column and text.lower().startswith(("https://", "http://")) else None
            _fill_cell(grid.cell(i, j), text, link)


def _fill_cell(cell: Any, text: str, link: str | None, *, bold: bool = False) -> None:
    cell.margin_left = cell.margin_right = Inches(0.06)
    cell.margin_top = cell.margin_bottom = Inches(0.03)
    frame = cell.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = text
    run.font.size = Pt(TABLE_PT)
    run.font.bold = bold
    if link:
        run.hyperlink.address = link


def _notes(slide: Any, parts: Sequence[str]) -> None:
    text = "\n\n".join(xml_safe(p) for p in parts if p)
    if text:
        slide.notes_slide.notes_text_frame.text = text


def _text_slides(deck: _Deck, section: report.ReportSection) -> None:
    """The section's paragraphs and tables: paragraphs above the first table, long tables paginated."""
    paragraphs = list(section.paragraphs)
    body = deck.body
    caption_h = _line_height(CAPTION_PT + 1) + int(GAP)
    para_h = deck.paragraphs_height(paragraphs, BODY_PT) if paragraphs else 0
    if paragraphs and (not section.tables or para_h > body.height * 0.45):
        slide = deck.new_slide(section.title)
        deck.text_box(slide, Box(body.left, body.top, body.width, max(para_h, body.height // 3)), paragraphs, BODY_PT)
        _notes(slide, paragraphs)
        paragraphs, para_h = [], 0
    for table in section.tables:
        widths = _column_widths(table.frame, body.width)
        first_room = body.height - para_h - caption_h
        pages = _table_pages(table, widths, first_room, body.height - caption_h)
        for number, page in enumerate(pages, start=1):
            heading = section.title + (f" ({number}/{len(pages)})" if len(pages) > 1 else "")
            slide = deck.new_slide(heading)
            top = body.top
            if paragraphs:
                deck.text_box(slide, Box(body.left, top, body.width, para_h), paragraphs, BODY_PT)
                top += para_h
            deck.text_box(slide, Box(body.left, top, body.width, caption_h), [table.caption], CAPTION_PT + 1, MUTED)
            _add_table(
                slide,
                Box(body.left, top + caption_h, body.width, body.bottom - top - caption_h),
                page,
                widths,
                table.link_column,
            )
            _notes(slide, [table.caption, *paragraphs])
            paragraphs, para_h = [], 0


def _figure_title(section: report.ReportSection, figure: report.ReportFigure) -> str:
    """The figure's own title, else the section's (article charts leave theirs to the section heading)."""
    own = figure.fig.layout.title.text if figure.fig.layout.title else None
    return (pptx_charts.clean_text(own).strip() if own else "") or section.title


def _other_annotations(figure: report.ReportFigure, panels: Sequence[pptx_charts.Panel]) -> list[str]:
    titles = {p.title for p in panels}
    texts = [pptx_charts.clean_text(a.text).strip() for a in figure.fig.layout.annotations or () if a.text]
    return [t for t in texts if t and t not in titles]


def _chart_slide(deck: _Deck, section: report.ReportSection, figure: report.ReportFigure) -> str:
    """One figure on its own slide: native chart(s) or a picture, the caption under it, provenance in the notes.

    Returns the chart kind placed (a PowerPoint chart type name, or ``picture``).
    """
    slide = deck.new_slide(_figure_title(section, figure))
    body = deck.body
    caption = xml_safe(figure.caption)
    caption_h = deck.paragraphs_height([caption], CAPTION_PT) if caption else 0
    area = Box(body.left, body.top, body.width, body.height - caption_h)
    panels = pptx_charts.native_panels(figure.fig)
    if panels is not None:
        for panel in panels:
            x0, x1, y0, y1 = panel.domain
            pptx_charts.add_panel(
                slide,
                panel,
                area.left + int(x0 * area.width),
                area.top + int((1 - y1) * area.height),
                int((x1 - x0) * area.width),
                int((y1 - y0) * area.height),
            )
        kind = ", ".join(dict.fromkeys(p.kind_name for p in panels))
        how = (
            f"Native PowerPoint chart ({kind}): right-click it and choose Edit Data to change its numbers, "
            "or restyle it like any chart."
        )
        extra = _other_annotations(figure, panels)
        if extra:
            how += " Also marked on the app's chart: " + "; ".join(extra) + "."
    else:
        png = figures.figure_bytes(figure.fig, "png", figure.caption or None)
        scale = min(area.width / figures.EXPORT_WIDTH_PX, area.height / figures.EXPORT_HEIGHT_PX)
        width, height = int(figures.EXPORT_WIDTH_PX * scale), int(figures.EXPORT_HEIGHT_PX * scale)
        slide.shapes.add_picture(io.BytesIO(png), area.left + (area.width - width) // 2, area.top, width, height)
        traces = ", ".join(dict.fromkeys(t.type for t in figure.fig.data)) or "empty"
        kind = "picture"
        how = (
            f"Picture ({traces}): PowerPoint has no native chart of this kind; the app and the HTML report "
            "draw it interactively."
        )
    if caption:
        deck.text_box(slide, Box(body.left, area.bottom, body.width, caption_h), [caption], CAPTION_PT, MUTED)
    _notes(slide, [caption, figure.notes, how])
    return kind


def _title_slide(deck: _Deck, title: str, generated: dt.datetime) -> None:
    slide = deck.new_slide(title, deck.layouts.title)
    subtitle = (
        f"AI Factory Dashboard, {generated.strftime('%Y-%m-%d %H:%M UTC')}. Every built-in number cites "
        "a source (see Sources); derived and modelled rows are counted under each chart."
    )
    holders = [ph for ph in slide.placeholders if ph.placeholder_format.type not in _TITLE_TYPES]
    target = next((ph for ph in holders if ph.placeholder_format.type in (PP_PLACEHOLDER.SUBTITLE, *_BODY_TYPES)), None)
    for ph in holders:
        if ph is not target:
            ph._element.getparent().remove(ph._element)
    if target is not None:
        target.text_frame.text = xml_safe(subtitle)
        target.text_frame.word_wrap = True
        target.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    else:
        height = int(deck.prs.slide_height)
        deck.text_box(
            slide,
            Box(int(MARGIN), height // 2, int(deck.prs.slide_width) - 2 * int(MARGIN), height // 4),
            [subtitle],
            BODY_PT,
            MUTED,
        )
    if deck.layouts.default_look and target is not None:
        for paragraph in target.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(18)
                run.font.color.rgb = MUTED
    _notes(slide, [subtitle])


def build_deck(
    sections: Sequence[report.ReportSection],
    *,
    title: str = report.REPORT_TITLE,
    template: bytes | None = None,
    generated: dt.datetime | None = None,
) -> tuple[Any, list[str]]:
    """The deck as a python-pptx Presentation, and the chart kind of each figure in order."""
    if template is not None:
        prs = open_template(template)
        layouts = find_layouts(prs)
        _keep_only(prs, layouts)
    else:
        prs = _default_presentation()
        layouts = find_layouts(prs, default_look=True)
    deck = _Deck(prs, layouts)
    _title_slide(deck, title or report.REPORT_TITLE, generated or dt.datetime.now(dt.UTC))
    kinds = []
    for section in sections:
        if section.paragraphs or section.tables:
            _text_slides(deck, section)
        kinds += [_chart_slide(deck, section, figure) for figure in section.figures]
    return prs, kinds


def deck_bytes(
    sections: Sequence[report.ReportSection],
    *,
    title: str = report.REPORT_TITLE,
    template: bytes | None = None,
    generated: dt.datetime | None = None,
) -> bytes:
    """The report as ``.pptx`` bytes (see the module docstring); a bad template raises :class:`TemplateError`."""
    prs, _ = build_deck(sections, title=title, template=template, generated=generated)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
