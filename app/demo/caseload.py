"""A deterministic, realistic-looking caseload for demos, tests and benchmarks.

Nothing here is real: names come from Faker, BSNs are random numbers that pass the 11-check,
addresses are real villages and postcode areas with invented streets and house numbers, phone
numbers are random and e-mail addresses use the reserved example.* domains.

Pure: no I/O and no database. The same seed gives the same caseload, record ids included, so a
benchmark or a bug report can be repeated. Every record reaches its status through the domain's
own transitions (submit, approve, record, activate...), so the data obeys the state machines.

What is still open looks like a real caseworker's day: per caseworker two to four intakes the team
lead returned in the last two weeks, a few visits of the last two weeks not yet recorded, a few
plan actions a few weeks past their date; whatever is older has been dealt with.
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from itertools import accumulate, chain
from typing import TypeVar

from faker import Faker

from app.domain.client import Client, Enrollment, HouseholdMember, Relation
from app.domain.errors import ValidationError
from app.domain.intake import DomainScore, Intake, IntakeSection
from app.domain.local_time import ZONE
from app.domain.notes import Note
from app.domain.plan import ClientPlan, PlanAction, Signature, SignatureMethod
from app.domain.records import Record
from app.domain.reference import Scheme, Village, self_sufficiency_domains, villages
from app.domain.states import ActionStatus, IntakeStatus
from app.domain.values import Address, Bsn, EmailAddress, PersonName, PhoneNumber, Postcode
from app.domain.visit import EntryConsent, LegalBasis, Visit, VisitPurpose

__all__ = ["DEMO_TODAY", "DemoCaseload", "age_on", "generate_caseload", "split_surname"]

# A fixed "today" keeps the output identical from run to run; callers pass their own for a live
# demo so that the today screen has content.
DEMO_TODAY = date(2026, 11, 23)

_AMSTERDAM = ZONE
_PAST_DAYS = 548  # about 18 months of history
_FUTURE_DAYS = 28
# What a caseworker has open at any moment is a handful, and recent: a returned intake is
# corrected within days, a visit is recorded the same week, a plan's actions are evaluated at
# the next visit. Older items were dealt with, so the demo's Vandaag looks like a real one.
_RETURNED_PER_CASEWORKER = (2, 4)  # intakes waiting with the caseworker after a team lead's review
_RETURNED_WITHIN_DAYS = 14  # ...returned at most this many days ago
_UNRECORDED_WITHIN_DAYS = 14  # a visit still "planned" after its day is at most this old
_EXTRA_OVERDUE_VISIT = 0.01  # per client: a visit that was not recorded yet
_ACTION_EVALUATED_AFTER_DAYS = 28  # an action this far past its due date has been evaluated
_CLIENT_OWNER = "cliënt"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DemoCaseload:
    """Generated records, each tuple in generation order."""

    clients: tuple[Client, ...]
    household_members: tuple[HouseholdMember, ...]
    enrollments: tuple[Enrollment, ...]
    visits: tuple[Visit, ...]
    intakes: tuple[Intake, ...]
    plans: tuple[ClientPlan, ...]
    notes: tuple[Note, ...]
    today: date

    def all_records(self) -> Iterator[Record]:
        """Every record, all clients first, so a parent is always stored before its children."""
        records: Iterator[Record] = chain(
            self.clients,
            self.household_members,
            self.enrollments,
            self.visits,
            self.intakes,
            self.plans,
            self.notes,
        )
        return records


def generate_caseload(
    *,
    clients: int,
    seed: int = 2026,
    caseworkers: Sequence[str] = ("k.dijkstra", "m.bakker"),
    team_lead: str = "t.mulder",
    today: date | None = None,
) -> DemoCaseload:
    """Generate `clients` clients with their households, schemes, visits, intakes, plans, notes.

    Clients are assigned to `caseworkers` round-robin; `team_lead` reviews the intakes and must
    not be one of the caseworkers (nobody reviews their own intake).
    """
    if clients < 0:
        raise ValueError("clients must not be negative")
    if not caseworkers:
        raise ValueError("at least one caseworker is needed")
    if team_lead in caseworkers:
        raise ValueError("the team lead cannot also be a caseworker of the caseload")
    generator = _Generator(
        seed=seed,
        caseworkers=tuple(caseworkers),
        team_lead=team_lead,
        today=today or DEMO_TODAY,
    )
    return generator.caseload(clients)


# ----------------------------------------------------------------------------------- templates
# Short Dutch texts as a caseworker would type them. Generic on purpose: no real people,
# organisations or events.

_STREETS = (
    "Hoofdstraat",
    "Kerkstraat",
    "Molenweg",
    "Molenstraat",
    "Schoolstraat",
    "Stationsstraat",
    "Oosterstraat",
    "Westerstraat",
    "Noorderstraat",
    "Zuiderstraat",
    "Torenstraat",
    "Kerkpad",
    "Havenstraat",
    "Dijkstraat",
    "Warfstraat",
    "Dorpsstraat",
    "Tuinstraat",
    "Parklaan",
    "Lindenlaan",
    "Berkenlaan",
    "Esdoornstraat",
    "Meidoornstraat",
    "Julianastraat",
    "Beatrixlaan",
    "Wilhelminastraat",
    "Kwelderweg",
    "Zeedijk",
    "Vlasakker",
    "Boterdiep",
    "Wierde",
    "Singel",
    "Kanaalweg",
    "Gemaalweg",
    "Kloosterlaan",
    "Borgweg",
)

_PHONE_AREAS = {"Bedum": "050", "Zuidwolde": "050", "Onderdendam": "050", "Sauwerd": "050"}
_DEFAULT_PHONE_AREA = "0595"

# Rough relative sizes, so Bedum and Winsum have more clients than Pieterburen. Villages missing
# here (new reference data) still get clients, with weight 1.
_VILLAGE_WEIGHTS = {
    "Bedum": 10.0,
    "Winsum": 7.0,
    "Uithuizen": 5.0,
    "Uithuizermeeden": 4.0,
    "Baflo": 2.0,
    "Warffum": 2.0,
    "Leens": 1.6,
    "Ulrum": 1.3,
    "Eenrum": 1.3,
    "Zoutkamp": 1.2,
    "Usquert": 1.2,
    "Roodeschool": 1.0,
    "Sauwerd": 1.0,
    "Zuidwolde": 1.0,
    "Kloosterburen": 0.8,
    "Ezinge": 0.8,
    "Onderdendam": 0.5,
    "Pieterburen": 0.5,
}

# Longest first, so "van der Berg" is not read as prefix "van" and surname "der Berg".
_NAME_PREFIXES = (
    "van der",
    "van den",
    "van de",
    "van het",
    "van 't",
    "uit de",
    "uit het",
    "op de",
    "in de",
    "in 't",
    "van",
    "de",
    "den",
    "der",
    "ter",
    "ten",
    "te",
    "het",
    "'t",
)

_VISIT_NOTES: dict[VisitPurpose, tuple[str, ...]] = {
    VisitPurpose.INTAKE: (
        "Kennismaking aan de keukentafel; cliënt vertelde over het werkverleden in de "
        "kassenteelt en de zorg voor de kinderen.",
        "Intakegesprek gevoerd. Cliënt woont sinds kort in het dorp en kent nog weinig mensen.",
        "Eerste gesprek samen met de partner. Inkomsten en vaste lasten doorgenomen; "
        "bankafschriften ingezien.",
        "Intake afgerond; cliënt wil graag weer aan het werk, liefst dichtbij vanwege het "
        "beperkte openbaar vervoer.",
        "Kennismaking; cliënt is na een lange ziekteperiode uit de WW gekomen en twijfelt wat "
        "haalbaar is.",
    ),
    VisitPurpose.VOORTGANG: (
        "Gesprek aan de keukentafel over de schulden; cliënt heeft afspraak met budgetcoach "
        "gemaakt.",
        "Voortgang besproken: vrijwilligerswerk in de kantine van het dorpshuis bevalt goed, "
        "drie ochtenden per week.",
        "Cliënt volgt de taalcursus; aanwezigheid is goed, huiswerk blijft soms liggen.",
        "Sollicitatiebrieven samen doorgenomen; twee vacatures in de zorg in de regio besproken.",
        "Cliënt heeft moeite met de dagstructuur; afgesproken om samen een weekplanning te maken.",
        "Gezondheid wisselend; cliënt is onder behandeling bij de huisarts en slaapt slecht.",
        "Werkervaringsplek loopt goed; werkgever is tevreden over inzet en op tijd komen.",
        "Kinderopvang geregeld voor twee dagen; cliënt kan starten met de opleiding.",
        "Post samen doorgenomen; twee aanmaningen gevonden die nog niet waren geopend.",
        "Cliënt heeft een proefplaatsing in de groenvoorziening afgerond en wil door.",
    ),
    VisitPurpose.HERONDERZOEK: (
        "Heronderzoek: inkomsten, vermogen en woonsituatie gecontroleerd; geen wijzigingen.",
        "Rechtmatigheid opnieuw beoordeeld; partner heeft sinds kort een parttime baan.",
        "Jaarlijks heronderzoek uitgevoerd. Bankafschriften van drie maanden ingezien.",
        "Heronderzoek: cliënt krijgt sinds vorige maand alimentatie; bedrag nagevraagd.",
    ),
    VisitPurpose.HANDHAVING: (
        "Huisbezoek na signaal over mogelijk samenwonen. Woonsituatie bekeken; één slaapkamer "
        "in gebruik.",
        "Controle woonadres; post en persoonlijke spullen van cliënt aanwezig.",
        "Bezoek in het kader van handhaving; cliënt gaf uitleg over de extra auto op de oprit.",
        "Woonsituatie bekeken; tweede persoon verblijft tijdelijk in huis, volgens cliënt als "
        "logé.",
    ),
}

_VISIT_OUTCOMES: dict[VisitPurpose, tuple[str, ...]] = {
    VisitPurpose.INTAKE: (
        "Intake ingevuld; vervolgafspraak over het plan van aanpak.",
        "Doorverwezen naar schuldhulpverlening.",
        "Aangemeld voor een werkfit-traject.",
        "Cliënt levert ontbrekende stukken binnen twee weken aan.",
    ),
    VisitPurpose.VOORTGANG: (
        "Afspraken in het plan blijven staan.",
        "Actie toegevoegd aan het plan.",
        "Vervolgbezoek over zes weken.",
        "Cliënt neemt zelf contact op met de woningcorporatie.",
        "Plan wordt bij het volgende bezoek bijgesteld.",
    ),
    VisitPurpose.HERONDERZOEK: (
        "Recht op uitkering ongewijzigd.",
        "Wijziging inkomsten doorgegeven aan de uitkeringsadministratie.",
        "Aanvullende stukken opgevraagd; termijn twee weken.",
    ),
    VisitPurpose.HANDHAVING: (
        "Geen aanwijzingen voor samenwonen; onderzoek afgesloten.",
        "Onderzoek loopt door; rapportage volgt.",
        "Cliënt wordt uitgenodigd voor een gesprek op kantoor.",
    ),
}

_ENTRY_REFUSED_OUTCOME = (
    "Cliënt weigerde de toegang; de gevolgen van de weigering zijn uitgelegd en vastgelegd."
)

_LEGAL_REASONS = (
    "Signaal over mogelijk samenwonen op het uitkeringsadres.",
    "Twijfel over het werkelijke woonadres na retourpost.",
    "Melding over niet opgegeven inkomsten.",
    "Steekproef rechtmatigheid bij een lopende uitkering.",
)

_CANCEL_REASONS = (
    "Cliënt heeft zich ziek gemeld.",
    "Afgezegd door cliënt in verband met een doktersafspraak.",
    "Verzet wegens ziekte van de klantmanager.",
    "Gladheid; gesprek telefonisch gevoerd.",
    "Cliënt is aan het werk; nieuwe afspraak gepland.",
)

_NOT_HOME_NOTES = (
    "Niemand thuis; kaartje in de brievenbus achtergelaten.",
    "Niet thuis en telefoon niet opgenomen. Brief met nieuwe afspraak verstuurd.",
    "Er werd niet opengedaan; nieuwe afspraak per brief voorgesteld.",
)

_BARRIERS = (
    "Schulden bij meerdere schuldeisers; post blijft soms ongeopend.",
    "Geen rijbewijs en beperkt openbaar vervoer vanuit het dorp.",
    "Rugklachten beperken zwaar lichamelijk werk.",
    "Taalniveau Nederlands nog onvoldoende voor werk met klanten.",
    "Zorg voor jonge kinderen, geen opvang in de buurt.",
    "Lange tijd zonder werk; weinig dagstructuur.",
    "Somberheid, onder behandeling bij de praktijkondersteuner.",
)

_STRENGTHS = (
    "Handig met gereedschap; ervaring in de bouw.",
    "Betrokken ouder met een goed netwerk in het dorp.",
    "Gemotiveerd en betrouwbaar, komt afspraken na.",
    "Spreekt drie talen.",
    "Ervaring als vrijwilliger bij de voetbalclub.",
    "Heeft rijbewijs B en een eigen auto.",
)

_SCORE_REMARKS = {
    "financien": "Betalingsachterstand huur en energie.",
    "werk_opleiding": "Geen startkwalificatie.",
    "huisvesting": "Woning te klein voor het gezin.",
    "geestelijke_gezondheid": "Onder behandeling bij de huisarts.",
    "sociaal_netwerk": "Weinig contacten buiten het gezin.",
    "tijdsbesteding": "Geen vaste dagindeling.",
}

# Most clients have no problems with the law or with substances: those domains score high.
_MOSTLY_FINE_DOMAINS = frozenset({"justitie", "middelengebruik", "basale_adl"})

_REVIEW_COMMENTS = {
    IntakeSection.SCORES: "Score financiën past niet bij de beschreven schulden; graag toelichten.",
    IntakeSection.PARTICIPATION: "De doeltrede lijkt te hoog voor de komende periode.",
    IntakeSection.BARRIERS: "Belemmeringen concreter beschrijven.",
    IntakeSection.STRENGTHS: "Krachten van de cliënt ontbreken nog.",
    IntakeSection.GENERAL: "Graag de afspraken met de budgetcoach toevoegen.",
}

_GOALS = {
    "school_werk": (
        "Binnen zes maanden betaald werk voor minimaal 16 uur per week.",
        "Startkwalificatie halen via een mbo-opleiding.",
        "Rijbewijs B halen zodat werk buiten het dorp bereikbaar wordt.",
        "Elke maand op minimaal vier vacatures solliciteren.",
    ),
    "werkleeromgeving": (
        "Werkritme opbouwen op een werkervaringsplek.",
        "Drie dagdelen per week werken in de groenvoorziening.",
        "Werknemersvaardigheden oefenen: op tijd komen en afspraken nakomen.",
    ),
    "leefbaarheid": (
        "Schulden in beeld en een stabiel budgetplan.",
        "Meer sociale contacten buiten de deur.",
        "Een vaste dagstructuur met een weekplanning.",
    ),
}

# (description, owned by the client?)
_ACTIONS = (
    ("Aanmelden bij schuldhulpverlening", True),
    ("Budgetcoach inschakelen", False),
    ("Cv bijwerken", True),
    ("Contact opnemen met werkgever over een proefplaatsing", False),
    ("Taalcursus afronden", True),
    ("Kinderopvang aanvragen", True),
    ("Huisarts raadplegen over de klachten", True),
    ("Vacatures bespreken tijdens het huisbezoek", False),
    ("Inschrijven bij een uitzendbureau", True),
    ("Aanvraag bijzondere bijstand beoordelen", False),
    ("Kennismaken met de vrijwilligers van het dorpshuis", True),
)

_AGREEMENTS = (
    "Cliënt meldt wijzigingen in inkomen of woonsituatie direct.",
    "Eens per zes weken een huisbezoek; bij ziekte afmelden vóór 9 uur.",
    "Cliënt geeft toestemming om met de budgetcoach te overleggen.",
    "De afspraken worden bij het volgende bezoek samen geëvalueerd.",
)

_TEGENPRESTATIE = (
    "Twee ochtenden per week vrijwilligerswerk in het dorpshuis.",
    "Meehelpen bij de voedselbank op vrijdag.",
    "Eén middag per week helpen bij activiteiten in het verzorgingshuis.",
    "Vier uur per week onderhoud van het kerkhof met de groenploeg.",
)

_NOTES = (
    "Telefonisch contact: de auto van cliënt is kapot; het bezoek volgende week gaat door.",
    "Brief van de woningcorporatie over een huurachterstand ontvangen; besproken met cliënt.",
    "Overleg met het wijkteam over de situatie van de kinderen.",
    "Cliënt belde: aangenomen voor een tijdelijke baan via het uitzendbureau.",
    "Bericht van de taalschool: cliënt heeft het examen gehaald.",
    "Partner heeft zich ziek gemeld bij de werkgever; inkomsten kunnen wijzigen.",
    "Afspraak met de jobcoach verplaatst naar volgende maand.",
    "Cliënt vraagt naar bijzondere bijstand voor een wasmachine.",
)

_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")

_BASE_SCHEME_WEIGHTS = {
    Scheme.PARTICIPATIEWET: 70.0,
    Scheme.WSW: 5.0,
    Scheme.WAJONG: 7.0,
    Scheme.INBURGERING: 7.0,
    Scheme.WMO: 12.0,
    Scheme.KINDEROPVANG: 8.0,
    Scheme.JEUGD: 10.0,
    Scheme.LEERPLICHT_RMC: 8.0,
}

_VISIT_SLOTS = ((9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (13, 0), (13, 30), (14, 0))
_VISIT_SLOTS_LATE = ((14, 30), (15, 0), (15, 30), (16, 0))


# ------------------------------------------------------------------------------------- helpers


def split_surname(full: str) -> tuple[str, str] | None:
    """Split a surname as Faker gives it ("van der Berg") into (prefix, surname).

    None for names we do not want in the demo: Faker's nl_NL list also holds historical and
    foreign double names ("Godfrey van Alemannië", "Le Grand") that would not look like a client.
    """
    words = full.split()
    for prefix in _NAME_PREFIXES:
        size = prefix.count(" ") + 1
        if len(words) == size + 1 and " ".join(words[:size]).casefold() == prefix:
            rest = words[size]
            return (prefix, rest) if _plain_word(rest) else None
    if len(words) == 1 and _plain_word(words[0]):
        return ("", words[0])
    return None


def _plain_word(word: str) -> bool:
    return word[:1].isupper() and word.replace("-", "").replace("'", "").isalpha()


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_on(born: date, day: date) -> int:
    """Age in whole years on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _bsn_check_digit(digits: Sequence[int]) -> int:
    return sum((9 - i) * d for i, d in enumerate(digits)) % 11


