"""The extract contracts, declared once: one `ExtractSpec` per landing file.

Everything the gate checks comes from these entries; adding an extract (or a check to one)
is an entry here, nothing else. A spec says:

- the columns, in delivery order, each with a kind (`id`, `code`, `date`, `timestamp`,
  `number`, `text`), whether it is required (non-empty), its code set (inline or a dbt
  seed column) or identifier pattern, and whether its date must fall in the declared window;
- the key (one or more columns): null key, malformed key, duplicate key and duplicate rows;
- order pairs (`end` not before `start`) with their duration bounds, optionally per value
  of another column (999 calls within 6 hours, 101 calls within 24 hours);
- `exactly_one_of`: columns of which exactly one must be filled (answered or abandoned);
- references to another extract's key (an outcome's crime), optionally with a date order
  (outcome date not before the crime's recorded date);
- the volume band against the previous accepted delivery;
- for a long extract of figures (periodic returns): date columns that must be month ends,
  number columns with a minimum, and `measures`: the (return, measure) pairs a seed
  knows, and counts not above the count the seed names as their whole in the same
  return and period (completed <= headcount).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_SEEDS_DIR = PROJECT_DIR / "seeds" / "reference"

KINDS = ("id", "code", "date", "timestamp", "number", "text")
HOUR = 3600
DAY = 24 * HOUR


@dataclass(frozen=True)
class Seed:
    """A code set read from a dbt seed: `file` in the seeds folder, `column` of it."""

    file: str
    column: str

    def load(self, seeds_dir: Path) -> tuple[str, ...]:
        path = seeds_dir / self.file
        with path.open(newline="", encoding="utf-8") as handle:
            values = [row[self.column].strip() for row in csv.DictReader(handle)]
        return tuple(dict.fromkeys(v for v in values if v))


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"
    required: bool = True
    codes: tuple[str, ...] | Seed | None = None  # kind "code"
    pattern: str | None = None  # kind "id": a full-match regular expression
    in_window: bool = False  # kind "date"/"timestamp": within the declared window
    month_end: bool = False  # kind "date": the last day of a month
    min_value: float | None = None  # kind "number": not below this

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: kind {self.kind!r} is not one of {KINDS}")
        if self.kind == "code" and self.codes is None:
            raise ValueError(f"{self.name}: a code column needs its code set")
        if self.in_window and self.kind not in ("date", "timestamp"):
            raise ValueError(f"{self.name}: only dates and timestamps have a window")
        if self.month_end and self.kind != "date":
            raise ValueError(f"{self.name}: only dates can be month ends")
        if self.min_value is not None and self.kind != "number":
            raise ValueError(f"{self.name}: only numbers have a minimum")


@dataclass(frozen=True)
class OrderPair:
    """`end` is not before `start` (both timestamps of the same row); the time between
    them, in seconds, is published to the checks as `name` and must not exceed
    `max_seconds`, or `max_seconds_by[value of by_column]`."""

    name: str
    start: str
    end: str
    max_seconds: int | None = None
    by_column: str | None = None
    max_seconds_by: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Reference:
    """`column` must be a key of extract `extract` (key column `key`), of a row the gate
    accepted; with `not_before`=(this date column, that date column), this row's date is
    not before the referenced row's date."""

    column: str
    extract: str
    key: str
    not_before: tuple[str, str] | None = None


@dataclass(frozen=True)
class Measures:
    """A long extract of figures: `id_columns` (e.g. return and measure) must be a row of
    the seed `file` (same column names); a row whose measure the seed bounds by another
    (`bound_column`, e.g. completed by headcount) must not have a `value` above that
    measure's value in the same `group_columns` (e.g. return and period end)."""

    file: str
    id_columns: tuple[str, str]
    group_columns: tuple[str, ...]
    value: str
    bound_column: str

    def load(self, seeds_dir: Path) -> list[tuple[str, str, str]]:
        """(id, measure, bounding measure or '') of every row of the seed."""
        with (seeds_dir / self.file).open(newline="", encoding="utf-8") as handle:
            return [
                (
                    row[self.id_columns[0]].strip(),
                    row[self.id_columns[1]].strip(),
                    (row[self.bound_column] or "").strip(),
                )
                for row in csv.DictReader(handle)
            ]


