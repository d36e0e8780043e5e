"""The sums the pages, charts and open data show; computed once per build from :class:`SiteData`.

COVID-19 figures are imported as cumulative counts per kecamatan and day (``aktif`` is
``konfirmasi - sembuh - meninggal``), so new cases of a day are the rise of ``konfirmasi``
since the previous day, and the 7-day average is taken over those. Bansos sums count rows
(one household in one program and period) and rupiah.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, NamedTuple

from sites.transparency.covid_site.data import CovidDay, SiteData

__all__ = ["CityDay", "Tally", "CovidSeries", "BansosSums", "covid_series", "bansos_sums", "moving_average"]


class CityDay(NamedTuple):
    tanggal: date
    konfirmasi: int
    sembuh: int
    meninggal: int
    aktif: int
    suspek: int
    baru: int | None  # new confirmed cases since the previous day; None on the first day
    rata7: float | None  # 7-day average of ``baru``


@dataclass
class Tally:
    penerima: int = 0
    diterima: int = 0
    nilai: int = 0  # rupiah, all rows
    nilai_diterima: int = 0  # rupiah, rows with status "diterima"

    def add(self, status: str, rows: int, nilai: int) -> None:
        self.penerima += rows
        self.nilai += nilai
        if status == "diterima":
            self.diterima += rows
            self.nilai_diterima += nilai


class CovidSeries(NamedTuple):
    city: list[CityDay]  # one per day, the city's totals
    by_kecamatan: dict[str, list[CityDay]]  # kecamatan code -> its days
    latest: dict[str, CovidDay]  # kecamatan code -> its last day

    @property
    def last_day(self) -> CityDay | None:
        return self.city[-1] if self.city else None


@dataclass
class BansosSums:
    total: Tally = field(default_factory=Tally)
    by_program: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_kecamatan: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_kelurahan: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    # (kecamatan code, program) and (kelurahan code, program, periode)
    by_kecamatan_program: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_kelurahan_period: dict[tuple[str, str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))

    def programs(self) -> list[str]:
        return sorted(self.by_program)


def moving_average(values: list[int | None], window: int = 7) -> list[float | None]:
    """Trailing average over the last ``window`` known values (fewer at the start)."""
    out: list[float | None] = []
    recent: list[int] = []
    for value in values:
        if value is None:
            out.append(None)
            continue
        recent.append(value)
        if len(recent) > window:
            recent.pop(0)
        out.append(sum(recent) / len(recent))
    return out


def _city_days(days: Iterable[tuple[date, list[int]]]) -> list[CityDay]:
    rows = list(days)
    new: list[int | None] = []
    previous = None
    for _, (konfirmasi, *_rest) in rows:
        new.append(None if previous is None else max(0, konfirmasi - previous))
        previous = konfirmasi
    averages = moving_average(new)
    return [CityDay(tanggal, *sums, baru, avg) for (tanggal, sums), baru, avg in zip(rows, new, averages)]


def covid_series(data: SiteData) -> CovidSeries:
    city: dict[date, list[int]] = {}
    per_kec: dict[str, list[tuple[date, list[int]]]] = defaultdict(list)
    latest: dict[str, CovidDay] = {}
    for day in data.covid:  # sorted by date
        figures = [day.konfirmasi, day.sembuh, day.meninggal, day.aktif, day.suspek]
        sums = city.setdefault(day.tanggal, [0, 0, 0, 0, 0])
        for i, value in enumerate(figures):
            sums[i] += value
        per_kec[day.kecamatan_code].append((day.tanggal, figures))
        latest[day.kecamatan_code] = day
    return CovidSeries(
        city=_city_days(sorted(city.items())),
        by_kecamatan={code: _city_days(days) for code, days in per_kec.items()},
        latest=latest,
    )


def bansos_sums(data: SiteData) -> BansosSums:
    sums = BansosSums()
    kecamatan_of = {kel.code: kel.kecamatan_code for kel in data.kelurahan()}
    # Group first (a few hundred groups for 100,000 rows), then add each group to its tallies.
    # A build that publishes the rows in another process has the groups already, summed by SQL.
    groups = data.bansos_groups
    if groups is None:
        groups = defaultdict(lambda: [0, 0])
        for kel_code, rows in data.recipients.items():
            for row in rows:
                group = groups[kel_code, row.program, row.periode, row.status]
                group[0] += 1
                group[1] += row.nilai
    for (kel_code, program, periode, status), (count, nilai) in groups.items():
        kec_code = kecamatan_of[kel_code]
        for tally in (sums.total, sums.by_program[program], sums.by_kecamatan[kec_code], sums.by_kelurahan[kel_code],
                      sums.by_kecamatan_program[kec_code, program], sums.by_kelurahan_period[kel_code, program, periode]):
            tally.add(status, count, nilai)
    return sums
