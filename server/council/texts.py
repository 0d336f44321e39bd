"""The words of the council report: per figure its title and what it shows, per column its
caption, and the limits of the data. Dutch first (the councils read Dutch), English beside it
for the SQLite file's metadata. Column names themselves are English identifiers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "COLUMNS",
    "FIGURES",
    "LIMITATIONS",
    "MOVEMENT_LABELS",
    "ColumnText",
    "FigureText",
    "suppression_note",
]

Pair = tuple[str, str]  # (Dutch, English)
Kind = Literal["text", "count", "mean", "share", "number"]


@dataclass(frozen=True, slots=True)
class ColumnText:
    caption: Pair
    kind: Kind
    about: Pair = ("", "")


@dataclass(frozen=True, slots=True)
class FigureText:
    title: Pair
    about: Pair


_WITHHELD = (
    " Leeg: weggelaten (minder dan 10, of weggelaten om terugrekenen te voorkomen).",
    " Empty: withheld (fewer than 10, or withheld so that none can be worked out).",
)


def _count(nl: str, en: str, about_nl: str = "", about_en: str = "") -> ColumnText:
    return ColumnText(
        (nl, en),
        "count",
        (
            f"{about_nl or nl}. Afgerond op 5.{_WITHHELD[0]}",
            f"{about_en or en}. Rounded to 5.{_WITHHELD[1]}",
        ),
    )


def _text(nl: str, en: str, about_nl: str = "", about_en: str = "") -> ColumnText:
    return ColumnText((nl, en), "text", (about_nl or nl, about_en or en))


COLUMNS: dict[str, ColumnText] = {
    "period": _text(
        "Periode", "Period", "Halfjaar, JJJJ-H1 of JJJJ-H2", "Half year, YYYY-H1 or -H2"
    ),
    "area": _text(
        "Gebied",
        "Area",
        "Voormalige gemeente, of Het Hogeland als geheel",
        "Former municipality, or Het Hogeland as a whole",
    ),
    "scheme": _text("Regeling (code)", "Scheme (code)", "'all': alle regelingen samen"),
    "scheme_name": _text("Regeling", "Scheme"),
    "clients": _count("Cliënten", "Clients", "Cliënten in de regeling in de periode"),
    "new_clients": _count(
        "Instroom",
        "Inflow",
        "In de regeling in deze periode, niet in de vorige",
        "In the scheme in this period, not in the one before",
    ),
    "gone_clients": _count(
        "Uitstroom",
        "Outflow",
        "In de regeling in deze periode, niet meer in de volgende (of na de peildatum)",
        "In the scheme in this period, no longer in the next (or after the reference day)",
    ),
    **{
        f"step_{n}": _count(f"Trede {n}", f"Step {n}", f"Cliënten op trede {n} aan het eind")
        for n in range(1, 7)
    },
    "step_unknown": _count("Trede onbekend", "Step unknown", "Zonder goedgekeurde trede"),
    "measured": _count(
        "Gemeten",
        "Measured",
        "Cliënten met een goedgekeurde intake met trede in de periode",
        "Clients with an approved intake with a step in the period",
    ),
    "first_measurement": _count(
        "Eerste meting", "First measurement", "Zonder eerdere meting: geen beweging"
    ),
    "up": _count("Omhoog", "Up", "Hogere trede dan bij de vorige meting"),
    "same": _count("Gelijk", "Same", "Dezelfde trede als bij de vorige meting"),
    "down": _count("Omlaag", "Down", "Lagere trede dan bij de vorige meting"),
    "target_reached": _count("Doel bereikt", "Target reached", "Trede nu ten minste de doeltrede"),
    "target_not_reached": _count("Doel niet bereikt", "Target not reached"),
    "no_target": _count("Geen doeltrede", "No target step"),
    "share_target_reached": ColumnText(
        ("Doel bereikt (%)", "Target reached (%)"),
        "share",
        (
            "Doel bereikt als percentage van de vergeleken cliënten; alleen als alle delen "
            "gepubliceerd zijn",
            "Target reached as a percentage of the clients compared; only when every part is "
            "published",
        ),
    ),
    "domain": _text("Leefgebied (code)", "Life domain (code)"),
    "domain_name": _text("Leefgebied", "Life domain"),
    "clients_scored": _count("Cliënten met score", "Clients scored"),
    "mean_score": ColumnText(
        ("Gemiddelde score", "Mean score"),
        "mean",
        (
            "Gemiddelde score 1-5 aan het eind; alleen over een gepubliceerde groep van ten "
            "minste 10",
            "Mean score 1-5 at the end; only over a published group of at least 10",
        ),
    ),
    "clients_compared": _count("Cliënten vergeleken", "Clients compared"),
    "mean_change": ColumnText(
        ("Gemiddelde verandering", "Mean change"),
        "mean",
        (
            "Gemiddelde verandering van de score sinds de vorige meting; alleen over een "
            "gepubliceerde groep van ten minste 10",
            "Mean change of the score since the previous measurement; only over a published "
            "group of at least 10",
        ),
    ),
    "month": _text("Maand", "Month", "JJJJ-MM, of 'period' voor de hele periode"),
    "month_name": _text("Maand (naam)", "Month (name)"),
    "intake": _count("Intake", "Intake", "Afgelegde huisbezoeken: intake"),
    "voortgang": _count("Voortgang", "Progress", "Afgelegde huisbezoeken: voortgang"),
    "heronderzoek": _count("Heronderzoek", "Reassessment", "Afgelegde huisbezoeken: heronderzoek"),
    "handhaving": _count("Handhaving", "Enforcement", "Afgelegde huisbezoeken: handhaving"),
    "visits": _count("Huisbezoeken", "Home visits", "Afgelegde huisbezoeken, alle soorten"),
    "seen": _count("Thuis bezocht", "Seen at home", "Ten minste één afgelegd huisbezoek"),
    "not_seen": _count("Niet thuis bezocht", "Not seen at home"),
    "share_seen": ColumnText(
        ("Thuis bezocht (%)", "Seen at home (%)"),
        "share",
        ("Percentage van de cliënten in zorg", "Percentage of the clients in care"),
    ),
    "term": _text("Termijn (code)", "Term (code)"),
    "term_name": _text("Termijn", "Term"),
    "weeks": ColumnText(("Weken", "Weeks"), "number", ("Wettelijke termijn", "Statutory term")),
    "source": _text("Bron", "Source", "Wetsartikel", "Article of law"),
    "stopped": _count("Afgerond", "Completed", "Termijnen die in de periode stopten"),
    "within_term": _count("Binnen termijn", "Within the term"),
    "late": _count("Te laat", "Late"),
    "share_within_term": ColumnText(
        ("Binnen termijn (%)", "Within the term (%)"),
        "share",
        (
            "Percentage van de afgeronde; alleen als ook het aantal te laat gepubliceerd is",
            "Percentage of the completed; only when the number late is published too",
        ),
    ),
    "mean_days": ColumnText(
        ("Gemiddelde doorlooptijd (dagen)", "Mean lead time (days)"),
        "mean",
        (
            "Kalenderdagen van begin tot eind; alleen over een gepubliceerde groep van ten "
            "minste 10",
            "Calendar days from start to stop; only over a published group of at least 10",
        ),
    ),
    "overdue_open": _count(
        "Open en verlopen",
        "Open and overdue",
        "Aan het eind van de periode nog niet afgerond en over de termijn",
        "Not completed at the end of the period and past the term",
    ),
    "plans_active": _count(
        "Plannen actief", "Plans active", "Plannen van aanpak actief in de periode"
    ),
    "evaluations_due": _count(
        "Evaluaties gepland", "Evaluations due", "Plannen met hun evaluatiedatum in de periode"
    ),
    "evaluated_on_time": _count(
        "Op tijd geëvalueerd",
        "Evaluated on time",
        "Vóór of op de evaluatiedatum vervangen door een nieuwe versie of afgesloten",
        "Replaced by a new version or closed on or before the evaluation date",
    ),
    "evaluated_late": _count("Niet op tijd", "Not on time"),
    "share_on_time": ColumnText(
        ("Op tijd (%)", "On time (%)"),
        "share",
        ("Percentage van de geplande evaluaties", "Percentage of the evaluations due"),
    ),
    "conflicts_arisen": _count(
        "Conflicten ontstaan",
        "Conflicts arisen",
        "Wijzigingen die botsten met een andere wijziging (opgelost op de laptop)",
        "Changes that clashed with another change (resolved on the laptop)",
    ),
    "late_edits_open": _count(
        "Verweesde wijzigingen open",
        "Orphaned changes open",
        "Wijzigingen die binnenkwamen nadat de cliënt was overgedragen, onbehandeld aan het eind",
        "Changes that arrived after the client moved, unhandled at the end",
    ),
    "devices_not_synced": _count(
        "Laptops > 14 dagen niet gesynchroniseerd",
        "Laptops not synced > 14 days",
        "Op het moment van het rapport; alleen voor het geheel",
        "At the moment of the report; only for the whole",
    ),
    "open_conflicts_on_devices": _count(
        "Open conflicten op laptops",
        "Open conflicts on laptops",
        "Zoals de laptops het laatst meldden; alleen voor het geheel",
        "As the laptops last reported; only for the whole",
    ),
    "key": _text("Code", "Code"),
    "text_nl": _text("Toelichting", "Explanation (Dutch)"),
    "text_en": _text("Toelichting (Engels)", "Explanation"),
    "count": _count("Aantal", "Count"),
}

MOVEMENT_LABELS = {"up": "Omhoog", "same": "Gelijk", "down": "Omlaag"}

FIGURES: dict[str, FigureText] = {
    "clients_per_scheme": FigureText(
        ("Cliënten per regeling", "Clients per scheme"),
        (
            "Hoeveel cliënten in de periode een toegekende voorziening hadden, per regeling en "
            "voor alle regelingen samen, met de instroom (in de vorige periode nog niet) en de "
            "uitstroom (in de volgende periode niet meer, of voor de lopende periode: na de "
            "peildatum niet meer).",
            "How many clients had a granted provision in the period, per scheme and for all "
            "schemes together, with the inflow (not yet in the period before) and the outflow "
            "(no longer in the next period, or for a running period: after the reference day).",
        ),
    ),
    "ladder_steps": FigureText(
        ("Participatieladder: huidige trede", "Participation ladder: current step"),
        (
            "Op welke trede van de participatieladder de cliënten in zorg aan het eind van de "
            "periode staan, volgens hun laatste goedgekeurde intake.",
            "Which step of the participation ladder the clients in care stand on at the end of "
            "the period, by their last approved intake.",
        ),
    ),
    "ladder_movement": FigureText(
        ("Participatieladder: beweging en doel", "Participation ladder: movement and target"),
        (
            "Cliënten met een goedgekeurde intake in de periode: is hun trede gestegen, gelijk "
            "gebleven of gedaald ten opzichte van de meting ervoor (de laatste van vóór de "
            "periode, of anders de eerste in de periode), en hebben zij de doeltrede van die "
            "meting bereikt?",
            "Clients with an approved intake in the period: did their step go up, stay the same "
            "or go down since the measurement before (the last one before the period, or else "
            "the first in it), and did they reach the target step set then?",
        ),
    ),
    "self_sufficiency": FigureText(
        ("Zelfredzaamheid per leefgebied", "Self-sufficiency per life domain"),
        (
            "De gemiddelde score (1 acute problematiek tot 5 volledig zelfredzaam) per leefgebied "
            "van de cliënten in zorg aan het eind van de periode, en de gemiddelde verandering "
            "sinds de meting ervoor.",
            "The mean score (1 acute problems to 5 fully self-sufficient) per life domain of the "
            "clients in care at the end of the period, and the mean change since the "
            "measurement before.",
        ),
    ),
    "home_visits": FigureText(
        ("Huisbezoeken per maand", "Home visits per month"),
        (
            "Afgelegde huisbezoeken per maand en soort: intake, voortgang, heronderzoek en "
            "handhaving. Geannuleerde bezoeken en bezoeken waarbij niemand thuis was tellen niet "
            "mee.",
            "Home visits that took place, per month and kind: intake, progress, reassessment "
            "and enforcement. Cancelled visits and visits where nobody was home do not count.",
        ),
    ),
    "seen_at_home": FigureText(
        ("Cliënten thuis bezocht", "Clients seen at home"),
        (
            "Hoeveel van de cliënten in zorg in de periode ten minste één keer thuis zijn bezocht.",
            "How many of the clients in care in the period were seen at home at least once.",
        ),
    ),
    "statutory_terms": FigureText(
        ("Wettelijke termijnen", "Statutory terms"),
        (
            "Doorlooptijden van melding tot onderzoek (Wmo) en van aanvraag tot beslissing (Wmo "
            "en Participatiewet), en hoeveel binnen de wettelijke termijn bleven. Een termijn "
            "telt in de periode waarin hij stopte; daarnaast de termijnen die aan het eind van "
            "de periode nog liepen en al verlopen waren.",
            "Lead times from report to assessment (Wmo) and from application to decision (Wmo "
            "and Participation Act), and how many kept the statutory term. A term counts in the "
            "period in which it stopped; besides, the terms still running and already past "
            "their end when the period ended.",
        ),
    ),
    "client_plans": FigureText(
        ("Plannen van aanpak", "Client plans"),
        (
            "Plannen van aanpak die in de periode actief waren, en de plannen waarvan de "
            "evaluatiedatum in de periode viel: op tijd geëvalueerd als het plan uiterlijk op "
            "die datum door een nieuwe versie was vervangen of was afgesloten.",
            "Client plans active in the period, and the plans whose evaluation date fell in it: "
            "evaluated on time when the plan was replaced by a new version or closed by then.",
        ),
    ),
    "process_health": FigureText(
        ("Procesgezondheid", "Process health"),
        (
            "Conflicten tussen wijzigingen die in de periode ontstonden, verweesde wijzigingen "
            "die aan het eind nog niet behandeld waren, en (op het moment van het rapport) "
            "laptops die meer dan 14 dagen niet synchroniseerden en de open conflicten die de "
            "laptops meldden.",
            "Conflicts between changes that arose in the period, orphaned changes still "
            "unhandled at its end, and (at the moment of the report) laptops not synced for "
            "more than 14 days and the open conflicts the laptops reported.",
        ),
    ),
    "limitations": FigureText(
        ("Beperkingen van de gegevens", "Limitations of the data"),
        (
            "Wat de gegevens niet kunnen laten zien, en hoe de cijfers daarmee omgaan.",
            "What the data cannot show, and how the figures deal with it.",
        ),
    ),
}

LIMITATIONS: dict[str, Pair] = {
    "decision_date": (
        "Veldwerk legt geen datum van de beschikking of het besluit vast. Als beslismoment "
        "geldt de dag waarop de teamleider de intake goedkeurde (zoals in de termijnbewaking "
        "van de app). Een beslissing die buiten de intake om is genomen, ontbreekt.",
        "Veldwerk records no date of the decision. The day the team lead approved the intake "
        "stands in for it (as in the app's statutory clocks). A decision taken outside the "
        "intake is missing.",
    ),
    "pw_investigation": (
        "Voor de Participatiewet is geen begin van het onderzoek vastgelegd; daarom alleen de "
        "doorlooptijd van aanvraag tot beslissing. Het Wmo-onderzoek loopt tot het verslag aan "
        "de cliënt is gegeven, of tot de beslissing als die eerder kwam.",
        "For the Participation Act no start of the investigation is recorded; so only the lead "
        "time from application to decision. The Wmo assessment runs until the report was given "
        "to the client, or until the decision if that came first.",
    ),
    "plan_evaluation": (
        "Een evaluatie van een plan wordt niet als zodanig vastgelegd. Een plan geldt als op "
        "tijd geëvalueerd als het uiterlijk op de evaluatiedatum is vervangen door een nieuwe "
        "versie of is afgesloten.",
        "An evaluation of a plan is not recorded as such. A plan counts as evaluated on time "
        "when it was replaced by a new version or closed by its evaluation date.",
    ),
    "device_history": (
        "Van laptops wordt alleen het laatste contact bewaard, en open conflicten staan op de "
        "laptops zelf. Laptops die niet synchroniseerden en open conflicten zijn daarom een "
        "momentopname bij het maken van het rapport en ontbreken voor de vorige periode.",
        "Only a laptop's last contact is kept, and open conflicts live on the laptops. Laptops "
        "not synced and open conflicts are therefore a snapshot at the making of the report, "
        "and missing for the previous period.",
    ),
    "current_address": (
        "Een cliënt telt mee in de voormalige gemeente van het huidige adres, ook voor de "
        "vorige periode; wie verhuisde, telt daar waar hij nu woont.",
        "A client counts in the former municipality of their present address, also for the "
        "previous period; someone who moved counts where they live now.",
    ),
    "outside_region": (
        "Cliënten in dorpen die sinds 2019 niet bij Het Hogeland horen (Ezinge, nu "
        "Westerkwartier), tellen niet mee; hun aantal staat hier (afgerond of weggelaten).",
        "Clients in villages not part of Het Hogeland since 2019 (Ezinge, now Westerkwartier) "
        "are left out; their number is given here (rounded or withheld).",
    ),
    "unknown_village": (
        "Cliënten met een woonplaats die niet in de referentiegegevens staat, tellen niet mee; "
        "hun aantal staat hier (afgerond of weggelaten).",
        "Clients whose village is not in the reference data are left out; their number is "
        "given here (rounded or withheld).",
    ),
    "running_period": (
        "Een periode die nog loopt, is geteld tot en met de peildatum (de dag van het rapport).",
        "A period still running is counted up to and including the reference day (the day of "
        "the report).",
    ),
    "only_granted": (
        "Alleen toegekende voorzieningen tellen; een afgewezen of afgebroken aanvraag niet.",
        "Only granted provisions count; a refused or broken-off application does not.",
    ),
    "other_reports": (
        "Weglaten en afronden zijn binnen dit rapport gecontroleerd: geen weggelaten aantal is "
        "uit de andere cijfers van dit rapport terug te rekenen. Een eerder rapport over de "
        "vorige periode kan andere cellen weglaten; leg rapporten daarom niet naast elkaar om "
        "verschillen te berekenen.",
        "Suppression and rounding are checked within this report: no withheld count can be "
        "worked out from its other figures. An earlier report on the previous period may "
        "withhold other cells; do not set reports side by side to compute differences.",
    ),
}


def suppression_note(withheld: int, counts: int) -> str:
    """What was done to one table's counts, in Dutch."""
    rounding = (
        "Alle aantallen zijn afgerond op een veelvoud van 5, ook de totalen (elk vanuit het "
        "werkelijke aantal), zodat delen niet altijd precies optellen tot hun totaal. "
        "Gemiddelden en percentages staan er alleen bij groepen waarvan alle aantallen "
        "gepubliceerd zijn."
    )
    if withheld == 0:
        return f"Geen van de {counts} aantallen is weggelaten. {rounding}"
    return (
        f"Van de {counts} aantallen zijn er {withheld} weggelaten (x): aantallen kleiner dan 10, "
        "en de aantallen die nodig waren om te voorkomen dat een weggelaten aantal uit de "
        f"totalen of de andere cijfers kan worden teruggerekend. {rounding}"
    )