@dataclass(frozen=True)
class ExtractSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    order_pairs: tuple[OrderPair, ...] = ()
    exactly_one_of: tuple[tuple[str, ...], ...] = ()
    references: tuple[Reference, ...] = ()
    volume_band: tuple[float, float] = (0.5, 2.0)  # rows vs the previous accepted delivery
    measures: Measures | None = None

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    def __post_init__(self) -> None:
        names = self.column_names
        if len(set(names)) != len(names):
            raise ValueError(f"{self.name}: duplicate column names")
        wanted = [*self.key]
        for pair in self.order_pairs:
            wanted += [pair.start, pair.end, *([pair.by_column] if pair.by_column else [])]
        for group in self.exactly_one_of:
            wanted += list(group)
        for ref in self.references:
            wanted += [ref.column, *([ref.not_before[0]] if ref.not_before else [])]
        if self.measures:
            m = self.measures
            wanted += [*m.id_columns, *m.group_columns, m.value]
        missing = [n for n in wanted if n not in names]
        if missing:
            raise ValueError(f"{self.name}: unknown columns {missing}")


FLAG = ("Y", "N")
CRIME_REFERENCE = r"\d{2}/\d{6}/\d{2}"


def _flag(name: str) -> Column:
    return Column(name, "code", codes=FLAG)


CRIMES = ExtractSpec(
    name="crimes",
    columns=(
        Column("crime_reference", "id", pattern=CRIME_REFERENCE),
        Column("recorded_date", "date", in_window=True),
        Column("ho_offence_code", "code", codes=Seed("ref_offences.csv", "offence_code")),
        Column(
            "neighbourhood_code",
            "code",
            codes=Seed("ref_neighbourhoods.csv", "neighbourhood_code"),
        ),
        Column("record_status", "code", codes=("RECORDED", "CANCELLED", "TRANSFERRED")),
        _flag("domestic_abuse_flag"),
        Column("victim_sex", "code", required=False, codes=("F", "M", "U")),
        Column(
            "victim_age_band",
            "code",
            required=False,
            codes=("0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"),
        ),
        _flag("business_victim_flag"),
        _flag("emergency_worker_victim_flag"),
        _flag("business_worker_victim_flag"),
        _flag("knife_sharp_instrument_flag"),
        _flag("firearm_flag"),
        Column("transport_location", "code", required=False, codes=("BUS", "TRAIN", "METRO")),
    ),
    key=("crime_reference",),
)

CRIME_OUTCOMES = ExtractSpec(
    name="crime_outcomes",
    columns=(
        Column("crime_reference", "id", pattern=CRIME_REFERENCE),
        Column("outcome_code", "code", codes=Seed("ref_outcome_codes.csv", "outcome_code")),
        Column("outcome_date", "date", in_window=True),
    ),
    key=("crime_reference", "outcome_date", "outcome_code"),
    references=(
        Reference(
            "crime_reference",
            extract="crimes",
            key="crime_reference",
            not_before=("outcome_date", "recorded_date"),
        ),
    ),
)

CALLS = ExtractSpec(
    name="calls",
    columns=(
        Column("call_id", "id", pattern=r"CALL-\d+"),
        Column("channel", "code", codes=("999", "101")),
        Column("presented_at", "timestamp", in_window=True),
        Column("answered_at", "timestamp", required=False),
        Column("abandoned_at", "timestamp", required=False),
    ),
    key=("call_id",),
    order_pairs=(
        OrderPair(
            "answer_seconds",
            start="presented_at",
            end="answered_at",
            by_column="channel",
            max_seconds_by=MappingProxyType({"999": 6 * HOUR, "101": 24 * HOUR}),
        ),
        OrderPair(
            "abandon_seconds",
            start="presented_at",
            end="abandoned_at",
            by_column="channel",
            max_seconds_by=MappingProxyType({"999": 6 * HOUR, "101": 24 * HOUR}),
        ),
    ),
    exactly_one_of=(("answered_at", "abandoned_at"),),
)

