"""Reusable pieces of layout: cards, chart frames with help links, formatted figures."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, cast

import dash_bootstrap_components as dbc
from dash import dcc, html

from parity import i18n
from parity.i18n import N_, _

GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "topojsonURL": "/assets/topojson/",
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def graph_config() -> Any:
    """A chart's plotly configuration, its toolbar in the request's language
    (assets/vendor/plotly-locale-fr.js)."""
    return cast(Any, {**GRAPH_CONFIG, "locale": i18n.language()})


def dropdown(**props: Any) -> dcc.Dropdown:
    """A dcc.Dropdown whose own words ("2 selected", "Select All", "No options found") are in
    the request's language."""
    labels: Any = {
        "select_all": _("Select All"),
        "deselect_all": _("Deselect All"),
        "selected_count": _("{num_selected} selected"),
        "search": _("Search"),
        "clear_search": _("Clear search"),
        "clear_selection": _("Clear selection"),
        "no_options_found": _("No options found"),
    }
    return dcc.Dropdown(labels=labels, **props)


@cache
def _ag_grid_french() -> dict[str, str]:
    """AG Grid's French words, read once (on first use, not at import)."""
    words: dict[str, str] = json.loads(
        (Path(__file__).parent / "ag-grid-locale-fr.json").read_text()
    )
    return words


def grid_locale() -> dict[str, str]:
    """AG Grid's own words (pagination, filter menus) in the request's language: AG Grid's
    French locale (npm @ag-grid-community/locale 33.3.2, MIT License, AG GRID LTD) in French."""
    words = dict(_ag_grid_french()) if i18n.language() == "fr" else {}
    words["noRowsToShow"] = _("Nothing to show: see the note under the table")
    return words


def aria(label: str) -> dict[str, Any]:
    """An aria-label, which Python names cannot spell (splat it into a component)."""
    return {"aria-label": label}


def help_link(anchor: str, label: str = N_("How is this computed?")) -> html.A:
    """A small '?' linking to the figure's entry on the Definitions page."""
    label = _(label)
    return html.A(
        "?",
        href=f"/definitions#{anchor}",
        className="help-link",
        title=label,
        **aria(label),
    )


def chart_id(part: str, graph_id: Any) -> dict[str, Any]:
    """The id of a part of a chart's text alternative (``graph_id`` MATCH: every chart)."""
    return {"type": f"chart-{part}", "chart": graph_id}


def chart(graph_id: str, anchor: str, height: int | None = None, phone: bool = False) -> dbc.Card:
    """A card holding one graph and its help link, with its text alternative: the takeaway
    in a sentence (the figure's caption) and the figures behind it, shown as a table on demand
    ("Show as table": a disclosure, drawn in the browser only when opened). With ``phone``, a
    phone shows ``<graph_id>-phone`` (a ranked list, filled by the page) instead of the graph."""
    style = {"minHeight": f"{height}px"} if height else {}
    alternative = [html.Div(id=f"{graph_id}-phone", className="phone-only")] if phone else []
    return dbc.Card(
        dbc.CardBody(
            [
                help_link(anchor),
                html.Figure(
                    [
                        dcc.Loading(
                            dcc.Graph(
                                id=graph_id,
                                config=graph_config(),
                                style=style,
                                className="phone-hide" if phone else "",
                            ),
                            type="dot",
                            delay_show=400,
                        ),
                        html.Figcaption(id=f"{graph_id}-alt", className="chart-alt small"),
                    ],
                    className="chart-figure mb-0",
                ),
                *alternative,
                html.Details(
                    [
                        html.Summary(_("Show as table"), id=chart_id("toggle", graph_id)),
                        html.Div(id=chart_id("table", graph_id), className="chart-table-wrap"),
                    ],
                    className="chart-table-toggle small",
                ),
                dcc.Store(id=chart_id("rows", graph_id)),
            ],
            className="chart-body",
        ),
        className="chart-card mb-3",
    )


def chart_outputs(graph_id: str) -> list[Any]:
    """A ``chart``'s callback outputs: the figure, its sentence and its table's rows."""
    from dash import Output

    return [
        Output(graph_id, "figure"),
        Output(f"{graph_id}-alt", "children"),
        Output(chart_id("rows", graph_id), "data"),
    ]


def chart_values(figure: Any, table: dict[str, Any]) -> list[Any]:
    """The values of ``chart_outputs`` for a figure and its ``chart_table``."""
    return [figure, table["sentence"], table]


