"""Reference data shipped in `resources/reference`: municipalities, villages, schemes, domains.

Kept as data, not code, because it changes with policy (a municipal merger, a new ZRM version);
this module only reads the packaged, read-only JSON and caches it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from app.domain.errors import ValidationError


class Scheme(StrEnum):
    PARTICIPATIEWET = "participatiewet"
    WSW = "wsw"
    WAJONG = "wajong"
    INBURGERING = "inburgering"
    KINDEROPVANG = "kinderopvang"
    WMO = "wmo"
    JEUGD = "jeugd"
    LEERPLICHT_RMC = "leerplicht_rmc"

    def label(self, language: str = "nl") -> str:
        return _labels("schemes.json", "schemes", "code")[self.value][_lang(language)]


class EnrollmentOutcome(StrEnum):
    """How an application for a scheme ended: the provision was granted (the default), refused,
    or the case was broken off before a decision. Retention (app.domain.retention) reads it."""

    GRANTED = "granted"
    REFUSED = "refused"
    BROKEN_OFF = "broken_off"

    def label(self, language: str = "nl") -> str:
        return _labels("schemes.json", "enrollment_outcomes", "code")[self.value][_lang(language)]


@dataclass(frozen=True, slots=True)
class Village:
    name: str
    postcode_digits: str
    municipality: str
    current_municipality: str


@dataclass(frozen=True, slots=True)
class Label:
    key: str
    nl: str
    en: str

    def text(self, language: str = "nl") -> str:
        return self.nl if _lang(language) == "nl" else self.en


def _lang(language: str) -> str:
    return "nl" if language.startswith("nl") else "en"


@cache
def _load(name: str) -> Any:
    text = resources.files("resources").joinpath("reference", name).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _labels(name: str, section: str, key: str) -> dict[str, dict[str, str]]:
    return {str(item[key]): item for item in _load(name)[section]}


@cache
def villages() -> tuple[Village, ...]:
    """All villages we know, in the order of the reference file (municipality by municipality)."""
    return tuple(
        Village(
            name=v["name"],
            postcode_digits=v["postcode_digits"],
            municipality=m["name"],
            current_municipality=v["current_municipality"],
        )
        for m in _load("municipalities.json")["municipalities"]
        for v in m["villages"]
    )


# Bedum, De Marne, Winsum and Eemsmond merged into Het Hogeland on this day.
MERGER_DATE = date(2019, 1, 1)


def letterhead_municipality(village_name: str, on: date) -> str:
    """Whose letterhead a document about someone in `village_name` made on `on` carries: the
    municipality of today, or the former one for a record from before the merger."""
    found = village(village_name)
    return found.municipality if on < MERGER_DATE else found.current_municipality


def municipalities() -> tuple[str, ...]:
    return tuple(m["name"] for m in _load("municipalities.json")["municipalities"])


def village(name: str) -> Village:
    for candidate in villages():
        if candidate.name.casefold() == name.casefold():
            return candidate
    raise ValidationError(
        "unknown_village",
        "Deze woonplaats hoort niet bij het werkgebied.",
        "This village is not in the service area.",
    )


@cache
def self_sufficiency_domains(version: str | None = None) -> tuple[Label, ...]:
    data = _load("self_sufficiency_domains.json")
    chosen = version or data["default_version"]
    if chosen not in data["versions"]:
        raise ValidationError(
            "unknown_domain_version",
            "Onbekende versie van de zelfredzaamheidsmatrix.",
            "Unknown version of the self-sufficiency matrix.",
        )
    return tuple(Label(d["key"], d["nl"], d["en"]) for d in data["versions"][chosen])


def default_domain_version() -> str:
    return str(_load("self_sufficiency_domains.json")["default_version"])


def score_label(score: int, language: str = "nl") -> str:
    return _labels("self_sufficiency_domains.json", "scores", "score")[str(score)][_lang(language)]


def ladder_label(step: int, language: str = "nl") -> str:
    return _labels("participation_ladder.json", "steps", "step")[str(step)][_lang(language)]


@dataclass(frozen=True, slots=True)
class Obligation:
    key: str
    source: str  # the article it comes from, as printed
    nl: str
    en: str

    def text(self, language: str = "nl") -> str:
        return self.nl if _lang(language) == "nl" else self.en


@cache
def plan_obligations() -> tuple[Obligation, ...]:
    """The obligations aimed at work that a client plan can tick, in the order they print."""
    return tuple(
        Obligation(o["key"], o["source"], o["nl"], o["en"])
        for o in _load("plan_obligations.json")["obligations"]
    )


def default_consequences(language: str = "nl") -> str:
    """What a plan says by default about not meeting the obligations."""
    return str(_load("plan_obligations.json")["default_consequences"][_lang(language)])


def service_layers() -> tuple[Label, ...]:
    return tuple(
        Label(s["code"], s["nl"], s["en"]) for s in _load("schemes.json")["service_layers"]
    )


LADDER_STEPS = range(1, 7)
SCORES = range(1, 6)


@cache
def all_domain_keys() -> tuple[str, ...]:
    """Every life-domain key of every matrix version, newest version first: each is a field of
    the intake, so a record of any version fits the same table."""
    data = _load("self_sufficiency_domains.json")
    ordered = [data["default_version"], *sorted(set(data["versions"]) - {data["default_version"]})]
    keys: list[str] = []
    for version in ordered:
        keys.extend(d["key"] for d in data["versions"][version] if d["key"] not in keys)
    return tuple(keys)


def _part_labels(section: str) -> tuple[Label, ...]:
    return tuple(Label(t["key"], t["nl"], t["en"]) for t in _load("intake_parts.json")[section])


@cache
def wmo_topics() -> tuple[Label, ...]:
    """The topics of the Wmo onderzoek (art. 2.3.2 lid 4 Wmo 2015)."""
    return _part_labels("wmo_topics")


@cache
def taaleis_skills() -> tuple[Label, ...]:
    """The language skills of the taaleis of the Participatiewet, each assessed at level 1F."""
    return _part_labels("taaleis_skills")


@cache
def taaleis_results() -> tuple[Label, ...]:
    return _part_labels("taaleis_results")


@cache
def work_obligations() -> tuple[Label, ...]:
    return _part_labels("work_obligations")


def retention_schedule() -> Any:
    """The retention schedule as shipped (resources/reference/retention.json), unchecked:
    app.domain.retention reads and validates it."""
    return _load("retention.json")


@cache
def scheme_codes() -> tuple[str, ...]:
    return tuple(s.value for s in Scheme)


@cache
def domain_labels() -> dict[str, Label]:
    """Every life domain of every version by key (the newest version's name wins)."""
    data = _load("self_sufficiency_domains.json")
    found: dict[str, Label] = {}
    for version in (data["default_version"], *sorted(data["versions"])):
        for d in data["versions"][version]:
            found.setdefault(d["key"], Label(d["key"], d["nl"], d["en"]))
    return found


@cache
def scheme_labels() -> dict[str, Label]:
    return {
        code: Label(code, item["nl"], item["en"])
        for code, item in _labels("schemes.json", "schemes", "code").items()
    }


def statutory_terms() -> Any:
    """The statutory terms of the intake as shipped (resources/reference/statutory_terms.json),
    unchecked: app.domain.clocks reads and validates them."""
    return _load("statutory_terms.json")