INCIDENTS = ExtractSpec(
    name="incidents",
    columns=(
        Column("incident_id", "id", pattern=r"INC-\d+"),
        Column("created_at", "timestamp", in_window=True),
        Column(
            "grade",
            "code",
            codes=("EMERGENCY", "PRIORITY", "SCHEDULED", "RESOLVED_WITHOUT_DEPLOYMENT"),
        ),
        Column("opening_category", "id", pattern=r"[A-Z][A-Z0-9_]*"),
        Column(
            "neighbourhood_code",
            "code",
            codes=Seed("ref_neighbourhoods.csv", "neighbourhood_code"),
        ),
        Column("first_arrival_at", "timestamp", required=False),
    ),
    key=("incident_id",),
    order_pairs=(
        # Scheduled appointments can be booked a week or more ahead (the demo has some
        # at 8 days); an emergency attended days later is a recording error.
        OrderPair(
            "response_seconds",
            start="created_at",
            end="first_arrival_at",
            by_column="grade",
            max_seconds_by=MappingProxyType(
                {
                    "EMERGENCY": 2 * DAY,
                    "PRIORITY": 7 * DAY,
                    "SCHEDULED": 14 * DAY,
                    "RESOLVED_WITHOUT_DEPLOYMENT": 14 * DAY,
                }
            ),
        ),
    ),
)

PERIODIC_RETURNS = ExtractSpec(
    name="periodic_returns",
    columns=(
        Column("return_id", "code", codes=Seed("ref_return_measures.csv", "return_id")),
        Column("period_end", "date", in_window=True, month_end=True),
        Column("measure", "code", codes=Seed("ref_return_measures.csv", "measure")),
        Column("value", "number", min_value=0),
    ),
    # One value per measure per period.
    key=("return_id", "period_end", "measure"),
    measures=Measures(
        file="ref_return_measures.csv",
        id_columns=("return_id", "measure"),
        group_columns=("return_id", "period_end"),
        value="value",
        bound_column="not_above_measure",
    ),
    # A return file is small and grows by a few rows a month; a delivery with under
    # half (or over twice) the rows of the last one is still a collapse (or a surge).
)

# --- Roads and travel safety (report section 4) and orders (10.6) ---------------------

NEIGHBOURHOOD = Column(
    "neighbourhood_code", "code", codes=Seed("ref_neighbourhoods.csv", "neighbourhood_code")
)
# STATS19 codes (DfT road safety open data guide), as the extract writes them.
STATS19_CASUALTY_TYPES = tuple(
    str(c) for c in (0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23, 90, 97, 98, 99)
)

ROAD_CASUALTIES = ExtractSpec(
    name="road_casualties",
    columns=(
        # Year, police force code 20 (West Midlands), a seven-character reference.
        Column("collision_index", "id", pattern=r"\d{4}20[0-9A-Z]{7}"),
        Column("collision_date", "date", in_window=True),
        Column("collision_time", "id", pattern=r"([01]\d|2[0-3]):[0-5]\d"),
        Column(
            "local_authority_ons_district",
            "code",
            codes=Seed("ref_local_authority_districts.csv", "local_authority_ons_district"),
        ),
        Column("vehicle_reference", "id", pattern=r"[1-9]\d{0,2}"),
        Column("casualty_reference", "id", pattern=r"[1-9]\d{0,2}"),
        Column("casualty_class", "code", codes=("1", "2", "3")),
        Column("sex_of_casualty", "code", codes=("1", "2", "9", "-1")),
        Column("age_of_casualty", "number"),
        Column("age_band_of_casualty", "code", codes=("-1", *(str(b) for b in range(1, 12)))),
        Column("casualty_severity", "code", codes=("1", "2", "3")),
        Column("casualty_type", "code", codes=STATS19_CASUALTY_TYPES),
    ),
    key=("collision_index", "vehicle_reference", "casualty_reference"),
)

