"""What the health workers' dashboard shows: cases, cadres, and the EBF indicator.

Read-only queries; the indicator follows WHO/UNICEF 2021 (DOMAIN.md d): infants 0-5
completed months fed only breast milk yesterday, by 24-hour recall.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Answer, Case, CaseEvent, Mother, Posyandu, Staff

OPEN_STATUSES = ("open", "taken")
EBF_MAX_DAYS = 182  # 0-5 completed months
BANDS = (("0-1", 0, 60), ("2-3", 61, 121), ("4-5", 122, EBF_MAX_DAYS))
SMALL_N = 10  # below this, counts and not percentages


@dataclass(frozen=True)
class CaseRow:
    """One case as the case list shows it."""

    id: int
    label: str
    urgent: bool
    status: str
    mother: str
    child_age_days: int | None
    assignee: str | None
    level: int
    opened_at: datetime
    deadline_at: datetime | None
    overdue: bool


async def cases(session: AsyncSession, now: datetime, *, open_only: bool = True,
                limit: int = 200) -> list[CaseRow]:
    """Cases, the urgent and the overdue first."""
    query = (
        select(Case, Mother.name, Staff.name)
        .join(Mother, Mother.id == Case.mother_id)
        .outerjoin(Staff, Staff.id == Case.assignee_id)
    )
    if open_only:
        query = query.where(Case.status.in_(OPEN_STATUSES))
        query = query.order_by(Case.urgent.desc(), Case.deadline_at.asc().nulls_last())
    else:
        query = query.order_by(Case.opened_at.desc())
    rows = (await session.execute(query.limit(limit))).all()
    return [
        CaseRow(c.id, c.label, c.urgent, c.status, mother, c.child_age_days, assignee, c.level,
                c.opened_at, c.deadline_at,
                c.status == "open" and c.deadline_at is not None and c.deadline_at < now)
        for c, mother, assignee in rows
    ]


@dataclass(frozen=True)
class CaseDetail:
    """A case with every step recorded on it."""

    row: CaseRow
    text: str
    outcome: str | None
    events: list[tuple[datetime, str, str | None, str | None]]


async def case_detail(session: AsyncSession, case_id: int, now: datetime) -> CaseDetail | None:
    """One case and its history (who was alerted, took it, escalated, resolved)."""
    found = await session.get(Case, case_id)
    if found is None:
        return None
    mother = await session.get(Mother, found.mother_id)
    assignee = await session.get(Staff, found.assignee_id) if found.assignee_id else None
    events = (await session.execute(
        select(CaseEvent.at, CaseEvent.kind, Staff.name, CaseEvent.note)
        .outerjoin(Staff, Staff.id == CaseEvent.staff_id)
        .where(CaseEvent.case_id == case_id).order_by(CaseEvent.at, CaseEvent.id)
    )).all()
    row = CaseRow(found.id, found.label, found.urgent, found.status,
                  mother.name if mother else "?", found.child_age_days,
                  assignee.name if assignee else None, found.level, found.opened_at,
                  found.deadline_at,
                  found.status == "open" and found.deadline_at is not None
                  and found.deadline_at < now)
    return CaseDetail(row, found.text, found.outcome, [tuple(e) for e in events])  # type: ignore[misc]


@dataclass(frozen=True)
class CadreRow:
    """A cadre's load and responsiveness."""

    id: int
    name: str
    role: str
    posyandu: str | None
    backup: bool
    mothers: int
    open_cases: int
    taken: int
    taken_in_time: int
    median_minutes_to_take: float | None


