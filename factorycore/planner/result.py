"""One plan's result: each engine's result as the command line returns it, the sections' parts, the
sentences that explain it, the rows behind each chart, and the commands that print the same numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from factorycore import hardware as hw
from factorycore import numbers
from factorycore.cooling import CoolingResult, technology_limits
from factorycore.fleet import FleetResult
from factorycore.growth import DEFAULT_END_YEAR, DEFAULT_START_YEAR, GrowthResult
from factorycore.planner.inputs import BY_NAME, RACK_COOLING_OF_TECHNOLOGY
from factorycore.planner.sections import SECTIONS
from factorycore.planner.spec import flags
from factorycore.power import PowerFlow, PowerResult, flows_as_records
from factorycore.units import KW_PER_MW

_EMPTY: dict[str, Any] = {name: value for s in SECTIONS for name, value in s.empty.items()}


@dataclass(frozen=True)
class PlanResult:
    """One projection: each engine result as the command line returns it, plus the charts' data.

    The plant sections' results are in ``parts`` and read as attributes
    (``result.electrical``, ``result.runway``...: each section's ``empty`` names them).
    ``design_pue``, ``wue_l_per_kwh`` and ``pue_sd`` are the values the plant, water and
    runway used: the inputs' unless a section replaced them.
    """

    inputs: Any
    hardware: hw.Hardware
    platform: hw.Hardware
    count: int
    count_from_target: bool
    pue: float
    pue_basis: str
    capture: float
    rack_budget_kw: float
    fleet: FleetResult
    power: PowerResult
    cooling: CoolingResult
    growth: GrowthResult
    flows: tuple[PowerFlow, ...]
    flows_error: str
    sensitivity: pd.DataFrame = field(repr=False, compare=False)
    warnings: tuple[str, ...] = ()
    design_pue: float | None = None
    wue_l_per_kwh: float | None = None
    pue_sd: float | None = None
    parts: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __getattr__(self, name: str) -> Any:
        """A section's part (``electrical``, ``runway``, ...), or its empty value when it has not run."""
        if name.startswith("__") or name == "parts":
            raise AttributeError(name)
        parts = self.__dict__.get("parts") or {}
        if name in parts:
            return parts[name]
        if name in _EMPTY:
            return _EMPTY[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def verdict(self) -> str:
        """The feasibility verdict as one sentence, feasible or not."""
        if not self.cooling.feasible:
            return self.cooling.reason
        limits = technology_limits(self.inputs.technology)
        return (
            f"{self.fleet.kw_per_rack:,.1f} kW per rack is within the practical {self.inputs.technology} "
            f"limit of {limits.max_rack_kw:g} kW per rack ({limits.limit_basis})"
        )

    def headline(self) -> dict[str, Any]:
        """The headline numbers, keyed as in the CLI's JSON (fleet, power, cooling, growth)."""
        return {
            "systems": self.fleet.systems,
            "accelerators": self.fleet.accelerators,
            "it_kw": self.power.it_kw,
            "facility_kw": self.power.facility_kw,
            "racks": self.fleet.racks,
            "kw_per_rack": self.fleet.kw_per_rack,
            "pue": self.pue,
            "annual_it_mwh": self.power.annual_it_mwh,
            "annual_facility_mwh": self.power.annual_facility_mwh,
            "annual_cost_usd": self.power.annual_cost_usd,
            "annual_co2e_t": self.power.annual_co2e_t,
            "annual_water_m3": self.power.annual_water_m3,
            "heat_kw": self.cooling.heat_kw,
            "liquid_kw": self.cooling.liquid_kw,
            "air_kw": self.cooling.air_kw,
            "cooling_tons": self.cooling.cooling_tons,
            "coolant_flow_lpm": self.cooling.coolant_flow_lpm,
            "airflow_m3h": self.cooling.airflow_m3h,
            "airflow_cfm": self.cooling.airflow_cfm,
            "feasible": self.cooling.feasible,
            "capacity_exhausted_year": self.growth.capacity_exhausted_year,
        }

    def power_basis_text(self) -> str:
        """Which published figure sized the fleet, and its source, as one sentence."""
        f = self.fleet
        text = (
            f"IT power: {f.systems:,} x {self.platform.name} at {f.system_power_kw:g} kW each, the {f.basis} "
            f"figure from source {f.power_source_id}"
        )
        return text + (f" ({f.note})" if f.note else "")

    def ledger_rows(self) -> pd.DataFrame:
        """Every published power figure of the platform, side by side; ``used`` marks the one that sized it."""
        rows = [
            {
                "used": f.basis == self.fleet.basis and f.sizing,
                "basis": f.basis,
                "power_kw": f.power_kw,
                "scope": f.scope,
                "status": f.status,
                "source_id": f.source_id,
                "quote": f.quote,
                "seen_at": f.seen_at,
            }
            for f in self.platform.figures
        ]
        return pd.DataFrame(
            rows, columns=["used", "basis", "power_kw", "scope", "status", "source_id", "quote", "seen_at"]
        )

    def cli_commands(self) -> list[list[str]]:
        """The ``python -m factorycore`` argument lists that print these very numbers.

        fleet, power, cooling and growth, then each section's commands; a section's list
        whose first word names an earlier command adds its flags to that command.
        """
        i, text = self.inputs, numbers.exact
        which = "--system" if self.hardware.kind == "system" else "--accelerator"
        fleet = ["fleet", f"{which}={self.hardware.id}", f"--count={self.count}"]
        fleet += flags([BY_NAME["rack_kw"]], i)
        fleet.append(f"--pue={text(self.pue)}")
        fleet += flags([BY_NAME["basis"]], i)
        fleet.append(f"--cooling={RACK_COOLING_OF_TECHNOLOGY[i.technology]}")
        power = ["power", f"--it-kw={text(self.fleet.it_kw)}", f"--pue={text(self.pue)}"]
        power += flags([BY_NAME[n] for n in ("utilization", "price_usd_per_kwh", "grid_kg_co2e_per_kwh")], i)
        power.append(f"--wue={text(self.wue_l_per_kwh if self.wue_l_per_kwh is not None else i.wue_l_per_kwh)}")
        cooling = ["cooling", f"--heat-kw={text(self.fleet.it_kw)}"]
        cooling += flags([BY_NAME[n] for n in ("technology", "capture", "coolant")], i)
        cooling.append(f"--rack-kw={text(self.fleet.kw_per_rack)}")
        growth = [
            "growth",
            f"--load-mw={text(self.power.facility_kw / KW_PER_MW)}",
            *flags([BY_NAME[n] for n in ("capacity_mw", "growth")], i),
            f"--start-year={DEFAULT_START_YEAR}",
            f"--end-year={DEFAULT_END_YEAR}",
        ]
        commands = [fleet, power, cooling, growth]
        for section in SECTIONS:
            for command in section.commands(self):
                earlier = next((c for c in commands if c[0] == command[0]), None)
                if earlier is not None:
                    earlier.extend(command[1:])
                else:
                    commands.append(list(command))
        return commands

    def cli_text(self) -> str:
        """The commands as a reader would type them."""
        return "\n".join("python -m factorycore " + " ".join(cmd) + " --format json" for cmd in self.cli_commands())

    # Rows behind each chart (a chart shows these and nothing else).

    def _with_source(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(source_id=self.fleet.power_source_id)

    def modelled(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A plant section's rows: sized from the hardware's power with the project's plant models
        (data/README.md, "Model methods"), hence the platform's source and status modelled."""
        return self._with_source(frame).assign(status="modelled")

    def flow_rows(self) -> pd.DataFrame:
        """Sankey links: source, target, kw."""
        frame = pd.DataFrame(flows_as_records(list(self.flows)), columns=["source", "target", "kw"])
        return self._with_source(frame)

    def heat_rows(self) -> pd.DataFrame:
        """Heat rejected by liquid and by air: path, kw, share."""
        heat = self.cooling.heat_kw
        rows = pd.DataFrame({"path": ["liquid", "air"], "kw": [self.cooling.liquid_kw, self.cooling.air_kw]})
        rows["share"] = rows["kw"] / heat if heat > 0 else 0.0
        return self._with_source(rows)

    def trajectory_rows(self) -> pd.DataFrame:
        """Facility load by year against the site capacity."""
        rows = pd.DataFrame([{"year": p.year, "load_mw": p.load_mw} for p in self.growth.trajectory])
        rows["capacity_mw"] = self.inputs.capacity_mw
        rows["over_capacity"] = rows["load_mw"] > rows["capacity_mw"]
        return self._with_source(rows)

    def tornado_rows(self) -> pd.DataFrame:
        """The annual-cost sweep, largest swing first (see :func:`factorycore.sensitivity.tornado`)."""
        return self._with_source(self.sensitivity.copy())