ROADS_ENFORCEMENT = ExtractSpec(
    name="roads_enforcement",
    columns=(
        Column("enforcement_id", "id", pattern=r"RE-\d+"),
        Column("action_date", "date", in_window=True),
        NEIGHBOURHOOD,
        Column(
            "offence_category",
            "code",
            codes=(
                "SPEEDING",
                "MOBILE_PHONE",
                "SEATBELT",
                "DRINK_DRIVING",
                "DRUG_DRIVING",
                "CARELESS_DRIVING",
                "DANGEROUS_DRIVING",
                "NO_INSURANCE",
                "OTHER_MOTORING",
            ),
        ),
        Column(
            "action_type",
            "code",
            codes=("FIXED_PENALTY", "DRIVER_EDUCATION", "REPORT_FOR_SUMMONS", "ARREST"),
        ),
        Column("detection_method", "code", codes=("OFFICER", "CAMERA")),
    ),
    key=("enforcement_id",),
)

DASHCAM_SUBMISSIONS = ExtractSpec(
    name="dashcam_submissions",
    columns=(
        Column("submission_id", "id", pattern=r"DC-\d+"),
        Column("submitted_date", "date", in_window=True),
        NEIGHBOURHOOD,
        Column("offence_reported", "id", pattern=r"[A-Z][A-Z0-9_]*"),
        Column(
            "outcome",
            "code",
            codes=(
                "DRIVER_EDUCATION",
                "FIXED_PENALTY",
                "PROSECUTION",
                "WARNING_LETTER",
                "NO_FURTHER_ACTION",
                "PENDING",
            ),
        ),
        Column("outcome_date", "date", required=False),
    ),
    key=("submission_id",),
)

VEHICLE_SEIZURES = ExtractSpec(
    name="vehicle_seizures",
    columns=(
        Column("seizure_id", "id", pattern=r"VS-\d+"),
        Column("seized_date", "date", in_window=True),
        NEIGHBOURHOOD,
        Column(
            "seizure_reason",
            "code",
            codes=(
                "NO_INSURANCE",
                "NO_DRIVING_LICENCE",
                "NO_VEHICLE_TAX",
                "ANTI_SOCIAL_USE",
                "EVIDENTIAL",
                "STOLEN_RECOVERED",
                "ABANDONED_OR_OBSTRUCTING",
            ),
        ),
        Column(
            "vehicle_type",
            "code",
            required=False,
            codes=("CAR", "VAN", "MOTORCYCLE", "E_SCOOTER", "OTHER"),
        ),
    ),
    key=("seizure_id",),
)

ORDERS_AND_CIVIL_INTERVENTIONS = ExtractSpec(
    name="orders_and_civil_interventions",
    columns=(
        Column("order_id", "id", pattern=r"ORD-\d+"),
        Column("order_date", "date", in_window=True),
        NEIGHBOURHOOD,
        Column("order_type", "id", pattern=r"[A-Z][A-Z0-9_]*"),
        Column("order_status", "code", codes=("ISSUED", "GRANTED", "REFUSED", "WITHDRAWN")),
    ),
    key=("order_id",),
)

TRUE_FALSE = ("True", "False")