def stat(stat_id: str, label: str, anchor: str) -> dbc.Card:
    """A headline figure: label, value and a note underneath (filled by a callback)."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.Div(
                    [
                        html.Span(_(label), id=f"{stat_id}-label", className="stat-label"),
                        help_link(anchor),
                    ],
                    className="stat-head",
                ),
                html.Div("…", id=f"{stat_id}-value", className="stat-value"),
                html.Div("", id=f"{stat_id}-note", className="stat-note"),
            ]
        ),
        className="stat-card h-100",
    )


def page_header(title: str, lead: str, page: str | None = None) -> html.Div:
    """A page's title and lead; with ``page``, also the ``<page>-init`` store whose first value
    runs the page's callback once when it opens."""
    parts: list[Any] = [html.H1(title, className="page-title"), html.P(lead, className="page-lead")]
    if page:
        parts.append(dcc.Store(id=f"{page}-init", data=1))
    return html.Div(parts)


# --- view models to components -------------------------------------------------------------

FORMATTERS = {
    "count": "parityCount",
    "share": "parityShare",
    "pp": "parityGap",
    "rate": "parityShare",
    "ratio": "parityRatio",
    "status": "parityStatus",
    "year": "parityText",
    "text": "parityText",
    "words": "parityText",
}
NUMERIC_KINDS = {"count", "share", "pp", "rate", "ratio", "year"}
ROW_HEIGHT, HEADER_HEIGHT = 42, 84  # px, as the alpine theme draws them (headers wrap)


def grid(grid_id: str, rows: int = 12) -> Any:
    """One data grid (filled by a callback with ``grid_props``): sortable, resizable, the height
    of ``rows`` rows; a taller table scrolls inside it, nothing is cut off."""
    import dash_ag_grid as dag

    return dag.AgGrid(
        id=grid_id,
        columnDefs=[],
        rowData=[],
        defaultColDef={
            "sortable": True,
            "resizable": True,
            "minWidth": 90,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            # columns mix numbers and "fewer than 5": no inferred type
            "cellDataType": False,
        },
        dashGridOptions={
            "animateRows": False,
            "rowClassRules": {"withheld-row": "params.data && !!params.data.hidden_text"},
            "localeText": grid_locale(),
        },
        columnSize="responsiveSizeToFit",
        style={"height": f"{HEADER_HEIGHT + ROW_HEIGHT * rows}px"},
        className="ag-theme-alpine parity-grid",
    )


KEY_FIGURES = ("women_share", "parity_status")


def key_columns_first(columns: Any) -> list[Any]:
    """A table's columns in reading order for any width: what names the row, then women's
    share and the status, then the counts and the rest (a phone shows the first three without
    scrolling the grid sideways)."""
    columns = list(columns)
    labels = 0
    while labels < len(columns) and columns[labels].kind not in NUMERIC_KINDS - {"year"}:
        labels += 1
    key = [c for c in columns[labels:] if c.key in KEY_FIGURES]
    rest = [c for c in columns[labels:] if c.key not in KEY_FIGURES]
    return columns[:labels] + key + rest


PHONE_WIDTHS = {"name": 64, "share": 84, "status": 110, "text": 140}
"""The columns a phone keeps of a table with women's share (assets/phone.js hides the others
there), and their least widths: each row's name, share and first status on one screen."""
STATUS_KEYS = ("parity_status", "status_words")
DERIVED_LABELS = (
    "category",
    "country",
    "region",
    "location",
    "nationality_region",
    "regional_group",
)  # derived from a grade, a duty station or a nationality


def _status_width() -> int:
    """A status column's least width: its longest status in the reader's language, whole (bold
    type, about 8 px a character, and the cell's padding)."""
    from parity.wording import STATUS_WORDS

    return max(200, max(8 * len(_(words)) + 34 for words in STATUS_WORDS.values()))


def phone_column(definition: dict[str, Any], role: str) -> None:
    """Keep a grid's column on a phone in ``role`` (name, share, status or text: its least
    width; a name, a status and a text share the rest of the width 2:1:3)."""
    definition["context"] = {"phone": role, "phoneWidth": PHONE_WIDTHS[role]}


