"""The programme data file: the six pillars, their programmes and the action plans.

City staff edit ``docs/data/programme.yml`` by hand, so this module is strict where a typo
would otherwise publish a wrong page: every field is checked, and an error names the item
(pillar slug, programme id or action plan id) and the field, e.g.
``action plan 'RA-EKO-03', field 'progress': must be a whole number from 0 to 100, got 150``.
Nothing here knows about MkDocs; ``pages`` and ``charts`` take the loaded objects.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import yaml

__all__ = [
    "STATUSES",
    "ActionPlan",
    "Pillar",
    "Programme",
    "ProgrammeData",
    "ProgrammeDataError",
    "load_programme",
    "parse_programme",
]

# Status key in the YAML -> label shown to readers. The order is the order of the legend and
# of the status summary.
STATUSES: dict[str, str] = {
    "selesai": "Selesai",
    "berjalan": "Berjalan",
    "direncanakan": "Direncanakan",
    "tertunda": "Tertunda",
}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PLAN_ID = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
_YEARS = range(2000, 2101)

_TOP_FIELDS = ("as_of", "source", "pillars", "action_plans")
_PILLAR_FIELDS = ("slug", "name", "subtitle", "description", "programmes")
_PROGRAMME_FIELDS = ("id", "name", "description")
_PLAN_FIELDS = (
    "id", "title", "pillar", "programme", "lead_agency", "partners", "start_year", "target_year",
    "status", "progress", "progress_estimated", "notes", "page",
)


class ProgrammeDataError(ValueError):
    """The data file is unreadable or breaks a rule; the message names the item and field."""


class Programme(NamedTuple):
    id: str
    pillar: str
    name: str
    description: str


class Pillar(NamedTuple):
    slug: str
    name: str
    subtitle: str
    description: str
    programmes: tuple[Programme, ...]


class ActionPlan(NamedTuple):
    id: str
    title: str
    pillar: str
    programme: str
    lead_agency: str
    partners: tuple[str, ...]
    start_year: int | None
    target_year: int | None
    status: str
    progress: int
    progress_estimated: bool
    notes: str
    page: str | None

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]


class ProgrammeData(NamedTuple):
    as_of: datetime.date
    source: str
    pillars: tuple[Pillar, ...]
    action_plans: tuple[ActionPlan, ...]

    def pillar(self, slug: str) -> Pillar:
        return next(p for p in self.pillars if p.slug == slug)

    def plans_of(self, *, pillar: str, programme: str | None = None) -> list[ActionPlan]:
        return [
            plan
            for plan in self.action_plans
            if plan.pillar == pillar and (programme is None or plan.programme == programme)
        ]


def load_programme(path: Path) -> ProgrammeData:
    """Read and validate the data file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProgrammeDataError(f"{path}: cannot read the programme data file: {error}") from error
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ProgrammeDataError(f"{path}: not valid YAML: {error}") from error
    try:
        return parse_programme(raw)
    except ProgrammeDataError as error:
        raise ProgrammeDataError(f"{path}: {error}") from None


def parse_programme(raw: Any) -> ProgrammeData:
    """Validate the parsed YAML document and build the data objects."""
    top = _Fields(raw, "the data file", known=_TOP_FIELDS)
    top.reject_unknown()
    as_of = top.date("as_of")
    source = top.text("source")
    pillar_items = top.items("pillars")
    plan_items = top.items("action_plans")

    pillars = tuple(_parse_pillar(item, i) for i, item in enumerate(pillar_items))

    _unique((p.slug for p in pillars), "pillar")
    programmes = {prog.id: prog for pillar in pillars for prog in pillar.programmes}
    _unique((prog.id for pillar in pillars for prog in pillar.programmes), "programme")

    plans = tuple(
        _parse_action_plan(item, i, pillars={p.slug for p in pillars}, programmes=programmes)
        for i, item in enumerate(plan_items)
    )
    _unique((plan.id for plan in plans), "action plan")
    return ProgrammeData(as_of=as_of, source=source, pillars=pillars, action_plans=plans)


def _parse_pillar(raw: Any, index: int) -> Pillar:
    where = f"pillar #{index + 1}"
    fields = _Fields(raw, where, known=_PILLAR_FIELDS)
    slug = fields.slug("slug")
    fields.where = f"pillar '{slug}'"
    fields.reject_unknown()
    name = fields.text("name")
    subtitle = fields.text("subtitle")
    description = fields.text("description")
    programmes = tuple(
        _parse_programme(item, i, pillar=slug) for i, item in enumerate(fields.items("programmes"))
    )
    return Pillar(slug, name, subtitle, description, programmes)


def _parse_programme(raw: Any, index: int, *, pillar: str) -> Programme:
    fields = _Fields(raw, f"programme #{index + 1} of pillar '{pillar}'", known=_PROGRAMME_FIELDS)
    programme_id = fields.slug("id")
    fields.where = f"programme '{programme_id}'"
    fields.reject_unknown()
    return Programme(
        id=programme_id, pillar=pillar, name=fields.text("name"), description=fields.text("description")
    )