# Stop and search in data.police.uk's columns (headers in snake_case) and values, plus
# the search id, the neighbourhood and what was found. Code sets are data.police.uk's
# vocabularies, so a value it publishes is never an unknown code here.
STOP_SEARCHES = ExtractSpec(
    name="stop_search",
    columns=(
        Column("stop_search_id", "id", pattern=r"SS-\d+"),
        Column(
            "search_type",
            "code",
            codes=("Person search", "Person and Vehicle search", "Vehicle search"),
        ),
        Column("searched_at", "timestamp", in_window=True),
        Column("part_of_policing_operation", "code", required=False, codes=TRUE_FALSE),
        Column("policing_operation", "text", required=False),
        Column("latitude", "number", required=False),
        Column("longitude", "number", required=False),
        Column("gender", "code", required=False, codes=("Male", "Female", "Other")),
        Column(
            "age_range",
            "code",
            required=False,
            codes=("under 10", "10-17", "18-24", "25-34", "over 34"),
        ),
        Column(
            "self_defined_ethnicity",
            "code",
            required=False,
            codes=(
                "Asian/Asian British - Any other Asian background",
                "Asian/Asian British - Bangladeshi",
                "Asian/Asian British - Chinese",
                "Asian/Asian British - Indian",
                "Asian/Asian British - Pakistani",
                "Black/African/Caribbean/Black British - African",
                "Black/African/Caribbean/Black British - Any other Black/African/Caribbean "
                "background",
                "Black/African/Caribbean/Black British - Caribbean",
                "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background",
                "Mixed/Multiple ethnic groups - White and Asian",
                "Mixed/Multiple ethnic groups - White and Black African",
                "Mixed/Multiple ethnic groups - White and Black Caribbean",
                "Other ethnic group - Any other ethnic group",
                "Other ethnic group - Not stated",
                "White - Any other White background",
                "White - English/Welsh/Scottish/Northern Irish/British",
                "White - Irish",
            ),
        ),
        Column(
            "officer_defined_ethnicity",
            "code",
            required=False,
            codes=("White", "Black", "Asian", "Mixed", "Other"),
        ),
        Column(
            "legislation",
            "code",
            codes=(
                "Misuse of Drugs Act 1971 (section 23)",
                "Police and Criminal Evidence Act 1984 (section 1)",
                "Police and Criminal Evidence Act 1984 (section 6)",
                "Criminal Justice and Public Order Act 1994 (section 60)",
                "Criminal Justice Act 1988 (section 139B)",
                "Firearms Act 1968 (section 47)",
                "Psychoactive Substances Act 2016 (s36(2))",
                "Psychoactive Substances Act 2016 (s37(2))",
                "Terrorism Act 2000 (section 43)",
                "Terrorism Act 2000 (section 43A)",
                "Terrorism Act 2000 (section 47A)",
                "Crossbows Act 1987 (section 4)",
                "Customs and Excise Management Act 1979 (section 163)",
                "Poaching Prevention Act 1862 (section 2)",
                "Public Stores Act 1875 (section 6)",
                "Wildlife and Countryside Act 1981 (section 19)",
            ),
        ),
        Column(
            "object_of_search",
            "code",
            codes=(
                "Controlled drugs",
                "Offensive weapons",
                "Stolen goods",
                "Article for use in theft",
                "Articles for use in criminal damage",
                "Firearms",
                "Anything to threaten or harm anyone",
                "Fireworks",
                "Psychoactive substances",
                "Evidence of offences under the Act",
                "Crossbows",
                "Goods on which duty has not been paid etc.",
                "Game or poaching equipment",
                "Evidence of wildlife offences",
                "Detailed object of search unavailable",
            ),
        ),
        Column(
            "outcome",
            "code",
            codes=(
                "A no further action disposal",
                "Arrest",
                "Community resolution",
                "Khat or Cannabis warning",
                "Penalty Notice for Disorder",
                "Summons / charged by post",
                "Caution (simple or conditional)",
            ),
        ),
        Column("outcome_linked_to_object_of_search", "code", required=False, codes=TRUE_FALSE),
        Column(
            "removal_of_more_than_just_outer_clothing", "code", required=False, codes=TRUE_FALSE
        ),
        Column(
            "neighbourhood_code",
            "code",
            codes=Seed("ref_neighbourhoods.csv", "neighbourhood_code"),
        ),
        Column(
            "item_found",
            "code",
            codes=(
                "NOTHING",
                "FIREARM",
                "KNIFE_OR_BLADED_ARTICLE",
                "OFFENSIVE_WEAPON",
                "CONTROLLED_DRUGS",
                "PSYCHOACTIVE_SUBSTANCES",
                "STOLEN_GOODS",
                "ARTICLE_FOR_USE_IN_THEFT",
                "CRIMINAL_DAMAGE_ARTICLE",
                "FIREWORKS",
                "OTHER_ITEM",
            ),
        ),
    ),
    key=("stop_search_id",),
)

