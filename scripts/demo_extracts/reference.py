"""Reference data read from the dbt seeds (seeds/reference/). The generator takes its
codes, neighbourhoods and harm weights from here and nowhere else."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from quality.contracts import code_lists

DEFAULT_SEED_DIR = Path(__file__).resolve().parents[2] / "seeds" / "reference"


def codes(code_list: str) -> tuple[str, ...]:
    """A code list of seeds/reference/ref_code_lists.csv: the codes the extract's
    contract accepts, in the seed's order (the generator's index order)."""
    return code_lists(DEFAULT_SEED_DIR)[code_list]


def read_seed(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [dict(row) for row in csv.DictReader(handle)]


def _flag(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered not in {"true", "false"}:
        raise ValueError(f"expected true/false, got {value!r}")
    return lowered == "true"


@dataclass(frozen=True)
class Reference:
    """Seed tables as aligned arrays, in seed file order."""

    lpa_codes: tuple[str, ...]
    neighbourhood_codes: tuple[str, ...]
    neighbourhood_names: tuple[str, ...]
    neighbourhood_lpa: NDArray[np.int64]  # index into lpa_codes
    offence_codes: tuple[str, ...]
    offence_group: tuple[str, ...]
    offence_subgroup: tuple[str, ...]
    neighbourhood_crime_type: tuple[str, ...]  # "" when not a neighbourhood crime
    is_knife_offence: NDArray[np.bool_]
    is_gun_offence: NDArray[np.bool_]
    is_most_serious_violence: NDArray[np.bool_]
    harm_days: NDArray[np.float64]
    outcome_codes: tuple[str, ...]
    outcome_is_positive: NDArray[np.bool_]
    outcome_is_oocr: NDArray[np.bool_]
    # 2021 Census population by broad ethnic group (asian, black, mixed, other, white).
    ethnic_group_population: Mapping[str, int] = field(default_factory=dict)

    @property
    def n_lpas(self) -> int:
        return len(self.lpa_codes)

    @property
    def n_offences(self) -> int:
        return len(self.offence_codes)

    def lpa_index(self, code: str) -> int:
        return self.lpa_codes.index(code)

    def offence_index(self, code: str) -> int:
        try:
            return self.offence_codes.index(code)
        except ValueError:
            raise KeyError(f"offence code {code!r} is not in ref_offences") from None

    def outcome_index(self, code: str) -> int:
        try:
            return self.outcome_codes.index(code)
        except ValueError:
            raise KeyError(f"outcome code {code!r} is not in ref_outcome_codes") from None

    def offences_where(
        self,
        groups: Iterable[str] = (),
        subgroups: Iterable[str] = (),
        codes: Iterable[str] = (),
    ) -> NDArray[np.bool_]:
        """Offence mask: in any of the groups, subgroups or codes named."""
        groups, subgroups = set(groups), set(subgroups)
        mask = np.array(
            [
                g in groups or s in subgroups
                for g, s in zip(self.offence_group, self.offence_subgroup, strict=True)
            ],
            dtype=bool,
        )
        for code in codes:
            mask[self.offence_index(code)] = True
        return mask

    def offence_values(
        self,
        default: float,
        by_group: Mapping[str, float] | None = None,
        by_subgroup: Mapping[str, float] | None = None,
        by_code: Mapping[str, float] | None = None,
    ) -> NDArray[np.float64]:
        """A value per offence code: code overrides subgroup overrides group overrides
        default. Every group, subgroup and code named must exist in the seeds."""
        values = np.full(self.n_offences, default, dtype=np.float64)
        for name, value in (by_group or {}).items():
            mask = np.array([g == name for g in self.offence_group])
            if not mask.any():
                raise KeyError(f"offence group {name!r} is not in ref_offences")
            values[mask] = value
        for name, value in (by_subgroup or {}).items():
            mask = np.array([s == name for s in self.offence_subgroup])
            if not mask.any():
                raise KeyError(f"offence subgroup {name!r} is not in ref_offences")
            values[mask] = value
        for code, value in (by_code or {}).items():
            values[self.offence_index(code)] = value
        return values

    def outcome_mask(self, codes: Iterable[str]) -> NDArray[np.bool_]:
        mask = np.zeros(len(self.outcome_codes), dtype=bool)
        for code in codes:
            mask[self.outcome_index(code)] = True
        return mask


def load_reference(seed_dir: Path = DEFAULT_SEED_DIR) -> Reference:
    lpas = read_seed(seed_dir / "ref_local_policing_areas.csv")
    neighbourhoods = read_seed(seed_dir / "ref_neighbourhoods.csv")
    offences = read_seed(seed_dir / "ref_offences.csv")
    harm = {
        r["offence_code"]: float(r["harm_weight_days"])
        for r in read_seed(seed_dir / "ref_crime_harm_weights.csv")
    }
    outcomes = read_seed(seed_dir / "ref_outcome_codes.csv")

    lpa_codes = tuple(r["lpa_code"] for r in lpas)
    offence_codes = tuple(r["offence_code"] for r in offences)
    missing = set(offence_codes) - set(harm)
    if missing:
        raise ValueError(f"offence codes without a harm weight: {sorted(missing)}")
    return Reference(
        lpa_codes=lpa_codes,
        neighbourhood_codes=tuple(r["neighbourhood_code"] for r in neighbourhoods),
        neighbourhood_names=tuple(r["neighbourhood_name"] for r in neighbourhoods),
        neighbourhood_lpa=np.array(
            [lpa_codes.index(r["lpa_code"]) for r in neighbourhoods], dtype=np.int64
        ),
        offence_codes=offence_codes,
        offence_group=tuple(r["offence_group"] for r in offences),
        offence_subgroup=tuple(r["offence_subgroup"] for r in offences),
        neighbourhood_crime_type=tuple(r["neighbourhood_crime_type"] for r in offences),
        is_knife_offence=np.array([_flag(r["is_knife_crime_offence"]) for r in offences]),
        is_gun_offence=np.array([_flag(r["is_gun_crime_offence"]) for r in offences]),
        is_most_serious_violence=np.array([_flag(r["is_most_serious_violence"]) for r in offences]),
        harm_days=np.array([harm[c] for c in offence_codes], dtype=np.float64),
        outcome_codes=tuple(r["outcome_code"] for r in outcomes),
        outcome_is_positive=np.array([_flag(r["is_positive"]) for r in outcomes]),
        outcome_is_oocr=np.array([_flag(r["is_out_of_court_resolution"]) for r in outcomes]),
        ethnic_group_population={
            r["ethnic_group"]: int(r["population_2021"])
            for r in read_seed(seed_dir / "ref_population_by_ethnicity.csv")
        },
    )
