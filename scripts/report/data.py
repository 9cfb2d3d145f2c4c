"""What the board report reads: rows of the published warehouse's marts, reference and
quality schemas, opened read-only (never the build database). Each row keeps the table
it came from and its key, so every figure the report prints can name its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

MODE = "plan_baseline"  # the board report's comparison: plan baseline against current


@dataclass(frozen=True)
class Row:
    """One row of a warehouse table: its source, the columns that identify it, values."""

    source: str
    key: dict[str, object]
    values: dict[str, object]

    def __getitem__(self, column: str) -> object:
        return self.values[column]

    def get(self, column: str, default: object = None) -> object:
        """A column that not every warehouse has (e.g. issue 19's test columns)."""
        return self.values.get(column, default)


@dataclass
class ReportData:
    kpis: list[Row]
    scorecard: dict[str, Row]
    by_lpa: dict[str, list[Row]]
    by_neighbourhood: dict[str, list[Row]]
    trend: dict[tuple[str, str], list[Row]]
    outcome_codes: list[Row]
    glossary: list[Row]
    deliveries: list[Row]
    quarantine: list[Row]
    disagreements: list[Row]
    published_at: object = None
    lpas: list[Row] = field(default_factory=list)
    history: list[Row] = field(default_factory=list)  # the two latest publishes
    revisions: list[Row] = field(default_factory=list)  # of the latest publish
    equality: dict[str, Row] = field(default_factory=dict)
    signals: list[Row] = field(default_factory=list)
    same_return: set[str] = field(default_factory=set)  # baseline and current: one return
    public: PublicData | None = None  # the public warehouse, when the report is given one


@dataclass
class PublicData:
    """What the paper reads of a public warehouse (make run-public, data.police.uk): the
    paper's force, its peers and their comparison, its stop and search by ethnic group.
    Its rows' sources are named public.<schema>.<table>: the tests attach the file so."""

    path: Path
    slug: str  # the paper's force as data.police.uk names it (paper.toml: public_force)
    force: Row | None  # public.marts.dim_police_forces; None: the force is not in the file
    peer_forces: list[Row]  # its declared peers' rows of dim_police_forces
    peers: list[Row]  # public.marts.kpi_peer_comparison, the force's rows
    ethnicity: list[Row]  # public.marts.kpi_stop_search_ethnicity, latest 12 months
    missing: str | None = None  # why the file could not be read, if it could not


def rows(con: duckdb.DuckDBPyConnection, source: str, key: list[str], sql: str) -> list[Row]:
    relation = con.sql(sql)
    columns = relation.columns
    return [
        Row(
            source,
            {k: values[columns.index(k)] for k in key},
            dict(zip(columns, values, strict=True)),
        )
        for values in relation.fetchall()
    ]


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    schema, table = name.split(".")
    return bool(
        con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


# KPIs read from a periodic return whose baseline and current windows hold the same
# latest return (e.g. an annual return not yet updated): nothing to compare.
SAME_RETURN_SQL = """
with kpis as (
    select kpi_id, split_part(numerator_series, '.', 1) as return_id,
        split_part(numerator_series, '.', 2) as measure
    from marts.dim_kpis where numerator_series like '%.%'
),
latest as (
    select s.kpi_id, s.comparison_mode,
        max(case when r.period_end between s.baseline_start and s.baseline_end
            then r.period_end end) as baseline_return,
        max(case when r.period_end between s.current_start and s.current_end
            then r.period_end end) as current_return
    from marts.kpi_scorecard as s
    inner join kpis using (kpi_id)
    inner join marts.fct_periodic_returns as r
        on r.return_id = kpis.return_id and r.measure = kpis.measure
    group by all
)
select kpi_id, comparison_mode from latest where baseline_return = current_return
"""


def load_scorecard(con: duckdb.DuckDBPyConnection, mode: str | None = MODE) -> list[Row]:
    """Scorecard rows of one comparison mode (every mode with None)."""
    where = f"where comparison_mode = '{mode}'" if mode else ""
    return rows(
        con,
        "marts.kpi_scorecard",
        ["kpi_id", "comparison_mode"],
        f"select * from marts.kpi_scorecard {where} order by kpi_id, comparison_mode",
    )


def load(warehouse: Path, mode: str = MODE) -> ReportData:
    """Everything the paper reads, for one comparison mode (the board's: plan_baseline)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        kpis = rows(
            con,
            "marts.dim_kpis",
            ["kpi_id"],
            "select * from marts.dim_kpis",
        )
        scorecard = rows(
            con,
            "marts.kpi_scorecard",
            ["kpi_id", "comparison_mode"],
            f"select * from marts.kpi_scorecard where comparison_mode = '{mode}'",
        )
        by_lpa = rows(
            con,
            "marts.kpi_scorecard_by_lpa",
            ["kpi_id", "comparison_mode", "lpa_code"],
            f"select * from marts.kpi_scorecard_by_lpa where comparison_mode = '{mode}' "
            "order by kpi_id, lpa_name",
        )
        by_neighbourhood = rows(
            con,
            "marts.kpi_scorecard_by_neighbourhood",
            ["kpi_id", "comparison_mode", "neighbourhood_code"],
            "select * from marts.kpi_scorecard_by_neighbourhood "
            f"where comparison_mode = '{mode}' and current_rank <= 5 "
            "order by kpi_id, current_rank, neighbourhood_name",
        )
        trend = rows(
            con,
            "marts.kpi_trend_monthly",
            ["kpi_id", "area_code", "month_end"],
            "select * from marts.kpi_trend_monthly order by kpi_id, area_code, month_end",
        )
        outcome_codes = rows(
            con,
            "marts.kpi_outcome_code_volumes",
            ["comparison_mode", "window_role", "outcome_code"],
            f"select * from marts.kpi_outcome_code_volumes where comparison_mode = '{mode}' "
            "order by window_role, volume_rank",
        )
        glossary = rows(
            con,
            "marts.dim_outcome_codes",
            ["outcome_code"],
            "select * from marts.dim_outcome_codes where in_force_glossary "
            "order by try_cast(regexp_extract(outcome_code, '^[0-9]+') as integer), outcome_code",
        )
        deliveries = rows(
            con,
            "quality.extract_deliveries",
            ["extract"],
            "select * from quality.extract_deliveries order by extract",
        )
        quarantine = rows(
            con,
            "quality.extract_quarantine",
            ["extract", "rule"],
            'select extract, rule, count(*) as "rows" from quality.extract_quarantine '
            "group by extract, rule order by extract, rule",
        )
        disagreements = rows(
            con,
            "reference.kpi_report_disagreements",
            ["kpi_id", "paragraph", "field"],
            "select * from reference.kpi_report_disagreements order by paragraph, kpi_id",
        )
        lpas = rows(
            con,
            "marts.dim_local_policing_areas",
            ["lpa_code"],
            "select * from marts.dim_local_policing_areas order by lpa_name",
        )
        published = con.sql("select max(gated_at) from quality.extract_deliveries").fetchone()
        history = rows(
            con,
            "marts.kpi_scorecard_history",
            ["published_at", "kpi_id", "comparison_mode"],
            "select * from marts.kpi_scorecard_history "
            f"where comparison_mode = '{mode}' and published_at in (select distinct "
            "published_at from marts.kpi_scorecard_history order by published_at desc limit 2) "
            "order by published_at, kpi_id",
        )
        revisions = rows(
            con,
            "marts.kpi_revisions",
            ["published_at", "kpi_id", "comparison_mode", "figure"],
            "select * from marts.kpi_revisions where comparison_mode = "
            f"'{mode}' and published_at = (select max(published_at) from "
            "marts.kpi_scorecard_history) order by kpi_id, figure",
        )
        equality = (
            rows(
                con,
                "marts.report_equality_figures",
                ["figure_id"],
                "select * from marts.report_equality_figures",
            )
            if has_table(con, "marts.report_equality_figures")
            else []
        )
        signals = (
            rows(
                con,
                "marts.kpi_signals",
                ["kpi_id", "area_code", "month_end"],
                "select * from marts.kpi_signals order by kpi_id, area_code, month_end",
            )
            if has_table(con, "marts.kpi_signals")
            else []
        )
        same_return = {
            kpi for kpi, row_mode in con.sql(SAME_RETURN_SQL).fetchall() if row_mode == mode
        }
    grouped_trend: dict[tuple[str, str], list[Row]] = {}
    for row in trend:
        grouped_trend.setdefault((row["kpi_id"], row["area_code"]), []).append(row)
    return ReportData(
        kpis=sorted(kpis, key=lambda r: section_order(r["section"])),
        scorecard={r["kpi_id"]: r for r in scorecard},
        by_lpa=group(by_lpa),
        by_neighbourhood=group(by_neighbourhood),
        trend=grouped_trend,
        outcome_codes=outcome_codes,
        glossary=glossary,
        deliveries=deliveries,
        quarantine=quarantine,
        disagreements=disagreements,
        published_at=published[0] if published else None,
        lpas=lpas,
        history=history,
        revisions=revisions,
        equality={str(r["figure_id"]): r for r in equality},
        signals=signals,
        same_return=same_return,
    )


PUBLIC_TABLES = (
    "marts.dim_police_forces", "marts.kpi_peer_comparison", "marts.kpi_stop_search_ethnicity",
)  # fmt: skip


def load_public(warehouse: Path, slug: str) -> PublicData:
    """The public warehouse's rows of one force (read-only). A file without the tables
    (built before they existed) gives no rows and says why."""
    none = PublicData(warehouse, slug, None, [], [], [])
    with duckdb.connect(str(warehouse), read_only=True) as con:
        absent = [t for t in PUBLIC_TABLES if not has_table(con, t)]
        if absent:
            none.missing = f"{warehouse} has no {', '.join(absent)}: run make run-public again"
            return none

        def public(table: str, key: list[str], where: str, order: str) -> list[Row]:
            relation = con.execute(
                f"select * from {table} where {where} order by {order}", [slug]
            )
            columns = [d[0] for d in relation.description]
            return [
                Row(f"public.{table}", {k: v[columns.index(k)] for k in key},
                    dict(zip(columns, v, strict=True)))
                for v in relation.fetchall()
            ]  # fmt: skip

        forces = public("marts.dim_police_forces", ["force"], "force = ?", "force")
        peer_forces = public(
            "marts.dim_police_forces", ["force"],
            "list_contains((select string_split(peer_forces, ', ') from "
            "marts.dim_police_forces where force = ?), force)", "force_name",
        )  # fmt: skip
        peers = public(
            "marts.kpi_peer_comparison", ["force", "kpi_id"], "force = ?", "kpi_id"
        )
        ethnicity = public(
            "marts.kpi_stop_search_ethnicity",
            ["force", "ethnicity_view", "ethnic_group", "period_kind", "window_start"],
            "force = ? and period_kind = 'latest_12_months'",
            "ethnicity_view, ethnic_group",
        )
    return PublicData(
        warehouse, slug, forces[0] if forces else None, peer_forces, peers, ethnicity
    )


def group(items: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for row in items:
        out.setdefault(row["kpi_id"], []).append(row)
    return out


def section_order(section: object) -> tuple[int, ...]:
    """ "3.10" after "3.9": a report paragraph number as a sort key; a section that is
    not a paragraph number (a KPI from another publication) sorts after every one."""
    parts = str(section).split(".")
    if not all(part.isdigit() for part in parts):
        return (10**6,)
    return tuple(int(part) for part in parts)


def is_paragraph(section: object) -> bool:
    return section_order(section) != (10**6,)