# Use of force in the shape of the Home Office use of force statistics (one report per
# officer per person force was used on).
USES_OF_FORCE = ExtractSpec(
    name="use_of_force",
    columns=(
        Column("use_of_force_id", "id", pattern=r"UOF-\d+"),
        Column("incident_date", "date", in_window=True),
        Column(
            "neighbourhood_code",
            "code",
            codes=Seed("ref_neighbourhoods.csv", "neighbourhood_code"),
        ),
        Column(
            "location_type",
            "code",
            codes=(
                "Street/highway",
                "Dwelling",
                "Custody block",
                "Police vehicle",
                "Retail premises",
                "Licensed premises",
                "Hospital/A&E",
                "Mental health setting",
                "Open ground",
                "Public transport",
                "Other",
            ),
        ),
        Column(
            "subject_perceived_ethnicity",
            "code",
            codes=(
                "White",
                "Black (or Black British)",
                "Asian (or Asian British)",
                "Mixed",
                "Chinese or other ethnic group",
                "Not reported",
            ),
        ),
        Column(
            "subject_perceived_age_group",
            "code",
            codes=("Under 11", "11-17", "18-34", "35-49", "50-64", "65 and over", "Not reported"),
        ),
        Column(
            "subject_perceived_gender", "code", codes=("Male", "Female", "Other", "Not reported")
        ),
        Column(
            "main_tactic",
            "code",
            codes=(
                "Handcuffing (compliant)",
                "Handcuffing (non-compliant)",
                "Unarmed skills",
                "Ground restraint",
                "Limb/body restraints",
                "Spit and bite guard",
                "CED (Taser)",
                "Irritant spray",
                "Baton",
                "Firearm",
                "Dog",
                "Shield",
                "AEP",
                "Other/improvised",
            ),
        ),
        Column(
            "primary_reason",
            "code",
            codes=(
                "Protect self",
                "Protect public",
                "Effect arrest",
                "Prevent escape",
                "Prevent offence",
                "Prevent harm",
                "Protect subject",
                "Secure evidence",
                "Other",
            ),
        ),
        Column(
            "outcome",
            "code",
            codes=("Arrested", "Detained - Mental Health Act", "Hospitalised", "Escaped", "Other"),
        ),
        Column("subject_injured", "code", codes=("Yes", "No")),
    ),
    key=("use_of_force_id",),
)

# Validation order matters: an extract is validated after the extracts it references.
SPECS: tuple[ExtractSpec, ...] = (
    CRIMES,
    CRIME_OUTCOMES,
    CALLS,
    INCIDENTS,
    PERIODIC_RETURNS,
    ROAD_CASUALTIES,
    ROADS_ENFORCEMENT,
    DASHCAM_SUBMISSIONS,
    VEHICLE_SEIZURES,
    ORDERS_AND_CIVIL_INTERVENTIONS,
    STOP_SEARCHES,
    USES_OF_FORCE,
)


def ordered(specs: tuple[ExtractSpec, ...]) -> tuple[ExtractSpec, ...]:
    """Specs in declared order, except that a referenced extract comes before the
    extracts referencing it."""
    names = {s.name for s in specs}
    done: list[ExtractSpec] = []
    pending = list(specs)
    while pending:
        ready = next(
            (
                s
                for s in pending
                if all(
                    r.extract in {d.name for d in done} or r.extract not in names
                    for r in s.references
                )
            ),
            None,
        )
        if ready is None:
            raise ValueError("extract references form a cycle")
        done.append(ready)
        pending.remove(ready)
    return tuple(done)