async def cadres(session: AsyncSession) -> list[CadreRow]:
    """Every active staff member with her mothers, open cases and how fast she takes them."""
    staff = (await session.execute(
        select(Staff, Posyandu.name).outerjoin(Posyandu, Posyandu.id == Staff.posyandu_id)
        .where(Staff.active.is_(True)).order_by(Staff.role, Posyandu.name, Staff.name)
    )).all()
    mothers: dict[int | None, int] = {key: count for key, count in (await session.execute(
        select(Mother.cadre_id, func.count()).where(Mother.status == "active")
        .group_by(Mother.cadre_id))).tuples()}
    open_cases: dict[int | None, int] = {key: count for key, count in (await session.execute(
        select(Case.assignee_id, func.count()).where(Case.status.in_(OPEN_STATUSES))
        .group_by(Case.assignee_id))).tuples()}
    taken = (await session.execute(
        select(Case.assignee_id, Case.opened_at, Case.taken_at, Case.urgent)
        .where(Case.taken_at.is_not(None)))).all()
    minutes: dict[int, list[float]] = defaultdict(list)
    for assignee, opened, took, _urgent in taken:
        if assignee is not None:
            minutes[assignee].append((took - opened).total_seconds() / 60)
    result = []
    for member, posyandu in staff:
        waits = sorted(minutes.get(member.id, []))
        in_time_limit = 15 if member.role != "cadre" else 120
        result.append(CadreRow(
            member.id, member.name, member.role, posyandu, member.is_backup,
            int(mothers.get(member.id, 0)), int(open_cases.get(member.id, 0)), len(waits),
            sum(1 for w in waits if w <= in_time_limit),
            waits[len(waits) // 2] if waits else None,
        ))
    return result


@dataclass
class IndicatorRow:
    """Exclusive breastfeeding among infants 0-5 months at one posyandu in one month."""

    posyandu: str
    eligible: int = 0
    responded: int = 0
    dropped_unsure: int = 0
    ebf: int = 0
    bands: dict[str, tuple[int, int]] = field(default_factory=dict)  # band -> (ebf, n)

    @property
    def n(self) -> int:
        """Complete answers without a "don't know"."""
        return self.responded - self.dropped_unsure

    @property
    def percent(self) -> float | None:
        """EBF / n, only when n is large enough to be read as a rate."""
        return round(100 * self.ebf / self.n, 1) if self.n >= SMALL_N else None

    @property
    def response_rate(self) -> float | None:
        """How many of the eligible mothers answered."""
        return round(100 * self.responded / self.eligible, 1) if self.eligible else None


def month_bounds(month: str) -> tuple[date, date]:
    """First day of `YYYY-MM` and first day of the month after."""
    first = date.fromisoformat(f"{month}-01")
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following


async def ebf_indicator(session: AsyncSession, month: str) -> list[IndicatorRow]:
    """The EBF indicator per posyandu for `YYYY-MM`, from each child's first complete check-in."""
    first, following = month_bounds(month)
    middle = first + timedelta(days=14)
    place = func.coalesce(Posyandu.name, "—")
    rows: dict[str, IndicatorRow] = {}
    eligible = (await session.execute(
        select(place, func.count())
        .select_from(Mother).outerjoin(Posyandu, Posyandu.id == Mother.posyandu_id)
        .where(Mother.stage == "postnatal", Mother.birth_date.is_not(None),
               Mother.birth_date <= middle,
               Mother.birth_date > middle - timedelta(days=EBF_MAX_DAYS + 1))
        .group_by(place))).all()
    for name, count in eligible:
        rows.setdefault(name, IndicatorRow(name)).eligible = int(count)
    answers = (await session.execute(
        select(place, Answer.mother_id, Answer.question, Answer.answer, Answer.child_age_days)
        .join(Mother, Mother.id == Answer.mother_id)
        .outerjoin(Posyandu, Posyandu.id == Mother.posyandu_id)
        .where(Answer.kind == "checkin", Answer.round == f"checkin-{month}",
               and_(Answer.child_age_days.is_not(None),
                    Answer.child_age_days <= EBF_MAX_DAYS))
        .order_by(Answer.at, Answer.id))).all()
    per_child: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    ages: dict[tuple[str, int], int] = {}
    for name, mother_id, question, answer, age in answers:
        given = per_child[(name, mother_id)]
        given.setdefault(question, answer)  # the first answer of the month counts
        ages.setdefault((name, mother_id), int(age))
    for (name, mother_id), given in per_child.items():
        items = [given.get(f"q2_item{i:02d}") for i in range(1, 17)]
        if "q1_breastmilk" not in given or None in items:
            continue  # not complete
        row = rows.setdefault(name, IndicatorRow(name))
        row.responded += 1
        if given["q1_breastmilk"] == "unsure" or "unsure" in items:
            row.dropped_unsure += 1
            continue
        exclusive = given["q1_breastmilk"] == "yes" and all(item == "no" for item in items)
        row.ebf += int(exclusive)
        age = ages[(name, mother_id)]
        band = next(label for label, low, high in BANDS if low <= age <= high)
        ebf_count, n = row.bands.get(band, (0, 0))
        row.bands[band] = (ebf_count + int(exclusive), n + 1)
    return sorted(rows.values(), key=lambda r: r.posyandu)


async def overview(session: AsyncSession, now: datetime) -> dict[str, int]:
    """Headline counts for the dashboard's first screen."""
    mothers: dict[str, int] = {stage: count for stage, count in (await session.execute(
        select(Mother.stage, func.count()).where(Mother.status == "active")
        .group_by(Mother.stage))).tuples()}
    open_row = (await session.execute(select(
        func.count(),
        func.coalesce(func.sum(case((Case.urgent.is_(True), 1), else_=0)), 0),
        func.coalesce(func.sum(case((and_(Case.status == "open", Case.deadline_at < now), 1),
                                    else_=0)), 0),
    ).where(Case.status.in_(OPEN_STATUSES)))).one()
    unreachable = await session.scalar(
        select(func.count()).select_from(Mother).where(Mother.unreachable.is_(True)))
    return {"pregnant": int(mothers.get("pregnant", 0)),
            "postnatal": int(mothers.get("postnatal", 0)),
            "open_cases": int(open_row[0]), "urgent_open": int(open_row[1]),
            "overdue": int(open_row[2]), "unreachable": int(unreachable or 0)}