def _parse_action_plan(
    raw: Any, index: int, *, pillars: set[str], programmes: dict[str, Programme]
) -> ActionPlan:
    fields = _Fields(raw, f"action plan #{index + 1}", known=_PLAN_FIELDS)
    plan_id = fields.text("id")
    if not _PLAN_ID.match(plan_id):
        fields.fail("id", f"must be capital letters, digits and hyphens (e.g. RA-GOV-01), got {plan_id!r}")
    fields.where = f"action plan '{plan_id}'"
    fields.reject_unknown()

    pillar = fields.text("pillar")
    if pillar not in pillars:
        fields.fail("pillar", f"unknown pillar {pillar!r}; known: {', '.join(sorted(pillars))}")
    programme = fields.text("programme")
    if programme not in programmes:
        fields.fail("programme", f"unknown programme {programme!r}")
    if programmes[programme].pillar != pillar:
        fields.fail(
            "programme",
            f"programme {programme!r} belongs to pillar {programmes[programme].pillar!r}, not {pillar!r}",
        )

    # Either year may be unknown (works reported as under way, with no official schedule).
    start_year = fields.year("start_year")
    target_year = fields.year("target_year")
    if start_year and target_year and target_year < start_year:
        fields.fail("target_year", f"{target_year} is before start_year {start_year}")

    status = fields.text("status")
    if status not in STATUSES:
        fields.fail("status", f"must be one of {', '.join(STATUSES)}, got {status!r}")
    progress = fields.integer("progress", minimum=0, maximum=100)
    if status == "selesai" and progress != 100:
        fields.fail("progress", f"a finished ('selesai') action plan is at 100, got {progress}")
    if status == "direncanakan" and progress != 0:
        fields.fail("progress", f"a planned ('direncanakan') action plan is at 0, got {progress}")

    page = fields.text("page", default="") or None
    if page and (page.startswith("/") or not page.endswith(".md")):
        fields.fail("page", f"must be a page under docs/, e.g. aplikasi/behambinan.md, got {page!r}")

    return ActionPlan(
        id=plan_id,
        title=fields.text("title"),
        pillar=pillar,
        programme=programme,
        lead_agency=fields.text("lead_agency"),
        partners=tuple(fields.text_list("partners")),
        start_year=start_year,
        target_year=target_year,
        status=status,
        progress=progress,
        progress_estimated=fields.boolean("progress_estimated", default=False),
        notes=fields.text("notes", default=""),
        page=page,
    )


def _unique(values, what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ProgrammeDataError(f"{what} {value!r} appears twice; ids must be unique")
        seen.add(value)


class _Fields:
    """Reads the fields of one mapping. Unknown keys are refused first, so that a misspelt
    ``progres:`` is reported as itself rather than as a missing ``progress``."""

    _MISSING = object()

    def __init__(self, raw: Any, where: str, *, known: tuple[str, ...]) -> None:
        if not isinstance(raw, dict):
            raise ProgrammeDataError(f"{where}: expected a mapping of fields, got {type(raw).__name__}")
        self.raw = raw
        self.where = where
        self.known = known

    def fail(self, field: str, message: str) -> NoReturn:
        raise ProgrammeDataError(f"{self.where}, field '{field}': {message}")

    def _get(self, field: str, default: Any) -> Any:
        value = self.raw.get(field, self._MISSING)
        if value is self._MISSING or value is None:
            if default is self._MISSING:
                self.fail(field, "is required")
            return default
        return value

    def text(self, field: str, default: Any = _MISSING) -> str:
        value = self._get(field, default)
        if not isinstance(value, str):
            self.fail(field, f"must be text, got {value!r}")
        value = value.strip()
        if not value and default is self._MISSING:
            self.fail(field, "must not be empty")
        return value

    def slug(self, field: str) -> str:
        value = self.text(field)
        if not _SLUG.match(value):
            self.fail(field, f"must be lowercase letters, digits and hyphens, got {value!r}")
        return value

    def integer(self, field: str, *, minimum: int, maximum: int, default: Any = _MISSING) -> int:
        value = self._get(field, default)
        if value is None:
            return value
        # bool is an int in Python; `progress: yes` must not pass as 1.
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            self.fail(field, f"must be a whole number from {minimum} to {maximum}, got {value!r}")
        return value

    def year(self, field: str) -> int | None:
        return self.integer(field, minimum=_YEARS.start, maximum=_YEARS.stop - 1, default=None)

    def boolean(self, field: str, *, default: bool) -> bool:
        value = self._get(field, default)
        if not isinstance(value, bool):
            self.fail(field, f"must be true or false, got {value!r}")
        return value

    def date(self, field: str) -> datetime.date:
        value = self._get(field, self._MISSING)
        if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
            self.fail(field, f"must be a date written YYYY-MM-DD, got {value!r}")
        return value

    def items(self, field: str) -> list[Any]:
        value = self._get(field, self._MISSING)
        if not isinstance(value, list) or not value:
            self.fail(field, "must be a non-empty list")
        return value

    def text_list(self, field: str) -> list[str]:
        value = self._get(field, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(field, f"must be a list of names, got {value!r}")
        return [v.strip() for v in value]

    def reject_unknown(self) -> None:
        unknown = [str(key) for key in self.raw if key not in self.known]
        if unknown:
            self.fail(unknown[0], f"unknown field (known: {', '.join(self.known)})")
