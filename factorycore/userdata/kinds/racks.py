"""Rack inventory: one row per rack with its design (allocated) power, optionally measured power.

Exported from a DCIM or kept in a spreadsheet. ``rack_id`` must be unique: a repeated
rack is set aside with the row it first appeared on. openDCIM's cabinet layout
(``bulk_cabinet.php``: DataCenter, Label, Zone, Row, ..., MaxkW) reads as one: Label is
the cabinet, MaxkW its design power; a cabinet with MaxkW empty is set aside ("design_kw
is missing"), never stored as 0 kW. A column of percentages (NetBox's Racks list heads
its power *utilisation* "Power", as "0%") is never read as a power.
"""

from dataclasses import replace

from factorycore.userdata.kinds.common import RACK_ID, RACK_KW_LIMIT, SITE
from factorycore.userdata.kinds.spec import DensityBasis, Field, KindSpec

SPEC = KindSpec(
    name="racks",
    label="Rack inventory",
    fields=(
        replace(RACK_ID, synonyms=(*RACK_ID.synonyms, "label", "cabinet_label", "bezeichnung")),
        Field(
            "design_kw",
            "power",
            (
                "design_kw",
                "design",
                "design_power",
                "design_load",
                "rated_power",
                "rated",
                "rating",
                "capacity",
                "rack_capacity",
                "power_capacity",
                "provisioned",
                "provisioned_power",
                "nameplate",
                "nameplate_power",
                "power_budget",
                "budget",
                "allocated_power",
                "max_power",
                "design_density",
                "rack_design_power",
                "design_rack_power",
                "contracted_power",
                "max",
                "max_kw",
                "nennleistung",
                "max_leistung",
                "maximale_leistung",
                "auslegungsleistung",
                "bemessungsleistung",
                "anschlussleistung",
                "puissance_max",
                "puissance_maximale",
                "puissance_nominale",
                "puissance_installee",
            ),
            required=True,
        ),
        Field(
            "measured_kw",
            "power",
            (
                "measured_kw",
                "measured",
                "measured_power",
                "actual",
                "actual_power",
                "avg_power",
                "average_power",
                "load",
                "it_load",
                "current_load",
                "used_power",
                "draw",
                "power_draw",
                "measured_load",
                "peak_power",
                "actual_load",
                "power",
                "leistung",
                "ist_leistung",
                "gemessene_leistung",
                "puissance",
                "puissance_mesuree",
            ),
        ),
        SITE,
        Field(
            "hall",
            "text",
            ("hall", "data_hall", "room", "zone", "suite", "pod", "cage", "hall_name", "raum", "saal", "salle"),
        ),
        Field("row", "text", ("row", "aisle", "row_name", "row_id", "reihe", "rangee")),
        Field("cooling", "text", ("cooling", "cooling_type", "cooling_method", "cooling_technology")),
        Field(
            "accelerator",
            "text",
            ("accelerator", "accelerator_type", "gpu", "gpu_model", "gpu_type", "accelerator_model"),
        ),
        Field(
            "accelerator_count",
            "count",
            (
                "accelerator_count",
                "accelerators",
                "gpu_count",
                "gpus",
                "num_gpus",
                "n_gpus",
                "number_of_gpus",
                "accelerator_qty",
                "gpu_qty",
            ),
        ),
    ),
    sample_file="racks_sample.csv",
    views=("site_density", "site_measured_vs_design", "site_stranded"),
    power_limit_kw=RACK_KW_LIMIT,
    unique_field="rack_id",
    density_bases={
        "design": DensityBasis("max(design_kw)", "Design kW"),
        "measured": DensityBasis("max(measured_kw)", "Measured kW"),
    },
)
