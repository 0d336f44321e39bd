"""Generated documents for the report tests and the benchmark: invented people, nothing real.

`sample_plan()` is a three-page plan van aanpak of a client from Zoutkamp with Dutch letters
everywhere a caseworker would type them, 14 actions, a radar with one unscored domain, and two
signatures: the caseworker's drawn on the pad, the client's refused.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timedelta

from app.domain.formatting import masked_bsn
from app.domain.local_time import ZONE
from app.reports import (
    ActionRow,
    ClientPlanDocument,
    DocumentMeta,
    Party,
    RadarChartData,
    SignatureMark,
    Stroke,
    VisitReportDocument,
    WmoReportDocument,
)

__all__ = [
    "CLIENT_NAME",
    "CONTENT_HASH",
    "DOMAINS",
    "PAD",
    "empty_plan",
    "sample_meta",
    "sample_plan",
    "sample_visit",
    "sample_wmo",
    "signature_strokes",
]

CLIENT_NAME = "IJsbrand van der Eijk-Brouwer"
CASEWORKER_NAME = "Femke Spijkerman-Doornbos"
CONTENT_HASH = "3fa9c2d41b07e6a58c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7"
PAD = (600.0, 200.0)
DAY = date(2026, 11, 22)

DOMAINS = (
    "Financiën",
    "Werk & opleiding",
    "Tijdsbesteding",
    "Huisvesting",
    "Huiselijke relaties",
    "Geestelijke gezondheid",
    "Lichamelijke gezondheid",
    "Middelengebruik",
    "Basale ADL",
    "Instrumentele ADL",
    "Sociaal netwerk",
    "Maatschappelijke participatie",
    "Justitie",
)

CLIENT = Party(
    CLIENT_NAME,
    (
        "Reitdiepskade 14",
        "9974 PK  Zoutkamp",
        f"BSN {masked_bsn('111222333')}",
        "Geboren 03-04-1979",
        "Telefoon 06 00 11 22 33",
    ),
)
CASEWORKER = Party(
    CASEWORKER_NAME,
    ("Klantmanager Werk en Inkomen", "Team De Marne", "Telefoon 14 0595"),
)

ACTIONS = (
    ("Aanmelden bij de schuldhulpverlening van de gemeente", "Cliënt", 7, "Gedaan"),
    ("Budgetcoach inzetten voor het maandelijkse huishoudboekje", "Klantmanager", 14, "Gestart"),
    ("Intake bij het Ûniek Leerhuis voor de cursus Nederlands", "Ûniek Leerhuis", 21, "Gepland"),
    ("Inschrijven als werkzoekende bij het UWV (werk.nl)", "Cliënt", 7, "Gedaan"),
    ("Cv bijwerken met de vrijwilligersbaan in de café-keuken", "Cliënt", 28, "Gepland"),
    ("Gesprek met de jobcoach over werk in de groenvoorziening", "Klantmanager", 35, "Gepland"),
    ("Proefplaatsing van vier weken bij de visafslag Zoutkamp", "Werkbedrijf Hogeland", 60, "Open"),
    ("Huisarts vragen naar een verwijzing voor de rugklachten", "Cliënt", 14, "Open"),
    ("Aanvraag bijzondere bijstand voor de fiets", "Klantmanager", 10, "In behandeling"),
    ("Toeleiding naar de taalmaatjes van de bibliotheek in Leens", "Cliënt", 30, "Open"),
    ("Betalingsregeling met de woningcorporatie afspreken", "Cliënt", 21, "Gestart"),
    ("Tweewekelijks contact over de voortgang", "Klantmanager", None, "Doorlopend"),
    ("Rijbewijs B: theorie-examen plannen na de taalcursus", "Cliënt", 120, "Open"),
    ("Evaluatie van de proefplaatsing met werkgever en cliënt", "Klantmanager", 90, "Open"),
)


def sample_meta(municipality: str = "Het Hogeland") -> DocumentMeta:
    return DocumentMeta(
        municipality=municipality,
        document_date=DAY,
        reference="PLAN-2026-00417",
        author=CASEWORKER_NAME,
        version=2,
        content_hash=CONTENT_HASH,
    )


def signature_strokes(points_per_stroke: int = 120) -> tuple[Stroke, ...]:
    """A flowing made-up signature: a looping first stroke, a second and a dot, with pressure
    rising and falling along each stroke as a pen does."""
    width, height = PAD

    def stroke(x0: float, x1: float, loops: float, amplitude: float, t0: int) -> Stroke:
        points = []
        for k in range(points_per_stroke):
            f = k / (points_per_stroke - 1)
            x = x0 + (x1 - x0) * f + 18 * math.sin(f * loops * 2 * math.pi)
            y = height * 0.55 - amplitude * math.sin(f * loops * math.pi) * math.cos(f * 7)
            pressure = 0.35 + 0.5 * math.sin(f * math.pi)
            points.append((x, y, pressure, t0 + 8 * k))
        return tuple(points)

    return (
        stroke(width * 0.08, width * 0.55, 3.5, 60.0, 0),
        stroke(width * 0.5, width * 0.9, 2.0, 35.0, 1500),
        ((width * 0.93, height * 0.3, 0.6, 2600),),
    )


def sample_plan(municipality: str = "Het Hogeland") -> ClientPlanDocument:
    actions = tuple(
        ActionRow(text, who, DAY + timedelta(days=days) if days else None, status)
        for text, who, days, status in ACTIONS
    )
    return ClientPlanDocument(
        meta=sample_meta(municipality),
        client=CLIENT,
        caseworker=CASEWORKER,
        service_layer="Begeleiding naar school of werk",
        support_offered=(
            "Wij helpen u stap voor stap naar betaald werk. Eerst brengen we uw financiën op orde, "
            "zodat u weer overzicht hebt. Daarna werkt u aan uw Nederlands en doet u werkervaring "
            "op in een proefplaatsing dicht bij huis.\n\n"
            "Uw klantmanager is uw vaste aanspreekpunt en houdt contact met de schuldhulp, het "
            "Ûniek Leerhuis en het Werkbedrijf Hogeland. Zo hoeft u uw verhaal maar één keer te "
            "vertellen."
        ),
        obligations=(
            "Naar vermogen algemeen geaccepteerde arbeid zoeken, aanvaarden en behouden.",
            "Gebruikmaken van de voorzieningen die de gemeente aanbiedt om aan het werk te komen, "
            "waaronder sociale activering.",
            "Meewerken aan onderzoek naar uw mogelijkheden om aan het werk te komen.",
            "U laten registreren als werkzoekende bij het UWV en geregistreerd blijven.",
        ),
        consequences=(
            "Komt u een verplichting zonder goede reden niet na, dan kunnen wij uw uitkering "
            "tijdelijk verlagen (artikel 18 Participatiewet). Wij horen u altijd eerst: vertel het "
            "ons op tijd als iets niet lukt, dan zoeken we samen naar een oplossing."
        ),
        goals=(
            "Financiële rust: de vaste lasten worden op tijd betaald en er komen geen nieuwe "
            "schulden bij.",
            "Cursus Nederlands bij het Ûniek Leerhuis afronden op niveau A2.",
            "Werkervaring opdoen in een proefplaatsing, met het oog op een vaste baan in de "
            "visverwerking of het groen.",
            "Eén dag per week geïnteresseerd meedoen in het dorpshuis van Zoutkamp.",
        ),
        actions=actions,
        agreements=(
            "Wij zien elkaar elke twee weken, om en om bij u thuis en op het servicepunt in Leens. "
            "U laat het uiterlijk een dag van tevoren weten als een afspraak niet doorgaat.\n"
            "Post van schuldeisers neemt u mee naar de budgetcoach."
        ),
        tegenprestatie=(
            "U helpt één ochtend per week bij de voedselbank in Winsum met het inpakken van de "
            "pakketten. Dit telt ook als maatschappelijke participatie."
        ),
        own_words=(
            "Ik wil weer rust in mijn hoofd over geld. Als dat goed is, wil ik graag buiten "
            "werken, het liefst bij de haven. Mijn Nederlands moet beter, dan durf ik ook te "
            "bellen met instanties."
        ),
        next_evaluation=date(2027, 5, 22),
        radar=RadarChartData(
            labels=DOMAINS,
            current=(2, 2, 3, 3, 4, 3, 2, 5, 5, 4, None, 3, 5),
            previous=(1, 2, 2, 3, 4, 3, 2, 5, 5, 3, 2, 2, 5),
            current_caption="Deze intake (22-11-2026)",
            previous_caption="Vorige intake (12-05-2026)",
        ),
        signatures=(
            SignatureMark(
                role="Cliënt",
                name=CLIENT_NAME,
                method="refused",
                signed_on=DAY,
                reason="Wil het plan eerst met zijn dochter bespreken.",
            ),
            SignatureMark(
                role="Klantmanager",
                name=CASEWORKER_NAME,
                method="digital",
                signed_on=DAY,
                strokes=signature_strokes(),
                pad_width=PAD[0],
                pad_height=PAD[1],
            ),
        ),
    )


def empty_plan() -> ClientPlanDocument:
    """A plan with only the required parts: every optional section empty."""
    return replace(
        sample_plan(),
        service_layer="",
        support_offered="",
        obligations=(),
        consequences="",
        goals=(),
        actions=(),
        agreements="  ",
        tegenprestatie="",
        own_words="",
        next_evaluation=None,
        radar=None,
        signatures=(),
    )


def sample_visit(report: str | None = None) -> VisitReportDocument:
    return VisitReportDocument(
        meta=replace(sample_meta(), reference="VISIT-2026-01288", version=None),
        client=CLIENT,
        caseworker=CASEWORKER,
        kind="Voortgang",
        visited_at=datetime(2026, 11, 22, 10, 30, tzinfo=ZONE),
        place="Bij cliënt thuis, Reitdiepskade 14, Zoutkamp",
        report=report
        if report is not None
        else (
            "Cliënt ontving ons in de keuken. De budgetcoach is twee keer geweest; de vaste "
            "lasten zijn deze maand op tijd betaald. Cliënt vertelt trots over de eerste lessen "
            "bij het Ûniek Leerhuis.\n\n"
            "Afgesproken: cliënt belt zelf de huisarts over de rugklachten en neemt de brief van "
            "de woningcorporatie mee naar het volgende gesprek."
        ),
        next_visit=datetime(2026, 12, 6, 10, 0, tzinfo=ZONE),
        signatures=(
            SignatureMark(role="Cliënt", name=CLIENT_NAME, method=None),
            SignatureMark(role="Klantmanager", name=CASEWORKER_NAME, method="paper", signed_on=DAY),
        ),
    )


def sample_wmo() -> WmoReportDocument:
    return WmoReportDocument(
        meta=replace(
            sample_meta("Winsum"), reference="WMO-2026-00093", version=1, author="Sjoerd de Boer"
        ),
        client=Party("Geertruida (Truus) Wiersema-Ëlzinga", ("Hoofdstraat 3", "9951 AB  Winsum")),
        caseworker=Party("Sjoerd de Boer", ("Wmo-consulent",)),
        melding_date=date(2026, 11, 2),
        onderzoek_date=date(2026, 11, 12),
        topics=(
            ("Behoeften, persoonlijke kenmerken en voorkeuren", "Wil zelfstandig blijven wonen."),
            ("Eigen kracht", "Doet de lichte huishouding zelf; zwaar werk lukt niet meer."),
            ("Mantelzorg en sociaal netwerk", "Zoon komt twee keer per week uit Groningen."),
            ("Gebruikelijke hulp", "Geen huisgenoten."),
            ("Algemene voorzieningen", "Maaltijdservice en de boodschappenbus in Winsum."),
            ("Bijdrage in de kosten", "Uitgelegd: de eigen bijdrage via het CAK."),
        ),
        told_client_support=True,
        told_personal_plan=True,
        identity_checked=True,
        mantelzorger_present=False,
        conclusion="Een maatwerkvoorziening voor hulp bij het huishouden, 2 uur per week.",
        report_given_on=date(2026, 11, 19),
    )