@dataclass(frozen=True, slots=True)
class _Street:
    name: str
    postcode: Postcode


@dataclass(frozen=True, slots=True)
class _Household:
    members: tuple[HouseholdMember, ...]
    child_ages: tuple[int, ...]


class _Generator:
    """Draws the caseload from one random.Random, in a fixed order, so a seed fixes everything.

    Dates are handled as day offsets from `today`. Whatever has been recorded (visits, reviews,
    signatures, notes) lies on earlier days and today's visits start at 9:00, so the caseload
    reads the same at any moment of the working day.
    """

    def __init__(
        self, *, seed: int, caseworkers: tuple[str, ...], team_lead: str, today: date
    ) -> None:
        self.rng = random.Random(seed)
        self._cumulative: dict[tuple[float, ...], tuple[float, ...]] = {}
        self.caseworkers = caseworkers
        self.team_lead = team_lead
        self.today = today
        self.bsns: set[str] = set()
        # Per caseworker: clients still to generate, and returned intakes still to hand out.
        self.clients_left: dict[str, int] = {}
        self.returned_left: dict[str, int] = {}
        self.domain_keys = tuple(d.key for d in self_sufficiency_domains())
        fake = Faker("nl_NL")
        fake.seed_instance(seed)
        # Faker is the slow part; draw pools once and pick from them with the rng.
        self.surnames = self._surname_pool(fake)
        self.male_names = tuple(fake.first_name_male() for _ in range(400))
        self.female_names = tuple(fake.first_name_female() for _ in range(400))
        faker_streets = sorted({fake.street_name() for _ in range(300)})
        self.street_pool = tuple(_STREETS) + tuple(faker_streets)
        self.villages = villages()
        self.village_weights = tuple(_VILLAGE_WEIGHTS.get(v.name, 1.0) for v in self.villages)
        self.streets = {v.name: self._village_streets(v) for v in self.villages}

    # ------------------------------------------------------------------------------ basics

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    # random.Random's randint, choice and choices are general and slow; at a hundred thousand
    # records these plain versions on rng.random() halve the generation time.
    def between(self, low: int, high: int) -> int:
        """A whole number from low to high, both included."""
        return low + int(self.rng.random() * (high - low + 1))

    def pick(self, options: Sequence[T]) -> T:
        return options[int(self.rng.random() * len(options))]

    def weighted(self, options: Sequence[T], weights: tuple[float, ...]) -> T:
        cumulative = self._cumulative.get(weights)
        if cumulative is None:
            cumulative = self._cumulative[weights] = tuple(accumulate(weights))
        return options[bisect(cumulative, self.rng.random() * cumulative[-1])]

    @staticmethod
    def local(day: date, hour: int, minute: int) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=_AMSTERDAM).astimezone(UTC)

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def moment(self, offset: int, *, earliest: int = 9, latest: int = 17) -> datetime:
        """A time during office hours on the day `offset` days from today."""
        minutes = self.between(earliest * 12, latest * 12 - 1) * 5
        return self.local(self.day(offset), minutes // 60, minutes % 60)

    def _surname_pool(self, fake: Faker) -> tuple[tuple[str, str], ...]:
        pool = []
        for _ in range(3000):
            split = split_surname(fake.last_name())
            if split is not None:
                pool.append(split)
        return tuple(pool)

    def _village_streets(self, village: Village) -> tuple[_Street, ...]:
        count = 6 + int(2 * _VILLAGE_WEIGHTS.get(village.name, 1.0))
        names = self.rng.sample(self.street_pool, min(count, len(self.street_pool)))
        return tuple(_Street(name, self._postcode(village)) for name in names)

    def _postcode(self, village: Village) -> Postcode:
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        while True:
            pair = self.pick(letters) + self.pick(letters)
            try:
                return Postcode(f"{village.postcode_digits} {pair}")
            except ValidationError:
                continue  # combinations PostNL does not issue (SA, SD, SS)

    def bsn(self) -> Bsn:
        while True:
            # Eight digits without a leading zero, then the digit that makes the 11-check pass.
            head = str(self.between(10_000_000, 99_999_999))
            check = _bsn_check_digit([int(c) for c in head])
            if check == 10:
                continue
            value = head + str(check)
            if value not in self.bsns:
                self.bsns.add(value)
                return Bsn(value)

    def born(self, age: int) -> date:
        """A date of birth that makes the person exactly `age` today."""
        latest = _years_before(self.today, age)
        earliest = _years_before(self.today, age + 1) + timedelta(days=1)
        return earliest + timedelta(days=self.between(0, (latest - earliest).days))

    def first_names(self, *, female: bool, older: bool) -> str:
        pool = self.female_names if female else self.male_names
        first = self.pick(pool)
        # Older generations were usually registered with more than one first name.
        if older and self.chance(0.6):
            return f"{first} {self.pick(pool)}"
        if self.chance(0.15):
            return f"{first} {self.pick(pool)}"
        return first

    def person_name(self, *, female: bool, age: int, family: tuple[str, str] | None) -> PersonName:
        prefix, surname = family if family is not None else self.pick(self.surnames)
        return PersonName(
            surname=surname,
            prefix=prefix,
            first_names=self.first_names(female=female, older=age >= 45),
        )

    # ---------------------------------------------------------------------------- caseload

    def caseload(self, count: int) -> DemoCaseload:
        self.clients_left = {
            caseworker: len(range(number, count, len(self.caseworkers)))
            for number, caseworker in enumerate(self.caseworkers)
        }
        low, high = _RETURNED_PER_CASEWORKER
        # A tiny caseload gets fewer: one returned intake in five clients at most.
        self.returned_left = {
            caseworker: min(self.between(low, high), max(1, clients // 5))
            for caseworker, clients in self.clients_left.items()
        }
        clients: list[Client] = []
        household: list[HouseholdMember] = []
        enrollments: list[Enrollment] = []
        visits: list[Visit] = []
        intakes: list[Intake] = []
        plans: list[ClientPlan] = []
        notes: list[Note] = []
        for index in range(count):
            caseworker = self.caseworkers[index % len(self.caseworkers)]
            age = self.client_age()
            client_id = self.new_id()
            female = self.chance(0.55)
            name = self.person_name(female=female, age=age, family=None)
            home = self.household(client_id, name, age=age, female=female)
            case_start = -self.between(30, 3650)
            schemes = self.enrollments(
                client_id, caseworker, age=age, child_ages=home.child_ages, start=case_start
            )
            returned = self.take_returned(caseworker)
            intake = (
                self.intake(client_id, caseworker, start=case_start, returned=returned)
                if returned or self.chance(0.9)
                else None
            )
            client = self.client(client_id, name, age=age, caseworker=caseworker, intake=intake)
            participatiewet = any(e.scheme is Scheme.PARTICIPATIEWET for e in schemes)
            clients.append(client)
            household.extend(home.members)
            enrollments.extend(schemes)
            visits.extend(
                self.visits(
                    client_id,
                    caseworker,
                    start=case_start,
                    enforcement=participatiewet,
                    # The first clients of each caseworker get a visit today and an overdue one,
                    # so even a tiny demo has a today screen with content.
                    force_today=index < len(self.caseworkers),
                    force_overdue=len(self.caseworkers) <= index < 2 * len(self.caseworkers),
                )
            )
            if intake is not None:
                intakes.append(intake)
            plans.extend(
                self.plans(
                    client, intake, start=case_start, tegenprestatie=participatiewet and age < 67
                )
            )
            notes.extend(self.notes(client_id, caseworker))
        return DemoCaseload(
            clients=tuple(clients),
            household_members=tuple(household),
            enrollments=tuple(enrollments),
            visits=tuple(visits),
            intakes=tuple(intakes),
            plans=tuple(plans),
            notes=tuple(notes),
            today=self.today,
        )

    def client_age(self) -> int:
        # Most clients are of working age; the Wmo brings some older ones.
        return min(80, max(18, round(self.rng.triangular(18, 80, 35))))

    def client(
        self,
        client_id: str,
        name: PersonName,
        *,
        age: int,
        caseworker: str,
        intake: Intake | None,
    ) -> Client:
        village = self.weighted(self.villages, self.village_weights)
        street = self.pick(self.streets[village.name])
        addition = ""
        if self.chance(0.08):
            addition = self.pick(("A", "B", "C", "1", "2", "BIS"))
        address = Address(
            street=street.name,
            house_number=self.between(1, 160),
            house_number_addition=addition,
            postcode=street.postcode,
            village=village.name,
            municipality=village.municipality,
        )
        if intake is not None and intake.ladder_current is not None:
            step: int | None = intake.ladder_current
        else:
            step = self.between(1, 6) if self.chance(0.4) else None
        return Client(
            id=client_id,
            bsn=self.bsn(),
            name=name,
            date_of_birth=self.born(age),
            address=address,
            caseworker=caseworker,
            phone=self.phone(village) if self.chance(0.95) else None,
            email=self.email(name) if self.chance(0.6) else None,
            participation_step=step,
        )

    def phone(self, village: Village) -> PhoneNumber:
        if self.chance(0.6):
            return PhoneNumber(f"06 {self.between(10_000_000, 58_999_999)}")
        area = _PHONE_AREAS.get(village.name, _DEFAULT_PHONE_AREA)
        if len(area) == 3:
            number = str(self.between(3_000_000, 3_999_999))
            return PhoneNumber(f"{area} {number[:3]} {number[3:]}")
        number = str(self.between(400_000, 499_999))
        return PhoneNumber(f"{area} {number[:3]} {number[3:]}")

    def email(self, name: PersonName) -> EmailAddress:
        surname = _ascii(name.prefix + name.surname)
        given = _ascii(name.given_name)
        local = self.pick(
            (
                f"{given}.{surname}",
                f"{given[:1]}.{surname}",
                f"{given}{surname}{self.between(1, 99)}",
            )
        )
        return EmailAddress(f"{local}@{self.pick(_EMAIL_DOMAINS)}")

    def household(self, client_id: str, name: PersonName, *, age: int, female: bool) -> _Household:
        members: list[HouseholdMember] = []
        family = (name.prefix, name.surname)
        if age >= 21 and self.chance(0.4):
            partner_age = min(90, max(18, age + self.between(-6, 6)))
            members.append(
                self.member(
                    client_id,
                    Relation.PARTNER,
                    age=partner_age,
                    female=not female if self.chance(0.95) else female,
                    family=None,
                )
            )
        child_ages: list[int] = []
        if 20 <= age <= 62:
            wanted = self.weighted((0, 1, 2, 3, 4), (45, 20, 20, 10, 5))
            oldest = min(24, age - 18)
            for _ in range(min(wanted, 4 - len(members))):
                child_age = self.between(0, oldest)
                child_ages.append(child_age)
                members.append(
                    self.member(
                        client_id,
                        Relation.CHILD,
                        age=child_age,
                        female=self.chance(0.5),
                        family=family,
                    )
                )
        if len(members) < 4 and self.chance(0.05):
            # A parent or grown-up sibling living in.
            other_age = min(95, age + self.between(20, 30)) if age < 60 else age - 3
            members.append(
                self.member(
                    client_id,
                    Relation.OTHER,
                    age=max(18, other_age),
                    female=self.chance(0.5),
                    family=family if self.chance(0.5) else None,
                )
            )
        return _Household(tuple(members), tuple(child_ages))

    def member(
        self,
        client_id: str,
        relation: Relation,
        *,
        age: int,
        female: bool,
        family: tuple[str, str] | None,
    ) -> HouseholdMember:
        return HouseholdMember(
            id=self.new_id(),
            client_id=client_id,
            relation=relation,
            name=self.person_name(female=female, age=age, family=family),
            date_of_birth=self.born(age),
            # Not every household member's BSN is on file (a newborn, a recent arrival).
            bsn=self.bsn() if self.chance(0.9) else None,
        )

    # ------------------------------------------------------------------------ enrollments

    def scheme_weights(self, age: int, child_ages: Sequence[int]) -> dict[Scheme, float]:
        weights = dict(_BASE_SCHEME_WEIGHTS)
        if age >= 67:  # past the state pension age: no Participatiewet, Wsw, Wajong re-integration
            for scheme in (Scheme.PARTICIPATIEWET, Scheme.WSW, Scheme.WAJONG):
                weights[scheme] = 0.0
            weights[Scheme.WMO] = 80.0
        if age > 45:
            weights[Scheme.WAJONG] = 0.0
        if age < 25:
            weights[Scheme.WSW] = 0.0
        if not any(a < 13 for a in child_ages):
            weights[Scheme.KINDEROPVANG] = 0.0
        if not any(a < 18 for a in child_ages):
            weights[Scheme.JEUGD] = 0.0
        if not any(5 <= a <= 23 for a in child_ages):
            weights[Scheme.LEERPLICHT_RMC] = 0.0
        return {s: w for s, w in weights.items() if w > 0}

    def enrollments(
        self,
        client_id: str,
        caseworker: str,
        *,
        age: int,
        child_ages: Sequence[int],
        start: int,
    ) -> list[Enrollment]:
        weights = self.scheme_weights(age, child_ages)
        wanted = self.weighted((1, 2, 3), (60, 30, 10))
        result: list[Enrollment] = []
        for number in range(min(wanted, len(weights))):
            scheme = self.weighted(tuple(weights), tuple(weights.values()))
            del weights[scheme]
            begin = start if number == 0 else self.between(start, -7)
            end = None
            if number > 0 and begin < -60 and self.chance(0.2):
                end = self.between(begin + 30, -1)
            consent = self.chance(0.92)
            result.append(
                Enrollment(
                    id=self.new_id(),
                    client_id=client_id,
                    scheme=scheme,
                    start_date=self.day(begin),
                    end_date=self.day(end) if end is not None else None,
                    caseworker=caseworker,
                    consent_given=consent,
                    consent_date=self.day(min(-1, begin + self.between(0, 14)))
                    if consent
                    else None,
                )
            )
        return result

    # ----------------------------------------------------------------------------- visits

    def visits(
        self,
        client_id: str,
        caseworker: str,
        *,
        start: int,
        enforcement: bool,
        force_today: bool,
        force_overdue: bool,
    ) -> list[Visit]:
        first = max(start, -_PAST_DAYS)
        count = self.weighted((1, 2, 3, 4, 5), (15, 30, 25, 18, 12))
        # (days from today, kind): "intake", "planned" (must stay planned) or "any".
        slots = [(self.between(first, _FUTURE_DAYS), "any") for _ in range(count)]
        if start >= -_PAST_DAYS:
            slots[0] = (start, "intake")  # a client who arrived within the window had an intake
        extras = []
        if force_today or self.chance(0.03):
            extras.append((0, "planned"))
        if force_overdue or self.chance(_EXTRA_OVERDUE_VISIT):
            extras.append((-self.between(1, _UNRECORDED_WITHIN_DAYS), "planned"))
        # At most five visits: extras take the place of random ones. The pops stop at three or
        # more slots left, so the intake in slots[0] stays.
        while len(slots) + len(extras) > 5:
            slots.pop()
        result = []
        for offset, kind in sorted(slots + extras):
            if kind == "intake":
                purpose = VisitPurpose.INTAKE
            elif enforcement:
                purpose = self.weighted(
                    (VisitPurpose.VOORTGANG, VisitPurpose.HERONDERZOEK, VisitPurpose.HANDHAVING),
                    (70, 20, 8),
                )
            else:
                purpose = self.weighted(
                    (VisitPurpose.VOORTGANG, VisitPurpose.HERONDERZOEK), (80, 20)
                )
            result.append(
                self.visit(
                    client_id,
                    caseworker,
                    offset=offset,
                    purpose=purpose,
                    keep_planned=kind == "planned",
                )
            )
        return result

    def visit(
        self,
        client_id: str,
        caseworker: str,
        *,
        offset: int,
        purpose: VisitPurpose,
        keep_planned: bool,
    ) -> Visit:
        hour, minute = self.pick(_VISIT_SLOTS if self.chance(0.8) else _VISIT_SLOTS_LATE)
        planned_at = self.local(self.day(offset), hour, minute)
        visit = Visit(
            id=self.new_id(),
            client_id=client_id,
            planned_at=planned_at,
            purpose=purpose,
            caseworker=caseworker,
        )
        if offset >= 0 or keep_planned:
            return visit
        outcome = self.weighted(("done", "cancelled", "not_home", "planned"), (80, 8, 7, 5))
        if outcome == "planned" and offset >= -_UNRECORDED_WITHIN_DAYS:
            return visit  # overdue: nobody recorded what happened yet
        # Older visits are never left open: those fall through to done.
        if outcome == "cancelled":
            # Cancelled the day before, or that morning.
            at = planned_at - timedelta(hours=self.pick((2, 3, 20, 24, 26)))
            return visit.cancel(at=at, reason=self.pick(_CANCEL_REASONS))
        if outcome == "not_home":
            return visit.client_not_home(
                at=planned_at + timedelta(minutes=15), notes=self.pick(_NOT_HOME_NOTES)
            )
        recorded_at = planned_at + timedelta(minutes=5 * self.between(9, 36))
        if purpose is VisitPurpose.HANDHAVING:
            refused = self.chance(0.1)
            basis = LegalBasis(
                reason=self.pick(_LEGAL_REASONS),
                identification_shown=True,
                purpose_stated=True,
                entry_consent=EntryConsent.REFUSED if refused else EntryConsent.GIVEN,
            )
            return visit.record(
                at=recorded_at,
                notes="" if refused else self.pick(_VISIT_NOTES[purpose]),
                outcome=_ENTRY_REFUSED_OUTCOME if refused else self.pick(_VISIT_OUTCOMES[purpose]),
                legal_basis=basis,
            )
        return visit.record(
            at=recorded_at,
            notes=self.pick(_VISIT_NOTES[purpose]),
            outcome=self.pick(_VISIT_OUTCOMES[purpose]),
        )

    # ----------------------------------------------------------------------------- intakes

    def scores(self, *, complete: bool) -> dict[str, DomainScore]:
        level = self.weighted((1, 2, 3, 4), (5, 30, 45, 20))
        scores = {}
        for key in self.domain_keys:
            if not complete and self.chance(0.4):
                continue
            if key in _MOSTLY_FINE_DOMAINS and self.chance(0.8):
                score = self.weighted((4, 5), (30, 70))
            else:
                score = min(5, max(1, level + self.weighted((-1, 0, 1, 2), (20, 45, 25, 10))))
            remark = _SCORE_REMARKS.get(key, "") if score <= 2 else ""
            scores[key] = DomainScore(score, remark)
        return scores

    def take_returned(self, caseworker: str) -> bool:
        """Whether this client of `caseworker` has the intake the team lead returned: the
        caseworker's few returned intakes are spread at random over their clients, and all
        handed out by the last one."""
        clients_left = self.clients_left[caseworker]
        self.clients_left[caseworker] = clients_left - 1
        returned_left = self.returned_left[caseworker]
        if returned_left and self.chance(returned_left / clients_left):
            self.returned_left[caseworker] = returned_left - 1
            return True
        return False

    def intake(self, client_id: str, caseworker: str, *, start: int, returned: bool) -> Intake:
        if returned:
            status = IntakeStatus.RETURNED
        else:
            # The intakes returned in the past were corrected and approved since.
            status = self.weighted(
                (IntakeStatus.DRAFT, IntakeStatus.SUBMITTED, IntakeStatus.APPROVED), (15, 15, 70)
            )
        complete = status is not IntakeStatus.DRAFT or self.chance(0.2)
        current = self.weighted((1, 2, 3, 4, 5), (8, 30, 30, 22, 10))
        target = min(6, current + self.weighted((0, 1, 2), (20, 55, 25)))
        has_ladder = complete or self.chance(0.5)
        intake = Intake(
            id=self.new_id(),
            client_id=client_id,
            caseworker=caseworker,
            scores=self.scores(complete=complete),
            ladder_current=current if has_ladder else None,
            ladder_target=target if has_ladder else None,
            barriers=self.pick(_BARRIERS) if complete or self.chance(0.5) else "",
            strengths=self.pick(_STRENGTHS) if complete or self.chance(0.5) else "",
        )
        if status is IntakeStatus.DRAFT:
            return intake
        if status is IntakeStatus.SUBMITTED:
            # Still waiting for the team lead: submitted recently.
            return intake.submit(at=self.moment(max(start, -self.between(1, 14))))
        if status is IntakeStatus.RETURNED:
            # Returned recently and not corrected yet; reviewed a few days after submitting.
            reviewed = -self.between(1, _RETURNED_WITHIN_DAYS)
            submitted = max(start, reviewed - self.between(1, 10))
        else:
            submitted = self.between(max(start, -_PAST_DAYS), -3)
            reviewed = min(-1, submitted + self.between(1, 10))
        intake = intake.submit(at=self.moment(submitted))
        reviewed_at = self.moment(reviewed)
        if status is IntakeStatus.APPROVED:
            return intake.approve(reviewer=self.team_lead, at=reviewed_at)
        sections = self.rng.sample(list(_REVIEW_COMMENTS), self.between(1, 2))
        return intake.return_for_changes(
            reviewer=self.team_lead,
            at=reviewed_at,
            comments={section: _REVIEW_COMMENTS[section] for section in sections},
        )

    # ------------------------------------------------------------------------------- plans

    def plans(
        self, client: Client, intake: Intake | None, *, start: int, tegenprestatie: bool
    ) -> list[ClientPlan]:
        status = intake.status if intake is not None else None
        earliest = start
        if intake is not None and intake.reviewed_at is not None:
            # A plan is signed after the team lead approved the intake it builds on.
            reviewed = intake.reviewed_at.astimezone(_AMSTERDAM).date()
            earliest = min(-1, (reviewed - self.today).days)
        if status is IntakeStatus.APPROVED:
            scenario = self.weighted(
                ("active", "closed_then_active", "closed", "active_then_draft", "none"),
                (55, 20, 10, 10, 5),
            )
        elif status in (IntakeStatus.SUBMITTED, IntakeStatus.RETURNED):
            scenario = self.weighted(("draft", "none"), (60, 40))
        elif status is IntakeStatus.DRAFT:
            scenario = self.weighted(("draft", "none"), (30, 70))
        else:
            scenario = self.weighted(("closed", "none"), (50, 50))
        # Too recent a start leaves no room for a plan that ran and was closed.
        if scenario == "closed" and earliest > -31:
            scenario = "active"
        if scenario == "closed_then_active" and earliest > -62:
            scenario = "active"
        plan = partial(self.plan, client, tegenprestatie=tegenprestatie)
        if scenario == "none":
            return []
        if scenario == "draft":
            return [plan(1)]
        if scenario == "active":
            return [plan(1, activated=self.between(earliest, -1))]
        if scenario == "closed":
            activated = self.between(earliest, -31)
            return [plan(1, activated=activated, closed=self.between(activated + 30, -1))]
        if scenario == "closed_then_active":
            first = self.between(earliest, -62)
            second = self.between(first + 60, -1)
            return [plan(1, activated=first, closed=second), plan(2, activated=second)]
        return [plan(1, activated=self.between(earliest, -1)), plan(2)]

    def plan(
        self,
        client: Client,
        revision: int,
        *,
        tegenprestatie: bool,
        activated: int | None = None,
        closed: int | None = None,
    ) -> ClientPlan:
        layer = self.weighted(("school_werk", "werkleeromgeving", "leefbaarheid"), (50, 30, 20))
        goals = self.rng.sample(_GOALS[layer], self.between(1, min(3, len(_GOALS[layer]))))
        start = activated if activated is not None else -self.between(1, 20)
        actions = tuple(
            self.action(
                client, template, start=start, activated=activated is not None, closed=closed
            )
            for template in self.rng.sample(_ACTIONS, self.between(1, 4))
        )
        plan = ClientPlan(
            id=self.new_id(),
            client_id=client.id,
            caseworker=client.caseworker,
            revision=revision,
            goals=tuple(goals),
            actions=actions,
            agreements=" ".join(self.rng.sample(_AGREEMENTS, self.between(1, 2))),
            tegenprestatie=self.pick(_TEGENPRESTATIE) if tegenprestatie else "",
            service_layer=layer,
        )
        if activated is None:
            if self.chance(0.3):
                # The caseworker signed already; the client signs at the next visit.
                return plan.signed(caseworker=self.signature(client.caseworker, start, paper=False))
            return plan
        paper = self.chance(0.3)
        client_signature = self.signature(client.name.display(), activated, paper=paper)
        caseworker_signature = self.signature(client.caseworker, activated, paper=False)
        signed = plan.signed(client=client_signature, caseworker=caseworker_signature)
        active = signed.activate(at=max(client_signature.signed_at, caseworker_signature.signed_at))
        if closed is None:
            return active
        return active.close(at=self.moment(closed))

    def signature(self, signer: str, offset: int, *, paper: bool) -> Signature:
        if paper:
            # A paper signature is entered later with the date on the paper, not a time.
            return Signature(signer, SignatureMethod.PAPER, self.local(self.day(offset), 12, 0))
        return Signature(signer, SignatureMethod.DIGITAL, self.moment(offset, latest=12))

    def action(
        self,
        client: Client,
        template: tuple[str, bool],
        *,
        start: int,
        activated: bool,
        closed: int | None,
    ) -> PlanAction:
        description, by_client = template
        due = start + self.between(14, 120)
        action = PlanAction(
            id=self.new_id(),
            description=description,
            owner=_CLIENT_OWNER if by_client else client.caseworker,
            due_date=self.day(due),
        )
        if not activated:
            return action
        if closed is not None:
            final = self.weighted((ActionStatus.DONE, ActionStatus.CANCELLED), (80, 20))
            if final is ActionStatus.DONE and self.chance(0.5):
                action = action.moved_to(ActionStatus.IN_PROGRESS)
            return action.moved_to(final)
        status: ActionStatus | None
        if due < -_ACTION_EVALUATED_AFTER_DAYS:
            # Evaluated at a visit since its due date: done, or no longer needed.
            status = self.weighted((ActionStatus.DONE, ActionStatus.CANCELLED), (85, 15))
        elif due < 0:
            status = self.weighted(
                (ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.CANCELLED, None),
                (60, 15, 10, 15),
            )
        else:
            status = self.weighted((None, ActionStatus.IN_PROGRESS), (60, 40))
        if status is None:
            return action  # still open, possibly past its due date
        if status is ActionStatus.DONE and self.chance(0.5):
            action = action.moved_to(ActionStatus.IN_PROGRESS)
        return action.moved_to(status)

    # ------------------------------------------------------------------------------- notes

    def notes(self, client_id: str, caseworker: str) -> list[Note]:
        count = self.weighted((0, 1, 2, 3), (30, 35, 25, 10))
        return [
            Note(
                id=self.new_id(),
                client_id=client_id,
                text=self.pick(_NOTES),
                author=self.team_lead if self.chance(0.1) else caseworker,
                written_at=self.moment(-self.between(1, _PAST_DAYS)),
            )
            for _ in range(count)
        ]
