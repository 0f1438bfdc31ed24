"""The AI factory infrastructure stack: its layers, their components, and where the power goes.

The article's third chart lists the layers of an AI factory. Here each layer and
component is sized by its share of facility power in a reference AI deployment, as
a treemap or icicle (click a layer to zoom into it and see its detail) or a Sankey (facility
power flowing into layers, then components). Software components that draw no power
of their own cannot be sized, so :func:`layer_summary` and :func:`layer_components`
list every layer and component for the page's tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from factorycore.charts import theme
from factorycore.charts._common import empty_message, source_names, status_of

TITLE = "Where the power goes in a reference AI factory, % of facility power"
KINDS: tuple[str, ...] = ("treemap", "icicle", "sankey")
ROOT_LABEL = "Facility power"
_LAYER_PREFIX = "layer:"
_COMPONENT_PREFIX = "component:"


def layer_colour(layer_order: int) -> str:
    """One Okabe-Ito colour per layer, stable by its order in the stack."""
    return theme.OKABE_ITO[(int(layer_order) - 1) % len(theme.OKABE_ITO)]


def layer_summary(stack: pd.DataFrame) -> pd.DataFrame:
    """One row per layer: order, name, share of facility power (%), component count, weakest status."""
    if stack.empty:
        return pd.DataFrame(columns=["layer_order", "layer", "power_share_pct", "components", "status", "source_id"])
    grouped = stack.groupby(["layer_order", "layer"], sort=True)
    summary = grouped.agg(
        power_share_pct=("power_share_pct", "sum"),
        components=("component", "count"),
        status=("status", status_of),
        source_id=("source_id", lambda s: "; ".join(sorted(set(s)))),
    ).reset_index()
    summary["power_share_pct"] = summary["power_share_pct"].round(1)
    return summary


def layer_components(stack: pd.DataFrame, layer: str) -> pd.DataFrame:
    """The components of one layer with examples, power share, status, source and method note."""
    cols = [c for c in ("component", "examples", "power_share_pct", "status", "source_id", "note") if c in stack]
    rows = stack[stack["layer"] == layer].sort_values("power_share_pct", ascending=False)
    return rows[cols].reset_index(drop=True)


def layer_from_selection(selection: Mapping[str, Any] | None, stack: pd.DataFrame) -> str | None:
    """The layer a click or selection on the stack figure points at, or None.

    Works for either figure kind: every drawn item carries its layer name as the
    first element of ``customdata``; the item's ``id`` or ``label`` is a fallback.
    """
    if not selection:
        return None
    points = selection.get("points") if isinstance(selection, Mapping) else None
    if points is None and isinstance(selection, Mapping) and "selection" in selection:
        points = (selection["selection"] or {}).get("points")
    layers = set(stack["layer"])
    for point in points or []:
        custom = point.get("customdata")
        if isinstance(custom, (list, tuple)) and custom and custom[0] in layers:
            return str(custom[0])
        if isinstance(custom, str) and custom in layers:
            return custom
        for key in ("id", "label"):
            value = str(point.get(key) or "")
            if value.startswith(_LAYER_PREFIX) and value[len(_LAYER_PREFIX) :] in layers:
                return value[len(_LAYER_PREFIX) :]
            if value.startswith(_COMPONENT_PREFIX):
                layer = value[len(_COMPONENT_PREFIX) :].split("|", 1)[0]
                if layer in layers:
                    return layer
            if value in layers:
                return value
    return None


def _hierarchy(
    stack: pd.DataFrame, summary: pd.DataFrame, names: pd.Series, selected: str | None, kind: str
) -> go.Icicle | go.Treemap:
    ids, labels, parents, values, colours, custom = [ROOT_LABEL], [ROOT_LABEL], [""], [], [], []
    total = float(summary["power_share_pct"].sum())
    values.append(total)
    colours.append("#DDDDDD")
    custom.append(("", "all layers", "; ".join(sorted(set(stack["status"]))), "; ".join(sorted(set(names)))))
    for layer in summary.itertuples():
        ids.append(_LAYER_PREFIX + layer.layer)
        labels.append(layer.layer)
        parents.append(ROOT_LABEL)
        values.append(float(layer.power_share_pct))
        colour = layer_colour(layer.layer_order)
        colours.append(colour if selected in (None, layer.layer) else "#CCCCCC")
        layer_names = "; ".join(sorted(set(names[stack["layer"] == layer.layer])))
        custom.append((layer.layer, f"layer of {layer.components} components", layer.status, layer_names))
    for i, row in enumerate(stack.itertuples()):
        ids.append(f"{_COMPONENT_PREFIX}{row.layer}|{row.component}")
        labels.append(row.component)
        parents.append(_LAYER_PREFIX + row.layer)
        values.append(float(row.power_share_pct))
        colour = layer_colour(row.layer_order)
        colours.append(colour if selected in (None, row.layer) else "#DDDDDD")
        custom.append((row.layer, str(row.examples), row.status, names.iloc[i]))
    common = dict(
        ids=ids,
        labels=labels,
        parents=parents,
        values=values,
        branchvalues="total",
        marker={"colors": colours, "line": {"color": "white", "width": 1}},
        customdata=custom,
        texttemplate="<b>%{label}</b><br>%{value:.1f}%",
        hovertemplate=(
            "<b>%{label}</b><br>%{value:.1f}% of facility power"
            "<br>%{customdata[1]}<br>%{customdata[2]} · source: %{customdata[3]}<extra></extra>"
        ),
        root={"color": "#EEEEEE"},
        sort=False,
        name="AI factory stack",
    )
    if kind == "icicle":
        return go.Icicle(tiling={"orientation": "h"}, **common)
    return go.Treemap(tiling={"packing": "squarify", "pad": 2}, pathbar={"visible": True}, **common)


def _sankey(stack: pd.DataFrame, summary: pd.DataFrame, names: pd.Series, selected: str | None) -> go.Sankey:
    sized = stack[stack["power_share_pct"] > 0].reset_index(drop=True)
    sized_names = names[stack["power_share_pct"] > 0].reset_index(drop=True)
    node_labels = [ROOT_LABEL] + list(summary["layer"]) + list(sized["component"])
    node_colours = (
        ["#999999"]
        + [
            layer_colour(o) if selected in (None, name) else "#CCCCCC"
            for o, name in zip(summary["layer_order"], summary["layer"])
        ]
        + [
            layer_colour(o) if selected in (None, name) else "#DDDDDD"
            for o, name in zip(sized["layer_order"], sized["layer"])
        ]
    )
    node_custom = (
        [("", "")]
        + [(name, name) for name in summary["layer"]]
        + [(row.layer, str(row.examples)) for row in sized.itertuples()]
    )
    layer_index = {name: 1 + i for i, name in enumerate(summary["layer"])}
    sources, targets, values, link_custom, link_colours = [], [], [], [], []
    for layer in summary.itertuples():
        sources.append(0)
        targets.append(layer_index[layer.layer])
        values.append(float(layer.power_share_pct))
        link_custom.append((layer.layer, layer.status, "; ".join(sorted(set(names[stack["layer"] == layer.layer])))))
        link_colours.append("rgba(150,150,150,0.35)")
    for i, row in enumerate(sized.itertuples()):
        sources.append(layer_index[row.layer])
        targets.append(1 + len(summary) + i)
        values.append(float(row.power_share_pct))
        link_custom.append((row.layer, row.status, sized_names.iloc[i]))
        link_colours.append("rgba(150,150,150,0.25)")
    return go.Sankey(
        arrangement="snap",
        valueformat=".1f",
        valuesuffix="%",
        node={
            "label": node_labels,
            "color": node_colours,
            "customdata": node_custom,
            "pad": 12,
            "hovertemplate": "<b>%{label}</b><br>%{value:.1f}% of facility power<extra></extra>",
        },
        link={
            "source": sources,
            "target": targets,
            "value": values,
            "customdata": link_custom,
            "color": link_colours,
            "hovertemplate": (
                "%{source.label} → %{target.label}<br>%{value:.1f}% of facility power"
                "<br>%{customdata[1]} · source: %{customdata[2]}<extra></extra>"
            ),
        },
    )


def stack_figure(
    stack: pd.DataFrame,
    *,
    kind: str = "treemap",
    selected_layer: str | None = None,
    sources: pd.DataFrame | None = None,
    title: str = TITLE,
    large: bool = False,
) -> go.Figure:
    """The stack sized by share of facility power: ``kind`` 'treemap', 'icicle' or 'sankey'.

    ``stack`` is ``reference.stack``; ``selected_layer`` greys out the other layers.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    fig = go.Figure()
    if stack.empty:
        empty_message(fig, "No stack data")
    else:
        ordered = stack.sort_values(["layer_order", "power_share_pct"], ascending=[True, False]).reset_index(drop=True)
        summary = layer_summary(ordered)
        names = source_names(ordered, sources).reset_index(drop=True)
        if kind == "sankey":
            fig.add_trace(_sankey(ordered, summary, names, selected_layer))
        else:
            fig.add_trace(_hierarchy(ordered, summary, names, selected_layer, kind))
    theme.apply(fig, title=title, large=large)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 70, "b": 10})
    return fig