def _mark_phone_columns(columns: list[dict[str, Any]]) -> None:
    fields = [c["field"] for c in columns]
    if "women_share" not in fields:
        return  # a table without the key figures (batches, a round's board) keeps its columns
    labels = 0  # what names the row: the columns before the first figure
    while labels < len(columns) and columns[labels].get("type") != "rightAligned":
        labels += 1
    names = [f for i, f in enumerate(fields[: max(labels, 1)]) if i == 0 or f not in DERIVED_LABELS]
    status = next((f for f in fields if f in STATUS_KEYS), None)
    kept = {**dict.fromkeys(names, "name"), "women_share": "share", status: "status"}
    for definition in columns:
        role = kept.get(definition["field"])
        if role:
            phone_column(definition, role)


def grid_props(table: Any) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str]]:
    """A view's Table as a grid's column definitions, row data and style (the height fits the
    rows, up to 20 before the grid scrolls)."""
    columns = []
    for column in key_columns_first(table.columns):
        numeric = column.kind in NUMERIC_KINDS
        definition: dict[str, Any] = {
            "field": column.key,
            "headerName": column.header,
            "valueFormatter": {"function": f"{FORMATTERS[column.kind]}(params)"},
            "type": "rightAligned" if numeric else None,
        }
        if column.description:
            definition["headerTooltip"] = column.description
        header_word = max((len(word) for word in definition["headerName"].split()), default=0)
        definition["minWidth"] = max(
            _status_width()
            if column.kind == "status"
            else 120
            if column.key == "total" or not numeric
            else 96,
            9 * header_word + 60,  # a header wraps between words, never inside one
        )
        if column.kind == "status":
            definition["cellClass"] = {"function": "'status ' + (params.value || '')"}
            # a small group's longer words ("As close to parity as 3 people allow") wrap
            definition.update(wrapText=True, autoHeight=True)
        columns.append({k: v for k, v in definition.items() if v is not None})
    _mark_phone_columns(columns)
    rows = table.records()
    for definition in columns:  # names and words whole ("Coral Environment Programme")
        if definition.get("type") != "rightAligned":
            longest = max(
                (len(str(r.get(definition["field"]) or "")) for r in rows[:500]), default=0
            )
            definition["minWidth"] = max(definition["minWidth"], min(8 * longest + 34, 320))
    height = HEADER_HEIGHT + ROW_HEIGHT * max(1, min(len(rows), 20)) + 4
    return columns, rows, {"height": f"{height}px"}


def stat_parts(stats: Any) -> list[str]:
    """The value and note of each Stat, in order (for a callback's stat outputs)."""
    out: list[str] = []
    for item in stats:
        out += [item.value, item.note]
    return out


def table_card(prefix: str, title: str) -> Any:
    """A card holding a view's table: its title, its grid and the note on what it withholds
    (ids ``<prefix>-table-title``, ``<prefix>-grid``, ``<prefix>-table-note``)."""
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(title, className="card-title h5", id=f"{prefix}-table-title"),
                grid(f"{prefix}-grid"),
                html.P(id=f"{prefix}-table-note", className="table-note small text-muted mt-2"),
            ]
        ),
        className="mb-3",
    )


def table_outputs(prefix: str) -> list[Any]:
    """The callback outputs of a ``table_card``, in the order of ``table_values``."""
    from dash import Output

    grid_id = f"{prefix}-grid"
    return [
        Output(f"{prefix}-table-title", "children"),
        Output(grid_id, "columnDefs"),
        Output(grid_id, "rowData"),
        Output(grid_id, "style"),
        Output(f"{prefix}-table-note", "children"),
    ]


def table_values(table: Any) -> list[Any]:
    """A view's Table as the values of ``table_outputs``: title, grid columns, rows and height,
    and the note (what is withheld, or why the table is empty)."""
    columns, rows, style = grid_props(table)
    note = table.note if table.note else "" if rows else table.empty
    return [table.title, columns, rows, style, note]


def stat_row(prefix: str, cards: Any, **sizes: Any) -> Any:
    """A row of headline cards: ``cards`` is (name, label, anchor) per card, ids
    ``<prefix>-<name>-value`` / ``-note``; ``sizes`` are the columns' widths (xs, md, xl...)."""
    return dbc.Row(
        [
            dbc.Col(stat(f"{prefix}-{name}", label, anchor), className="mb-3", **sizes)
            for name, label, anchor in cards
        ],
        className="stats-row",
    )


def stat_outputs(prefix: str, cards: Any) -> list[Any]:
    """The callback outputs of a ``stat_row``, in the order of ``stat_parts``."""
    from dash import Output

    return [
        Output(f"{prefix}-{name}-{part}", "children")
        for name, _, _ in cards
        for part in ("value", "note")
    ]
