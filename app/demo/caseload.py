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

Intakes are in every state of the review cycle: drafts partly filled in, submitted ones waiting
up to two weeks (some for the second time, after a return whose comments were answered and whose
corrections show as changed answers), returned ones with open comment threads, and approved ones,
some after a round that was returned. Every submitted intake has the parts of the client's
schemes (Participatiewet, Wmo) filled in, with dates that keep the statutory terms: per caseworker
one Participatiewet decision term has passed and two run out within days, the rest have time.
Clients known for longer sometimes have an earlier intake, approved a year or so before.
"""

from __future__ import annotations

import math
import random
import unicodedata
import uuid
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from itertools import accumulate, chain
from typing import Any, TypeVar

from faker import Faker

from app.domain.client import Client, Enrollment, HouseholdMember, Relation
from app.domain.clocks import DUE_SOON_DAYS, Clock, ClockKind
from app.domain.errors import ValidationError
from app.domain.intake import DomainScore, Intake
from app.domain.intake_fields import (
    PW_DATES,
    PW_EXPLAINED,
    PW_TAALEIS_DATES,
    PW_TAALEIS_EXEMPTION,
    WMO_CHECKS,
    WMO_DATES,
    WMO_REPORT_GIVEN,
    WMO_TOLD,
    IntakeSection,
    taal_field,
    topic_field,
)
from app.domain.local_time import ZONE
from app.domain.notes import Note
from app.domain.plan import (
    ActionOwner,
    ClientPlan,
    PlanAction,
    Signature,
    SignatureMethod,
    SignerRole,
    content_hash,
)
from app.domain.records import Record
from app.domain.reference import (
    EnrollmentOutcome,
    Scheme,
    Village,
    default_consequences,
    letterhead_municipality,
    plan_obligations,
    self_sufficiency_domains,
    taaleis_skills,
    villages,
    wmo_topics,
)
from app.domain.review import Decision, IntakeRound, ReviewComment
from app.domain.roles import Role
from app.domain.states import ActionStatus, IntakeStatus
from app.domain.values import Address, Bsn, EmailAddress, PersonName, PhoneNumber, Postcode
from app.domain.visit import EntryConsent, LegalBasis, Visit, VisitPurpose

__all__ = ["DEMO_TODAY", "DemoCaseload", "age_on", "generate_caseload", "split_surname"]

# A fixed "today" keeps the output identical from run to run; callers pass their own for a live
# demo so that the today screen has content.
DEMO_TODAY = date(2026, 11, 23)

_AMSTERDAM = ZONE
HISTORY_DAYS = 548  # about 18 months of visits, intakes and notes (the default)
_FUTURE_DAYS = 28
# What a caseworker has open at any moment is a handful, and recent: a returned intake is
# corrected within days, a visit is recorded the same week, a plan's actions are evaluated at
# the next visit. Older items were dealt with, so the demo's Vandaag looks like a real one.
_RETURNED_PER_CASEWORKER = (2, 4)  # intakes waiting with the caseworker after a team lead's review
_RETURNED_WITHIN_DAYS = 14  # ...returned at most this many days ago
_UNRECORDED_WITHIN_DAYS = 14  # a visit still "planned" after its day is at most this old
_EXTRA_OVERDUE_VISIT = 0.01  # per client: a visit that was not recorded yet
_ACTIVE_AT_MOST_DAYS = 330  # a plan active for longer would have been evaluated
_ACTION_EVALUATED_AFTER_DAYS = 28  # an action this far past its due date has been evaluated
# Per caseworker, statutory clocks running out: the intakes of their first Participatiewet
# clients are dated so that one Pw decision term has passed (a resubmitted intake: the back and
# forth took time) and two are due within DUE_SOON_DAYS. Other running clocks have more time.
_URGENT_CLOCKS = ("overdue", "due_soon", "due_soon")
# The current intake: still a draft, waiting for the team lead (first or second round), approved.
# Returned ones are handed out apart (_RETURNED_PER_CASEWORKER).
_INTAKE_KINDS = ("draft", "submitted", "resubmitted", "approved")
_INTAKE_KIND_WEIGHTS = (15.0, 11.0, 4.0, 70.0)
_EARLIER_INTAKE = 0.2  # a client of more than a year has an earlier approved intake
_SECOND_EARLIER_INTAKE = 0.3  # ...and of two years, sometimes one more before that
# One client in this many is a closed file: every provision ended, refused or broken off, some
# long enough ago that retention destroys them (a demo `retention run` has work to do).
_CLOSED_FILE_EVERY = 16
_ENDED_OUTCOMES = (
    EnrollmentOutcome.GRANTED,
    EnrollmentOutcome.REFUSED,
    EnrollmentOutcome.BROKEN_OFF,
)
# How a closed file ended: (outcome, schemes, days ago it ended: low, high), weighted. About
# half is past its term (10 years for a provision, 15 for the Wmo, 5 for a refusal, 42 days for
# a broken-off case), the rest not yet.
_CLOSED_FILES: tuple[tuple[EnrollmentOutcome, tuple[Scheme, ...], int, int], ...] = (
    (
        EnrollmentOutcome.GRANTED,
        (Scheme.PARTICIPATIEWET, Scheme.WSW, Scheme.INBURGERING),
        3660,
        4700,
    ),
    (EnrollmentOutcome.GRANTED, (Scheme.PARTICIPATIEWET, Scheme.INBURGERING), 200, 3500),
    (EnrollmentOutcome.GRANTED, (Scheme.WMO,), 5500, 6200),
    (EnrollmentOutcome.GRANTED, (Scheme.WMO,), 3700, 5400),
    (EnrollmentOutcome.REFUSED, (Scheme.PARTICIPATIEWET, Scheme.WMO), 1830, 2500),
    (EnrollmentOutcome.REFUSED, (Scheme.PARTICIPATIEWET, Scheme.WMO), 60, 1800),
    (EnrollmentOutcome.BROKEN_OFF, (Scheme.PARTICIPATIEWET, Scheme.WMO), 43, 330),
    (EnrollmentOutcome.BROKEN_OFF, (Scheme.PARTICIPATIEWET, Scheme.WMO), 3, 40),
)
_CLOSED_FILE_WEIGHTS = (16, 14, 8, 8, 14, 12, 16, 12)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DemoCaseload:
    """Generated records, each tuple in generation order."""

    clients: tuple[Client, ...]
    household_members: tuple[HouseholdMember, ...]
    enrollments: tuple[Enrollment, ...]
    visits: tuple[Visit, ...]
    intakes: tuple[Intake, ...]
    intake_rounds: tuple[IntakeRound, ...]
    review_comments: tuple[ReviewComment, ...]
    plans: tuple[ClientPlan, ...]
    plan_actions: tuple[PlanAction, ...]
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
            self.intake_rounds,
            self.review_comments,
            self.plans,
            self.plan_actions,
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
    history_days: int = HISTORY_DAYS,
) -> DemoCaseload:
    """Generate `clients` clients with their households, schemes, visits, intakes, plans, notes.

    Clients are assigned to `caseworkers` round-robin; `team_lead` reviews the intakes and must
    not be one of the caseworkers (nobody reviews their own intake). Visits, intakes and notes
    lie in the last `history_days` days (a longer history for the council report's benchmark;
    the default keeps the demo and the tests built on it as they are).
    """
    if history_days < 60:
        raise ValueError("history_days must be at least 60")
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
        history_days=history_days,
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

# What a team lead writes on a section of an intake, and what the caseworker answers. When the
# caseworker corrects the intake, `before` and `after` are the section's text in the returned
# round and in the next one (a Wmo point names its topic); the other sections' corrections are
# made in `_Generator.correct`.


@dataclass(frozen=True, slots=True)
class _Point:
    comment: str
    answer: str
    before: str = ""
    after: str = ""
    topic: str = ""


_REVIEW_POINTS: dict[IntakeSection, tuple[_Point, ...]] = {
    IntakeSection.SCORES: (
        _Point(
            "Score financiën past niet bij de beschreven schulden; graag aanpassen of toelichten.",
            "Aangepast: schulden zijn nu in beeld bij de budgetcoach, score verlaagd.",
        ),
        _Point(
            "Financiën: bij een betalingsachterstand hoort een lagere score en een toelichting.",
            "Klopt, score bijgesteld en toelichting toegevoegd.",
        ),
    ),
    IntakeSection.PARTICIPATION: (
        _Point(
            "De doeltrede lijkt te hoog voor de komende periode; graag bijstellen.",
            "Met cliënt besproken en de doeltrede een trede lager gezet.",
        ),
        _Point(
            "Is de doeltrede haalbaar binnen een jaar, gezien de gezondheid?",
            "Bijgesteld naar een trede lager, in overleg met cliënt.",
        ),
    ),
    IntakeSection.BARRIERS: (
        _Point(
            "Belemmeringen concreter beschrijven: wat betekent dit voor werk?",
            "Aangevuld met wat dit voor werk betekent.",
            after="Werk met vaste begintijden is daardoor voorlopig niet haalbaar.",
        ),
        _Point(
            "Hoeveel uur per week is werken nu haalbaar? Graag bij de belemmeringen opnemen.",
            "Aangevuld: op dit moment hooguit 16 uur per week.",
            after="Hooguit 16 uur per week werken is nu haalbaar.",
        ),
        _Point(
            "Vervoer komt in het gesprek terug maar staat niet bij de belemmeringen.",
            "Toegevoegd aan de belemmeringen.",
            after="Zonder rijbewijs is werk buiten het dorp lastig bereikbaar.",
        ),
    ),
    IntakeSection.STRENGTHS: (
        _Point(
            "Krachten van de cliënt ontbreken nog.",
            "Krachten aangevuld na het gesprek van vorige week.",
        ),
        _Point(
            "Wat gaat er goed? Graag de krachten invullen, die gebruiken we in het plan.",
            "Samen met cliënt ingevuld.",
        ),
    ),
    IntakeSection.HOUSEHOLD: (
        _Point(
            "Thuissituatie: hoe staat het met de woonlasten? Graag aanvullen.",
            "Aangevuld: de huurachterstand en de regeling met de corporatie staan erin.",
            after="Huurachterstand van twee maanden; betalingsregeling met de corporatie loopt.",
        ),
        _Point(
            "Woont er nog iemand in of betaalt er iemand mee? Dat is van belang voor de uitkering.",
            "Nagevraagd: verder woont er niemand in. Zo aangevuld.",
            after="Er woont verder niemand in; logés zijn er niet.",
        ),
        _Point(
            "Hoe is de woning bereikbaar zonder auto?",
            "Aangevuld: geen auto, de bushalte is tien minuten lopen.",
            after="Geen auto; de bushalte is tien minuten lopen.",
        ),
    ),
    IntakeSection.CONSENT: (
        _Point(
            "Is de toestemming schriftelijk vastgelegd? Graag het getekende formulier in het "
            "dossier.",
            "Het getekende formulier staat in het dossier.",
        ),
        _Point(
            "Is ook gevraagd of we met de huisarts mogen overleggen?",
            "Ja, mondeling gegeven en vastgelegd in het gespreksverslag.",
        ),
    ),
    IntakeSection.PARTICIPATIEWET: (
        _Point(
            "Datum aanvraag is gelijk aan de meldingsdatum; klopt dat met de ontvangstdatum van "
            "het aanvraagformulier?",
            "Gecorrigeerd naar de datum waarop het aanvraagformulier binnenkwam.",
        ),
    ),
    IntakeSection.WMO: (
        _Point(
            "Algemene voorzieningen: is gekeken naar de maaltijdservice en de boodschappendienst "
            "in het dorp?",
            "Aangevuld: beide besproken, cliënt probeert eerst de maaltijdservice.",
            before="Niet besproken.",
            after="Maaltijdservice en boodschappendienst van het dorpshuis besproken; cliënt "
            "probeert eerst de maaltijdservice.",
            topic="general_facilities",
        ),
        _Point(
            "De bijdrage in de kosten moet in het verslag staan voordat we beschikken.",
            "Abonnementstarief uitgelegd en in het verslag opgenomen.",
            before="Nog bespreken.",
            after="Abonnementstarief uitgelegd; cliënt kan dit betalen.",
            topic="cost_contribution",
        ),
        _Point(
            "Eigen kracht en netwerk graag concreter: wie helpt er nu al?",
            "Aangevuld: de buurvrouw komt dagelijks langs, verder is er geen netwerk.",
            before="Weinig netwerk.",
            after="Geen familie in de buurt; een buurvrouw kijkt dagelijks even om het hoekje.",
            topic="own_strength",
        ),
    ),
    IntakeSection.GENERAL: (
        _Point(
            "Helder verslag. Is de huisarts op de hoogte van de plannen?",
            "Ja, cliënt heeft het zelf met de huisarts besproken.",
        ),
        _Point(
            "Graag bij het volgende bezoek de afspraken met de budgetcoach doornemen.",
            "Staat op de agenda voor het volgende huisbezoek.",
        ),
    ),
}

# How many answers a correction of the section changes (see `_Generator.correct`).
_CORRECTED_FIELDS = {
    IntakeSection.SCORES: 2,
    IntakeSection.CONSENT: 0,
    IntakeSection.GENERAL: 0,
}
_FINANCES = "financien"
_FINANCES_CORRECTED = "Betalingsachterstand huur en energie; de budgetcoach is ingeschakeld."
# Remarks a caseworker adds to a score without a remark of its own in _SCORE_REMARKS.
_REMARK_LOW = "Hier is ondersteuning nodig; besproken met cliënt."
_REMARK_MIDDLE = "Wisselend; komt terug bij het volgende bezoek."
_REMARK_FINE = "Gaat goed; geen ondersteuning nodig."

_HOUSING = (
    "in een huurwoning van de woningcorporatie",
    "in een rijtjeshuis (huur)",
    "in een benedenwoning",
    "in een appartement boven een winkel",
    "in een koopwoning met hypotheek",
    "in een vrijstaande woning buiten het dorp",
)
_HOUSING_SENIOR = "in een seniorenwoning dicht bij de dorpskern"
_HOUSING_EXTRAS = (
    "De woning is vochtig; melding bij de verhuurder gedaan.",
    "Contact met familie is goed; een zus woont in het volgende dorp.",
    "Geen auto; de bushalte is tien minuten lopen.",
    "Cliënt zorgt deels voor een ouder die verderop in het dorp woont.",
    "De hond is belangrijk voor de dagstructuur.",
    "Verhuizing naar een kleinere woning is aangevraagd bij de corporatie.",
)
_NUMBERS = {1: "één", 2: "twee", 3: "drie", 4: "vier"}

# (reason, weight): why the taaleis of the Participatiewet is met without a test.
_TAALEIS_EXEMPTIONS = (
    ("Nederlands als moedertaal", 60.0),
    ("Diploma Nederlandstalig voortgezet onderwijs", 20.0),
    ("Diploma mbo niveau 2, Nederlandstalig", 10.0),
    ("Inburgeringsdiploma behaald", 5.0),
    ("Staatsexamen Nederlands als tweede taal behaald", 5.0),
)

# The Wmo onderzoek's topics (art. 2.3.2 lid 4 Wmo 2015), as a caseworker sums them up.
_WMO_TOPICS: dict[str, tuple[str, ...]] = {
    "needs": (
        "Cliënt wil zelfstandig thuis blijven wonen en de boodschappen weer zelf doen.",
        "Hulp nodig bij het huishouden; stofzuigen en de was lukken niet meer door rugklachten.",
        "Cliënt wil weer onder de mensen komen en zoekt een vaste dagbesteding.",
        "Traplopen gaat moeizaam; cliënt slaapt noodgedwongen beneden in de woonkamer.",
        "Cliënt wil zich veilig kunnen verplaatsen in het dorp, naar de winkel en de huisarts.",
        "Na een heupoperatie is ondersteuning nodig bij het douchen en aankleden.",
    ),
    "own_strength": (
        "Een dochter komt twee keer per week helpen met boodschappen; buren halen de post.",
        "Partner doet het meeste in huis maar raakt overbelast; verder weinig netwerk.",
        "Cliënt regelt veel zelf per telefoon; een zoon woont in de stad en komt in het weekend.",
        "Geen familie in de buurt; een buurvrouw kijkt dagelijks even om het hoekje.",
        "Vrijwilligers van de kerk helpen met vervoer op zondag; verder weinig contacten.",
    ),
    "general_facilities": (
        "Maaltijdservice en boodschappendienst van het dorpshuis besproken; cliënt probeert eerst "
        "de maaltijdservice.",
        "Cliënt gaat twee ochtenden per week naar de inloop in het dorpshuis.",
        "De klussendienst van vrijwilligers kan kleine aanpassingen in huis doen.",
        "Regiotaxi besproken; cliënt vraagt zelf een pas aan.",
        "Een wasservice is een alternatief voor hulp bij de was.",
    ),
    "cooperation": (
        "Met toestemming overleg gehad met de wijkverpleging over de persoonlijke verzorging.",
        "Huisarts is op de hoogte; de fysiotherapeut adviseert een douchestoel en beugels.",
        "Afgestemd met de thuiszorg wat onder de Zorgverzekeringswet valt en wat onder de Wmo.",
        "Een ergotherapeut komt de woning bekijken voor het advies over een traplift.",
        "Geen andere zorgaanbieders betrokken.",
    ),
    "tailored_support": (
        "Hulp bij het huishouden, drie uur per week.",
        "Dagbesteding twee dagdelen per week op een zorgboerderij in de regio.",
        "Woningaanpassing: beugels in de badkamer en een douchestoel.",
        "Scootmobiel voor verplaatsingen in en rond het dorp.",
        "Individuele begeleiding, twee uur per week, bij de administratie en het plannen.",
        "Geen maatwerkvoorziening nodig; de algemene voorzieningen volstaan.",
    ),
    "cost_contribution": (
        "Abonnementstarief uitgelegd; cliënt kan dit betalen.",
        "Eigen bijdrage via het CAK besproken; cliënt krijgt daarover een brief.",
        "Cliënt is op de hoogte van de eigen bijdrage en heeft geen bezwaar.",
        "Eigen bijdrage besproken; cliënt vraagt of de bijzondere bijstand kan bijdragen.",
    ),
}
_CARER_SUPPORT = (
    "Partner is mantelzorger en geeft aan moe te zijn; respijtzorg één dag per week besproken.",
    "Dochter is mantelzorger naast haar baan; gewezen op het steunpunt mantelzorg.",
    "Mantelzorger wil een gesprek met de mantelzorgconsulent; aanmelding gedaan.",
)
_NO_CARER = (
    "Geen mantelzorger betrokken; niet van toepassing.",
    "Er is geen vaste mantelzorger; buren helpen af en toe.",
)
_WMO_TOPIC_FALLBACK = ("Besproken met cliënt; zie het gespreksverslag.",)

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

# (description, who: "client", "caseworker" or the name of a partner organisation)
_ACTIONS = (
    ("Aanmelden bij schuldhulpverlening", "client"),
    ("Intakegesprek schuldhulpverlening", "Schuldhulp Noord-Groningen"),
    ("Budgetcoach inschakelen", "caseworker"),
    ("Cv bijwerken", "client"),
    ("Contact opnemen met werkgever over een proefplaatsing", "caseworker"),
    ("Taalcursus afronden", "client"),
    ("Taalles op niveau 1F aanbieden", "Taalhuis Hogeland"),
    ("Kinderopvang aanvragen", "client"),
    ("Huisarts raadplegen over de klachten", "client"),
    ("Vacatures bespreken tijdens het huisbezoek", "caseworker"),
    ("Inschrijven bij een uitzendbureau", "client"),
    ("Werkervaringsplaats in de groenploeg regelen", "Werkleerbedrijf Hogeland"),
    ("Aanvraag bijzondere bijstand beoordelen", "caseworker"),
    ("Kennismaken met de vrijwilligers van het dorpshuis", "client"),
)

_SUPPORT = {
    "school_werk": (
        "Begeleiding naar werk door de klantmanager, met een werkervaringsplaats en een "
        "sollicitatietraining.",
        "Begeleiding bij het kiezen en starten van een mbo-opleiding, met studiekosten uit de "
        "bijzondere bijstand.",
    ),
    "werkleeromgeving": (
        "Een plaats in de werkleeromgeving van het werkleerbedrijf, drie dagen per week, met een "
        "vaste begeleider.",
        "Jobcoaching op de werkplek gedurende de eerste zes maanden.",
    ),
    "leefbaarheid": (
        "Ondersteuning bij het op orde brengen van de financiën en het vinden van een zinvolle "
        "dagbesteding in het dorp.",
        "Begeleiding door het wijkteam bij de thuissituatie, met aandacht voor de mantelzorg.",
    ),
}

_OWN_WORDS = (
    "Ik wil weer voor mezelf kunnen zorgen en niet elke maand geld tekort komen.",
    "Ik wil graag in de zorg werken, het liefst dichtbij huis.",
    "Ik wil eerst mijn schulden oplossen, daarna wil ik een opleiding doen.",
    "Ik wil beter Nederlands leren zodat ik zelf de brieven kan lezen.",
    "Ik wil weer onder de mensen komen en iets betekenen voor het dorp.",
)

_REFUSALS = (
    "Cliënt wil het plan eerst met zijn dochter bespreken.",
    "Cliënt is het niet eens met de verplichtingen en wil bezwaar maken.",
)

# The signature pad's size in the editor (points, y down), which demo strokes are drawn on.
_PAD = (560.0, 220.0)

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


@dataclass(frozen=True, slots=True)
class _ClosedFile:
    client: Client
    household: tuple[HouseholdMember, ...]
    enrollments: tuple[Enrollment, ...]
    visits: tuple[Visit, ...]
    notes: tuple[Note, ...]


@dataclass(slots=True)
class _Answers:
    """The answers of an intake in the making, changed in place until an Intake is built."""

    scores: dict[str, DomainScore]
    ladder_current: int | None
    ladder_target: int | None
    barriers: str
    strengths: str
    household_situation: str
    consent: dict[str, bool | None]
    parts: dict[str, Any]

    def copy(self) -> _Answers:
        return replace(
            self, scores=dict(self.scores), consent=dict(self.consent), parts=dict(self.parts)
        )

    def fields(self) -> dict[str, Any]:
        return {
            "scores": dict(self.scores),
            "ladder_current": self.ladder_current,
            "ladder_target": self.ladder_target,
            "barriers": self.barriers,
            "strengths": self.strengths,
            "household_situation": self.household_situation,
            "consent": dict(self.consent),
            "parts": self.parts,
        }


@dataclass(frozen=True, slots=True)
class _Step:
    """One round of an intake as day offsets: submitted, decided (None: still waiting) and, for
    a returned round that was corrected, the day the caseworker answered the comments."""

    submitted: int
    decided: int | None
    answered: int | None = None


def _join(items: Sequence[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


class _Generator:
    """Draws the caseload from one random.Random, in a fixed order, so a seed fixes everything.

    Dates are handled as day offsets from `today`. Whatever has been recorded (visits, reviews,
    signatures, notes) lies on earlier days and today's visits start at 9:00, so the caseload
    reads the same at any moment of the working day.
    """

    def __init__(
        self,
        *,
        seed: int,
        caseworkers: tuple[str, ...],
        team_lead: str,
        today: date,
        history_days: int = HISTORY_DAYS,
    ) -> None:
        self.rng = random.Random(seed)
        # How an ended enrollment ended is drawn apart, so the rest of the caseload does not
        # shift with it.
        self.outcome_rng = random.Random(seed + 1)
        self._cumulative: dict[tuple[float, ...], tuple[float, ...]] = {}
        self.caseworkers = caseworkers
        self.team_lead = team_lead
        self.today = today
        self.past_days = history_days
        self.bsns: set[str] = set()
        self.rounds: list[IntakeRound] = []
        self.threads: list[ReviewComment] = []
        # Per caseworker: clients still to generate, and returned intakes still to hand out.
        self.clients_left: dict[str, int] = {}
        self.returned_left: dict[str, int] = {}
        # Per caseworker: statutory clocks still to set running out ("due_soon", "overdue"),
        # and whether a returned intake shows a thread the caseworker resolved already.
        self.urgent_left: dict[str, list[str]] = {}
        self.resolved_shown: set[str] = set()
        self.domain_keys = tuple(d.key for d in self_sufficiency_domains())
        self.taal_skills = tuple(s.key for s in taaleis_skills())
        self.wmo_topics = tuple(t.key for t in wmo_topics())
        self.exemptions = tuple(reason for reason, _ in _TAALEIS_EXEMPTIONS)
        self.exemption_weights = tuple(weight for _, weight in _TAALEIS_EXEMPTIONS)
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
        # The last few clients are closed files (see `closed_file`): the caseload's work (returned
        # intakes, urgent clocks, visits today) is spread over the others.
        active = count - count // _CLOSED_FILE_EVERY
        self.clients_left = {
            caseworker: len(range(number, active, len(self.caseworkers)))
            for number, caseworker in enumerate(self.caseworkers)
        }
        low, high = _RETURNED_PER_CASEWORKER
        # A tiny caseload gets fewer: one returned intake in five clients at most.
        self.returned_left = {
            caseworker: min(self.between(low, high), max(1, clients // 5))
            for caseworker, clients in self.clients_left.items()
        }
        self.urgent_left = {caseworker: list(_URGENT_CLOCKS) for caseworker in self.caseworkers}
        clients: list[Client] = []
        household: list[HouseholdMember] = []
        enrollments: list[Enrollment] = []
        visits: list[Visit] = []
        intakes: list[Intake] = []
        plans: list[ClientPlan] = []
        plan_actions: list[PlanAction] = []
        notes: list[Note] = []
        for index in range(active):
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
            urgent = self.take_urgent(caseworker, schemes, returned=returned)
            client_intakes = (
                self.intakes(
                    client_id,
                    caseworker,
                    start=case_start,
                    enrollments=schemes,
                    home=home,
                    age=age,
                    returned=returned,
                    urgent=urgent,
                )
                if returned or urgent or self.chance(0.9)
                else []
            )
            intake = client_intakes[-1] if client_intakes else None
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
            intakes.extend(client_intakes)
            for plan, actions in self.plans(
                client, intake, start=case_start, tegenprestatie=participatiewet and age < 67
            ):
                plans.append(plan)
                plan_actions.extend(actions)
            notes.extend(self.notes(client_id, caseworker))
        for index in range(active, count):
            closed = self.closed_file(self.caseworkers[index % len(self.caseworkers)])
            clients.append(closed.client)
            household.extend(closed.household)
            enrollments.extend(closed.enrollments)
            visits.extend(closed.visits)
            notes.extend(closed.notes)
        return DemoCaseload(
            clients=tuple(clients),
            household_members=tuple(household),
            enrollments=tuple(enrollments),
            visits=tuple(visits),
            intakes=tuple(intakes),
            intake_rounds=tuple(self.rounds),
            review_comments=tuple(self.threads),
            plans=tuple(plans),
            plan_actions=tuple(plan_actions),
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
            outcome = EnrollmentOutcome.GRANTED
            if number > 0 and begin < -60 and self.chance(0.2):
                # An ended provision, or an application refused or broken off within weeks.
                outcome = _ENDED_OUTCOMES[bisect((55, 85, 100), self.outcome_rng.random() * 100)]
                if outcome is EnrollmentOutcome.GRANTED:
                    end = self.between(begin + 30, -1)
                else:
                    end = begin + self.between(7, 56)
            consent = self.chance(0.92)
            result.append(
                Enrollment(
                    id=self.new_id(),
                    client_id=client_id,
                    scheme=scheme,
                    start_date=self.day(begin),
                    end_date=self.day(end) if end is not None else None,
                    outcome=outcome,
                    caseworker=caseworker,
                    consent_given=consent,
                    consent_date=self.day(min(-1, begin + self.between(0, 14)))
                    if consent
                    else None,
                )
            )
        return result

    def closed_file(self, caseworker: str) -> _ClosedFile:
        """A client whose file is closed: one provision that ended (granted, refused or broken
        off, `_CLOSED_FILES`), sometimes after an earlier application that was refused, and the
        few visits and notes of that time. No intake or plan: those belong to open files."""
        outcome, schemes, low, high = self.weighted(_CLOSED_FILES, _CLOSED_FILE_WEIGHTS)
        ended = -self.between(low, high)
        if outcome is EnrollmentOutcome.GRANTED:
            begin = ended - self.between(180, 2500)
        else:
            begin = ended - self.between(7, 56)  # decided or broken off within weeks
        # Of age when the file opened, and at most 80 today.
        age = self.between(min(80, 18 + (-begin) // 365 + 1), 80)
        client_id = self.new_id()
        female = self.chance(0.55)
        name = self.person_name(female=female, age=age, family=None)
        home = self.household(client_id, name, age=age, female=female)
        scheme = self.pick(schemes)
        enrollments = [self.closed_enrollment(client_id, caseworker, scheme, begin, ended, outcome)]
        earlier = begin - self.between(60, 700)
        if self.chance(0.25) and age - 18 > (-earlier) // 365 + 1:
            other = self.pick([s for s in (Scheme.PARTICIPATIEWET, Scheme.WMO) if s != scheme])
            enrollments.insert(
                0,
                self.closed_enrollment(
                    client_id,
                    caseworker,
                    other,
                    earlier,
                    earlier + self.between(7, 56),
                    EnrollmentOutcome.REFUSED,
                ),
            )
        # The intake visit came with the application; later ones only in a file that ran for a
        # while. None in the last two weeks: a closed file has nothing left to record.
        visits = [
            self.visit(
                client_id,
                caseworker,
                offset=min(begin - self.between(0, 14), -_UNRECORDED_WITHIN_DAYS - 1)
                if number == 0
                else self.between(begin, ended),
                purpose=VisitPurpose.INTAKE if number == 0 else VisitPurpose.VOORTGANG,
                keep_planned=False,
            )
            for number in range(self.between(1, 3) if ended < -30 else 1)
        ]
        notes = [
            Note(
                id=self.new_id(),
                client_id=client_id,
                text=self.pick(_NOTES),
                author=caseworker,
                written_at=self.moment(self.between(begin, ended)),
            )
            for _ in range(self.weighted((0, 1, 2), (40, 40, 20)))
        ]
        return _ClosedFile(
            client=self.client(client_id, name, age=age, caseworker=caseworker, intake=None),
            household=home.members,
            enrollments=tuple(enrollments),
            visits=tuple(sorted(visits, key=lambda v: v.planned_at)),
            notes=tuple(notes),
        )

    def closed_enrollment(
        self,
        client_id: str,
        caseworker: str,
        scheme: Scheme,
        begin: int,
        end: int,
        outcome: EnrollmentOutcome,
    ) -> Enrollment:
        consent = self.chance(0.9)
        return Enrollment(
            id=self.new_id(),
            client_id=client_id,
            scheme=scheme,
            start_date=self.day(begin),
            end_date=self.day(end),
            outcome=outcome,
            caseworker=caseworker,
            consent_given=consent,
            consent_date=self.day(begin + self.between(0, 7)) if consent else None,
        )

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
        first = max(start, -self.past_days)
        count = self.weighted((1, 2, 3, 4, 5), (15, 30, 25, 18, 12))
        # (days from today, kind): "intake", "planned" (must stay planned) or "any".
        slots = [(self.between(first, _FUTURE_DAYS), "any") for _ in range(count)]
        if start >= -self.past_days:
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

    def take_urgent(
        self, caseworker: str, enrollments: Sequence[Enrollment], *, returned: bool
    ) -> str | None:
        """The statutory clock this client's intake is to show running out, if any: the first
        Participatiewet clients of each caseworker get them (the Pw decision term is the one
        set)."""
        left = self.urgent_left[caseworker]
        if returned or not left:
            return None
        if not any(e.scheme is Scheme.PARTICIPATIEWET for e in enrollments):
            return None
        return left.pop(0)

    def intakes(
        self,
        client_id: str,
        caseworker: str,
        *,
        start: int,
        enrollments: Sequence[Enrollment],
        home: _Household,
        age: int,
        returned: bool,
        urgent: str | None,
    ) -> list[Intake]:
        """The client's intakes, oldest first: sometimes one or two approved a year or more ago,
        then the current one in any state of the review cycle."""
        if returned:
            kind = "returned"
        elif urgent == "overdue":
            kind = "resubmitted"  # the back and forth took time: the term has passed
        elif urgent is not None:
            kind = "submitted"
        else:
            kind = self.weighted(_INTAKE_KINDS, _INTAKE_KIND_WEIGHTS)
        if kind == "draft":
            steps: list[_Step] = []
        elif kind in ("submitted", "resubmitted"):
            # Waiting for the team lead: submitted (again) in the last two weeks.
            rounds = 1 if kind == "submitted" else 2
            steps = self.timeline(rounds, last=-self.between(1, 14), waiting=True)
        elif kind == "returned":
            # Returned recently and not corrected yet.
            rounds = 2 if self.chance(0.2) else 1
            steps = self.timeline(
                rounds, last=-self.between(1, _RETURNED_WITHIN_DAYS), waiting=False
            )
        else:
            rounds = 2 if self.chance(0.2) else 1
            floor = max(start, -self.past_days) + 20
            steps = self.timeline(rounds, last=self.between(floor, -1), waiting=False)
        # Approved a year or so before this one (and sometimes a year before that), if the
        # client was known then.
        earlier: list[int] = []  # the days the earlier intakes were approved
        day = steps[0].submitted if steps else 0
        for chance in (_EARLIER_INTAKE, _SECOND_EARLIER_INTAKE):
            day -= self.between(330, 420)
            if day < start + 25 or not self.chance(chance):
                break
            earlier.insert(0, day)
        codes = tuple(dict.fromkeys(e.scheme.value for e in enrollments))
        consent = {e.scheme.value: e.consent_given for e in enrollments}
        household = self.household_text(home, age)
        carer_likely = any(m.relation is not Relation.CHILD for m in home.members)
        current = self.answers(
            codes,
            consent=consent,
            household=household,
            carer_likely=carer_likely,
            first=steps[0].submitted if steps else None,
            decided=steps[-1].decided if kind == "approved" else None,
            urgent=urgent,
        )
        result = []
        for approved in earlier:
            past = self.timeline(2 if self.chance(0.2) else 1, last=approved, waiting=False)
            then = self.day(past[0].submitted)
            schemes = tuple(dict.fromkeys(e.scheme.value for e in enrollments if e.active_on(then)))
            before = self.answers(
                schemes,
                consent=consent,
                household=household,
                carer_likely=carer_likely,
                first=past[0].submitted,
                decided=approved,
                urgent=None,
            )
            # A year ago the client was further from work: lower scores, a lower step.
            self.earlier_scores(before, current)
            result.append(
                self.reviewed(client_id, caseworker, before, schemes, past, returned=False)
            )
        if kind == "draft":
            draft = Intake(
                id=self.new_id(), client_id=client_id, caseworker=caseworker, **current.fields()
            )
            result.append(draft)
        else:
            result.append(
                self.reviewed(
                    client_id, caseworker, current, codes, steps, returned=kind == "returned"
                )
            )
        return result

    def timeline(self, rounds: int, *, last: int, waiting: bool) -> list[_Step]:
        """The rounds of an intake, counted back from the last one: submitted on `last` when
        `waiting`, otherwise decided on `last`. Each earlier round was returned and corrected:
        reviewed a few days after submitting, answered within days, submitted again."""
        steps = [_Step(last, None) if waiting else _Step(last - self.between(1, 7), last)]
        for _ in range(rounds - 1):
            answered = steps[0].submitted - self.between(0, 2)
            decided = answered - self.between(0, 3)
            steps.insert(0, _Step(decided - self.between(1, 5), decided, answered))
        return steps

    def later(self, before: datetime | None, offset: int) -> datetime:
        """A moment on day `offset` after `before` (minutes later if that is the same day)."""
        at = self.moment(offset)
        if before is not None and at <= before:
            at = before + timedelta(minutes=5 * self.between(3, 24))
        return at

    # ------------------------------------------------------------------------ answers

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
        if not complete and len(scores) == len(self.domain_keys):
            del scores[self.pick(self.domain_keys)]  # a draft always has a score to go
        return scores

    def earlier_scores(self, before: _Answers, now: _Answers) -> None:
        """Make `before` the client a year or so before `now`: somewhat lower scores (more
        problems) and a step lower on the ladder, so the charts show progress."""
        scores = {}
        for key in self.domain_keys:
            current = now.scores.get(key)
            score = current.score if current is not None and current.score else 3
            score = max(1, score - self.weighted((0, 1, 2), (45, 40, 15)))
            scores[key] = DomainScore(score, _SCORE_REMARKS.get(key, "") if score <= 2 else "")
        before.scores = scores
        step = now.ladder_current or self.weighted((1, 2, 3), (30, 40, 30))
        before.ladder_current = max(1, step - self.weighted((0, 1), (40, 60)))
        before.ladder_target = min(
            6, before.ladder_current + self.weighted((0, 1, 2), (20, 55, 25))
        )

    def household_text(self, home: _Household, age: int) -> str:
        """The household situation as a caseworker would sum it up."""
        relations = {m.relation for m in home.members}
        ages = sorted(home.child_ages, reverse=True)
        children = ""
        if ages:
            years = [str(a) for a in ages if a > 0]
            said = f"{_join(years)} jaar" if years else ""
            if len(years) < len(ages):
                said = f"{said} en een baby" if said else "een baby"
            count = len(ages)
            children = f"{_NUMBERS[count]} {'kind' if count == 1 else 'kinderen'} ({said})"
        others = ["een familielid"] if Relation.OTHER in relations else []
        if Relation.PARTNER in relations:
            who = "Woont samen met " + _join(
                ["partner", *([children] if children else []), *others]
            )
        elif children:
            who = f"Woont als alleenstaande ouder met {_join([children, *others])}"
        elif others:
            who = "Woont samen met een familielid"
        else:
            who = "Woont alleen"
        housing = _HOUSING_SENIOR if age >= 65 and self.chance(0.5) else self.pick(_HOUSING)
        text = f"{who} {housing}."
        if self.chance(0.5):
            text += " " + self.pick(_HOUSING_EXTRAS)
        return text

    def answers(
        self,
        schemes: Sequence[str],
        *,
        consent: dict[str, bool],
        household: str,
        carer_likely: bool,
        first: int | None,
        decided: int | None,
        urgent: str | None,
    ) -> _Answers:
        """The answers of an intake for a client with these schemes: complete when it was
        submitted on day `first`, otherwise a draft partly filled in. `decided` is the day it
        was approved (statutory clocks stopped in time); None leaves them running."""
        complete = first is not None
        current = self.weighted((1, 2, 3, 4, 5), (8, 30, 30, 22, 10))
        target = min(6, current + self.weighted((0, 1, 2), (20, 55, 25)))
        has_ladder = complete or self.chance(0.5)
        partly = 1.0 if complete else 0.6
        parts: dict[str, Any] = {}
        if Scheme.PARTICIPATIEWET in schemes:
            self.participatiewet(parts, first=first, decided=decided, urgent=urgent)
        if Scheme.WMO in schemes:
            self.wmo(parts, first=first, decided=decided, carer_likely=carer_likely)
        return _Answers(
            scores=self.scores(complete=complete),
            ladder_current=current if has_ladder else None,
            ladder_target=target if has_ladder else None,
            barriers=self.pick(_BARRIERS) if complete or self.chance(0.5) else "",
            strengths=self.pick(_STRENGTHS) if complete or self.chance(0.5) else "",
            household_situation=household if complete or self.chance(0.6) else "",
            consent={
                code: consent[code]
                for code in schemes
                if code in consent and (complete or self.chance(0.7))
            },
            parts={name: value for name, value in parts.items() if complete or self.chance(partly)},
        )

    def iso(self, offset: int) -> str:
        return self.day(offset).isoformat()

    def urgent_start(self, urgent: str) -> int:
        """An aanvraag day whose 8-week Pw decision term is due in 1 to 5 days ("due_soon")
        or passed 1 to 6 days ago ("overdue"); the Atw moves some due days, so look them up."""
        low, high = (1, DUE_SOON_DAYS) if urgent == "due_soon" else (-6, -1)
        fits = [
            offset
            for offset in range(-75, -40)
            if low
            <= Clock.of(ClockKind.PW_BESLISSING, self.day(offset)).days_left(self.today)
            <= high
        ]
        return self.pick(fits)

    def participatiewet(
        self, parts: dict[str, Any], *, first: int | None, decided: int | None, urgent: str | None
    ) -> None:
        """The Participatiewet part: melding and aanvraag a few days apart, the work obligations
        explained, the taaleis met by an exemption or tested per skill."""
        if urgent is not None:
            aanvraag = self.urgent_start(urgent)
        elif first is None:
            aanvraag = -self.between(2, 25)
        else:
            aanvraag = first - self.between(3, 21)
            if decided is None:
                # Still waiting: more than DUE_SOON_DAYS left on the 8-week term.
                aanvraag = max(aanvraag, -50)
        melding, aanvraag_date = PW_DATES
        parts[melding] = self.iso(aanvraag - self.between(2, 7))
        parts[aanvraag_date] = self.iso(aanvraag)
        for name in PW_EXPLAINED:
            parts[name] = True
        if self.chance(0.7):
            parts[PW_TAALEIS_EXEMPTION] = self.weighted(self.exemptions, self.exemption_weights)
            return
        results = {
            skill: "voldoet" if self.chance(0.7) else "voldoet_niet" for skill in self.taal_skills
        }
        for skill, result in results.items():
            parts[taal_field(skill)] = result
        if "voldoet_niet" in results.values():
            until = first if first is not None else -1
            notice = self.between(aanvraag, until)
            notice_date, agreed_date = PW_TAALEIS_DATES
            parts[notice_date] = self.iso(notice)
            parts[agreed_date] = self.iso(self.between(notice, until))

    def wmo(
        self, parts: dict[str, Any], *, first: int | None, decided: int | None, carer_likely: bool
    ) -> None:
        """The Wmo part: the melding, the onderzoek's report given within its six weeks, the
        aanvraag after it (decided within two weeks), and what the onderzoek covered."""
        melding, aanvraag_date = WMO_DATES
        if first is None:
            parts[melding] = self.iso(-self.between(3, 30))  # the onderzoek is under way
        else:
            report = first - self.between(0, 5)
            parts[melding] = self.iso(report - self.between(10, 35))
            parts[WMO_REPORT_GIVEN] = self.iso(report)
            # Approved within two weeks of the aanvraag; still waiting: more than
            # DUE_SOON_DAYS left. An aanvraag that cannot fit has not come in yet.
            earliest = max(report, decided - 12 if decided is not None else -8)
            if earliest <= first:
                parts[aanvraag_date] = self.iso(self.between(earliest, first))
        for name in WMO_TOLD:
            parts[name] = True
        carer = self.chance(0.6 if carer_likely else 0.15)
        for topic in self.wmo_topics:
            if topic == "carer_support":
                text = self.pick(_CARER_SUPPORT if carer else _NO_CARER)
            else:
                text = self.pick(_WMO_TOPICS.get(topic, _WMO_TOPIC_FALLBACK))
            parts[topic_field(topic)] = text
        identity, carer_present = WMO_CHECKS
        parts[identity] = True
        parts[carer_present] = carer

    # ------------------------------------------------------------------------- review

    def review_points(
        self, schemes: Sequence[str], answers: _Answers, count: int
    ) -> list[tuple[IntakeSection, _Point]]:
        """What the team lead comments on: `count` sections of the form, one point each."""
        sections = [
            IntakeSection.SCORES,
            IntakeSection.BARRIERS,
            IntakeSection.STRENGTHS,
            IntakeSection.HOUSEHOLD,
            IntakeSection.CONSENT,
            IntakeSection.GENERAL,
        ]
        if answers.ladder_target is not None and answers.ladder_target < 6:
            sections.append(IntakeSection.PARTICIPATION)
        if Scheme.PARTICIPATIEWET in schemes:
            sections.append(IntakeSection.PARTICIPATIEWET)
        if Scheme.WMO in schemes:
            sections.append(IntakeSection.WMO)
        return [(s, self.pick(_REVIEW_POINTS[s])) for s in self.rng.sample(sections, count)]

    def correct(
        self,
        points: Sequence[tuple[IntakeSection, _Point]],
        *,
        before: _Answers,
        after: _Answers,
    ) -> None:
        """Make `before` the returned round and `after` its correction: each point's section
        changes (a consent or general point changes nothing), and two or three answers in all,
        so the review screen has a difference to show."""
        changed = 0
        for section, point in points:
            changed += _CORRECTED_FIELDS.get(section, 1)
            if section is IntakeSection.SCORES:
                old = after.scores.get(_FINANCES)
                score = min(old.score if old is not None and old.score else 3, 2)
                after.scores[_FINANCES] = DomainScore(score, _FINANCES_CORRECTED)
                before.scores[_FINANCES] = DomainScore(score + 1, "")
            elif section is IntakeSection.PARTICIPATION and after.ladder_target is not None:
                before.ladder_target = after.ladder_target + 1
            elif section is IntakeSection.BARRIERS:
                after.barriers = f"{before.barriers} {point.after}".strip()
            elif section is IntakeSection.STRENGTHS:
                before.strengths = ""
            elif section is IntakeSection.HOUSEHOLD:
                after.household_situation = f"{before.household_situation} {point.after}".strip()
            elif section is IntakeSection.PARTICIPATIEWET:
                melding, aanvraag = PW_DATES
                before.parts[aanvraag] = after.parts[melding]
            elif section is IntakeSection.WMO:
                before.parts[topic_field(point.topic)] = point.before
                after.parts[topic_field(point.topic)] = point.after
        # The caseworker also added a remark or two of their own while at it.
        wanted = self.between(2, 3)
        keys = [key for key in self.domain_keys if key != _FINANCES]
        turn = self.between(0, len(keys) - 1)
        for key in keys[turn:] + keys[:turn]:
            if changed >= wanted:
                break
            kept = after.scores.get(key)
            if kept is None or kept.score is None or kept.remark:
                continue
            if kept.score <= 2:
                remark = _SCORE_REMARKS.get(key, _REMARK_LOW)
            else:
                remark = _REMARK_FINE if kept.score >= 4 else _REMARK_MIDDLE
            after.scores[key] = DomainScore(kept.score, remark)
            changed += 1

    def comment(
        self,
        intake: Intake,
        section: IntakeSection,
        text: str,
        *,
        at: datetime,
        thread: ReviewComment | None = None,
    ) -> ReviewComment:
        """A team lead's first comment of a thread, or the caseworker's answer in `thread`."""
        lead = thread is None
        return ReviewComment(
            id=self.new_id(),
            client_id=intake.client_id,
            intake_id=intake.id,
            thread_id=thread.id if thread is not None else "",
            section=section,
            round=intake.round,
            author=self.team_lead if lead else intake.caseworker,
            author_role=(Role.TEAM_LEAD if lead else Role.CASEWORKER).value,
            text=text,
            written_at=at,
        )

    def reviewed(
        self,
        client_id: str,
        caseworker: str,
        final: _Answers,
        schemes: Sequence[str],
        steps: Sequence[_Step],
        *,
        returned: bool,
    ) -> Intake:
        """An intake taken through its rounds (`steps`) with the team lead's comments and the
        caseworker's answers: the last round waits, is approved or (`returned`) is returned.
        A round before the last was returned on one or two points and corrected."""
        contents = [final] * len(steps)
        points: list[list[tuple[IntakeSection, _Point]]] = []
        if len(steps) > 1:
            before = final.copy()
            corrected = self.review_points(schemes, final, self.between(1, 2))
            self.correct(corrected, before=before, after=final)
            contents = [before, final]
            points.append(corrected)
        shown = caseworker in self.resolved_shown
        if returned:
            points.append(
                self.review_points(schemes, final, 2 if not shown else self.between(1, 2))
            )
        intake = Intake(
            id=self.new_id(), client_id=client_id, caseworker=caseworker, **contents[0].fields()
        )
        starts: list[ReviewComment] = []  # first comments of the threads, with their status
        replies: list[ReviewComment] = []
        previous: datetime | None = None
        for number, (step, content) in enumerate(zip(steps, contents, strict=True), start=1):
            if number > 1:
                intake = replace(intake, **content.fields())  # corrected after the return
            submitted_at = self.later(previous, step.submitted)
            intake = intake.submit(at=submitted_at, schemes=schemes)
            kept = replace(IntakeRound.of(intake), id=self.new_id())
            if step.decided is None:
                self.rounds.append(kept)  # waiting for the team lead
                break
            decided_at = self.later(submitted_at, step.decided)
            # The threads of the round before were settled on this review.
            starts = [s.resolved(by=self.team_lead, at=decided_at) for s in starts]
            if number == len(steps) and not returned:
                self.rounds.append(
                    kept.decided(Decision.APPROVED, reviewer=self.team_lead, at=decided_at)
                )
                intake = intake.approve(reviewer=self.team_lead, at=decided_at)
                break
            threads = [
                self.comment(intake, section, point.comment, at=decided_at)
                for section, point in points[number - 1]
            ]
            self.rounds.append(
                kept.decided(Decision.RETURNED, reviewer=self.team_lead, at=decided_at)
            )
            intake = intake.return_for_changes(
                reviewer=self.team_lead, at=decided_at, open_threads=len(threads)
            )
            if step.answered is not None:
                # Corrected: every point answered before submitting again, now and then
                # resolved by the caseworker too.
                previous = self.later(decided_at, step.answered)
                for index, (thread, (_section, point)) in enumerate(
                    zip(threads, points[number - 1], strict=True)
                ):
                    replies.append(
                        self.comment(
                            intake, thread.section, point.answer, at=previous, thread=thread
                        )
                    )
                    if self.chance(0.2):
                        threads[index] = thread.resolved(by=caseworker, at=previous)
            elif not shown:
                # Still with the caseworker: one point answered and resolved, one still open.
                at = self.later(decided_at, self.between(step.decided, -1))
                replies.append(
                    self.comment(
                        intake,
                        threads[0].section,
                        points[-1][0][1].answer,
                        at=at,
                        thread=threads[0],
                    )
                )
                threads[0] = threads[0].resolved(by=caseworker, at=at)
                self.resolved_shown.add(caseworker)
            elif self.chance(0.5):
                at = self.later(decided_at, self.between(step.decided, -1))
                replies.append(
                    self.comment(
                        intake,
                        threads[0].section,
                        points[-1][0][1].answer,
                        at=at,
                        thread=threads[0],
                    )
                )
            starts.extend(threads)
        self.threads.extend(starts)
        self.threads.extend(replies)
        return intake

    # ------------------------------------------------------------------------------- plans

    def plans(
        self, client: Client, intake: Intake | None, *, start: int, tegenprestatie: bool
    ) -> list[tuple[ClientPlan, tuple[PlanAction, ...]]]:
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
        # A plan still active was agreed within the year: an older one would have been
        # evaluated, and renewed, by now.
        recent = max(earliest, -_ACTIVE_AT_MOST_DAYS)
        if scenario == "none":
            return []
        if scenario == "draft":
            return [plan(None)]
        if scenario == "active":
            return [plan(None, activated=self.between(recent, -1))]
        if scenario == "closed":
            activated = self.between(earliest, -31)
            return [plan(None, activated=activated, closed=self.between(activated + 30, -1))]
        if scenario == "closed_then_active":
            second = self.between(max(recent, earliest + 60), -1)
            first = self.between(earliest, second - 60)
            old = plan(None, activated=first, closed=second)
            return [old, plan(old, activated=second)]
        old = plan(None, activated=self.between(recent, -1))
        return [old, plan(old)]

    def plan(
        self,
        client: Client,
        previous: tuple[ClientPlan, tuple[PlanAction, ...]] | None,
        *,
        tegenprestatie: bool,
        activated: int | None = None,
        closed: int | None = None,
    ) -> tuple[ClientPlan, tuple[PlanAction, ...]]:
        start = activated if activated is not None else -self.between(1, 20)
        if previous is None:
            layer = self.weighted(("school_werk", "werkleeromgeving", "leefbaarheid"), (50, 30, 20))
            goals = self.rng.sample(_GOALS[layer], self.between(1, min(3, len(_GOALS[layer]))))
            work = layer != "leefbaarheid"
            obligations = (
                tuple(o.key for o in plan_obligations() if self.chance(0.7)) if work else ()
            )
            draft = ClientPlan(
                id=self.new_id(),
                client_id=client.id,
                caseworker=client.caseworker,
                municipality=letterhead_municipality(client.address.village, self.day(start)),
                service_layer=layer,
                support_offered=self.pick(_SUPPORT[layer]),
                obligations=obligations,
                consequences=default_consequences() if obligations else "",
                goals=tuple(goals),
                agreements=" ".join(self.rng.sample(_AGREEMENTS, self.between(1, 2))),
                tegenprestatie=self.pick(_TEGENPRESTATIE) if tegenprestatie else "",
                own_words=self.pick(_OWN_WORDS),
                single_parent_exemption=self.chance(0.05),
            )
            actions = tuple(
                self.action(
                    client,
                    draft.id,
                    rank,
                    template,
                    start=start,
                    activated=activated is not None,
                    closed=closed,
                )
                for rank, template in enumerate(self.rng.sample(_ACTIONS, self.between(1, 4)))
            )
        else:
            old, old_actions = previous
            draft = replace(old.next_revision(), id=self.new_id()).edited(
                goals=(*old.goals, self.pick(_GOALS[old.service_layer]))
                if self.chance(0.5)
                else old.goals
            )
            # What was still open is agreed again, with new dates; without it, a new action.
            carried = [
                (a.description, a.partner or a.owner.value)
                for a in old_actions
                if a.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
            ] or [self.pick(_ACTIONS)]
            actions = tuple(
                self.action(
                    client,
                    draft.id,
                    rank,
                    template,
                    start=start,
                    activated=activated is not None,
                    closed=closed,
                )
                for rank, template in enumerate(carried)
            )
        content = content_hash(draft, actions)
        if activated is None:
            if self.chance(0.3):
                # The caseworker signed already; the client signs at the next visit.
                signed = draft.sign(
                    SignerRole.CASEWORKER,
                    self.signature(client.caseworker, start, paper=False),
                    content=content,
                )
                return signed, actions
            return draft, actions
        paper = self.chance(0.3)
        refused = not paper and self.chance(0.03)
        client_signature = self.signature(
            client.name.display(), activated, paper=paper, refused=refused
        )
        caseworker_signature = self.signature(client.caseworker, activated, paper=False)
        signed = draft.sign(SignerRole.CLIENT, client_signature, content=content).sign(
            SignerRole.CASEWORKER, caseworker_signature, content=content
        )
        active = signed.activate(at=max(client_signature.signed_at, caseworker_signature.signed_at))
        if closed is None:
            return active, actions
        return active.close(at=self.moment(closed)), actions

    def signature(
        self, signer: str, offset: int, *, paper: bool, refused: bool = False
    ) -> Signature:
        if paper:
            # A paper signature is entered later with the date on the paper.
            return Signature(
                signer,
                SignatureMethod.PAPER,
                self.local(self.day(offset), 12, 0),
                paper_date=self.day(offset),
            )
        if refused:
            return Signature(
                signer,
                SignatureMethod.REFUSED,
                self.moment(offset, latest=12),
                reason=self.pick(_REFUSALS),
            )
        return Signature(
            signer,
            SignatureMethod.DIGITAL,
            self.moment(offset, latest=12),
            strokes=self.strokes(),
            pad_width=_PAD[0],
            pad_height=_PAD[1],
        )

    def strokes(self) -> tuple[tuple[tuple[float, float, float, int], ...], ...]:
        """A handwritten-looking signature: a looping stroke and an underline, on a pad of
        `_PAD` points (y down), sampled as a pen would be."""
        width, height = _PAD
        loops = self.between(3, 6)
        phase = self.rng.random() * math.pi
        t = 0
        main: list[tuple[float, float, float, int]] = []
        steps = 24 * loops
        for i in range(steps + 1):
            u = i / steps
            x = width * (0.1 + 0.7 * u) + 18 * math.sin(2 * math.pi * loops * u + phase)
            y = height * 0.45 - 30 * math.cos(2 * math.pi * loops * u) * (1 - 0.4 * u)
            main.append((round(x, 1), round(y, 1), round(0.45 + 0.3 * math.sin(math.pi * u), 2), t))
            t += 8
        t += 180
        underline = []
        for i in range(25):
            u = i / 24
            underline.append(
                (
                    round(width * (0.12 + 0.72 * u), 1),
                    round(height * 0.78 - 6 * u, 1),
                    round(0.6 - 0.3 * u, 2),
                    t,
                )
            )
            t += 6
        return (tuple(main), tuple(underline))

    def action(
        self,
        client: Client,
        plan_id: str,
        rank: int,
        template: tuple[str, str],
        *,
        start: int,
        activated: bool,
        closed: int | None,
    ) -> PlanAction:
        description, who = template
        due = start + self.between(14, 120)
        owner = ActionOwner(who) if who in ("client", "caseworker") else ActionOwner.PARTNER
        action = PlanAction(
            id=self.new_id(),
            client_id=client.id,
            plan_id=plan_id,
            description=description,
            owner=owner,
            partner=who if owner is ActionOwner.PARTNER else "",
            due_date=self.day(due),
            rank=rank,
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
                written_at=self.moment(-self.between(1, self.past_days)),
            )
            for _ in range(count)
        ]
