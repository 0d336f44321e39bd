"""The team's key figures on the Team screen: the council report's figures for the whole team
(clients in care, inflow and outflow, ladder movement, home visits, statutory terms, plans,
process health), this half year so far beside the last, exactly as the server published them
under the report's disclosure rules, and per figure a line saying what it counts (the words of
the council report, server/council/texts.py, made short). A withheld value shows as "x"; its
tooltip says why.

The rows are picked from `TeamOverview.figures` (app.services.team) by table, column and
category (`ROWS`); their captions are translated here, with Qt's translation system."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.domain.formatting import date_text
from app.services.team import FigureValue, TeamOverview
from app.ui.theme import colours

WITHHELD = "x"
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class FigureRow:
    """Where a row's values are: a table of the overview, a column, and the row's categories."""

    table: str
    column: str
    where: tuple[tuple[str, str], ...] = ()
    percent: bool = False


ROWS: tuple[FigureRow, ...] = (
    FigureRow("clients_per_scheme", "clients", (("scheme", "all"),)),
    FigureRow("clients_per_scheme", "new_clients", (("scheme", "all"),)),
    FigureRow("clients_per_scheme", "gone_clients", (("scheme", "all"),)),
    FigureRow("ladder_movement", "up"),
    FigureRow("ladder_movement", "same"),
    FigureRow("ladder_movement", "down"),
    FigureRow("ladder_movement", "share_target_reached", percent=True),
    FigureRow("home_visits", "visits", (("month", "period"),)),
    FigureRow("seen_at_home", "share_seen", percent=True),
    FigureRow("statutory_terms", "share_within_term", (("term", "wmo_onderzoek"),), True),
    FigureRow("statutory_terms", "share_within_term", (("term", "wmo_beschikking"),), True),
    FigureRow("statutory_terms", "share_within_term", (("term", "pw_beslissing"),), True),
    FigureRow("client_plans", "plans_active"),
    FigureRow("client_plans", "share_on_time", percent=True),
    FigureRow("process_health", "conflicts_arisen"),
    FigureRow("process_health", "late_edits_open"),
)


class TeamFiguresTableModel(QAbstractTableModel):
    """Cijfer · this half year · the last one · Toelichting. Read-only; reset with each new
    overview."""

    CAPTION, PERIOD, PREVIOUS, ABOUT = range(4)
    COLUMN_COUNT = 4

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._overview: TeamOverview | None = None
        self._captions = self._caption_texts()
        self._abouts = self._about_texts()
        self._muted = QBrush(QColor(colours().muted))

    # ------------------------------------------------------------------------- public API

    def set_overview(self, overview: TeamOverview) -> None:
        self.beginResetModel()
        self._overview = overview if overview.figures else None
        self._captions = self._caption_texts()
        self._abouts = self._about_texts()
        # Picked up here so a palette switch shows at the next load.
        self._muted = QBrush(QColor(colours().muted))
        self.endResetModel()

    def retranslate(self) -> None:
        """Captions in the language now installed (a model gets no LanguageChange of its own)."""
        self.beginResetModel()
        self._captions = self._caption_texts()
        self._abouts = self._about_texts()
        self.endResetModel()

    def _caption_texts(self) -> tuple[str, ...]:
        return (
            self.tr("Cliënten in zorg"),
            self.tr("Instroom"),
            self.tr("Uitstroom"),
            self.tr("Trede omhoog"),
            self.tr("Trede gelijk"),
            self.tr("Trede omlaag"),
            self.tr("Doeltrede bereikt"),
            self.tr("Huisbezoeken afgelegd"),
            self.tr("Thuis bezocht"),
            self.tr("Wmo-onderzoek binnen termijn"),
            self.tr("Wmo-beschikking binnen termijn"),
            self.tr("Beslissing Participatiewet binnen termijn"),
            self.tr("Plannen van aanpak actief"),
            self.tr("Evaluaties op tijd"),
            self.tr("Conflicten ontstaan"),
            self.tr("Verweesde wijzigingen open"),
        )

    def _about_texts(self) -> tuple[str, ...]:
        """What each figure counts, in a line (the council report's column texts, short)."""
        return (
            self.tr("Cliënten met een toegekende voorziening in de periode"),
            self.tr("In zorg in deze periode, niet in de vorige"),
            self.tr("In zorg in deze periode, niet meer in de volgende of na de peildatum"),
            self.tr("Hogere trede dan bij de vorige goedgekeurde intake"),
            self.tr("Dezelfde trede als bij de vorige goedgekeurde intake"),
            self.tr("Lagere trede dan bij de vorige goedgekeurde intake"),
            self.tr("Deel van de vergeleken cliënten dat de doeltrede haalde"),
            self.tr("Alle soorten; geannuleerd of niemand thuis telt niet mee"),
            self.tr("Deel van de cliënten in zorg met ten minste één huisbezoek"),
            self.tr("Van melding tot onderzoek; deel van de afgeronde termijnen"),
            self.tr("Van aanvraag tot beslissing; deel van de afgeronde termijnen"),
            self.tr("Van aanvraag tot beslissing; deel van de afgeronde termijnen"),
            self.tr("Plannen van aanpak die in de periode liepen"),
            self.tr("Deel van de evaluaties die in de periode gepland waren"),
            self.tr("Wijzigingen die botsten met een andere wijziging"),
            self.tr("Binnengekomen na overdracht van de cliënt, aan het eind niet afgehandeld"),
        )

    def value(self, row: int, column: int) -> FigureValue:
        """The published value in a cell (column 1: this half year, 2: the last); None when
        withheld or not there."""
        overview = self._overview
        if overview is None or not 0 <= row < len(ROWS):
            return None
        if column not in (self.PERIOD, self.PREVIOUS):
            return None
        spec = ROWS[row]
        table = overview.figure(spec.table)
        if table is None:
            return None
        period = overview.period if column == self.PERIOD else overview.previous_period
        return table.value(spec.column, period=period, area=overview.team, **dict(spec.where))

    def text(self, row: int, column: int) -> str:
        if column == self.CAPTION:
            return self._captions[row]
        if column == self.ABOUT:
            return self._abouts[row]
        found = self.value(row, column)
        if found is None:
            return WITHHELD
        if ROWS[row].percent:
            return f"{found}%"
        return str(found)

    def counted_text(self) -> str:
        """ "2026-H2 t/m 03-12-2026": the half year so far."""
        overview = self._overview
        if overview is None:
            return ""
        if overview.counted_until is None:
            return overview.period
        return self.tr("{period} t/m {day}").format(
            period=overview.period, day=date_text(overview.counted_until)
        )

    @property
    def has_figures(self) -> bool:
        return self._overview is not None

    # ------------------------------------------------------------------- Qt's model API

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() or self._overview is None else len(ROWS)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return None
        overview = self._overview
        if section == self.CAPTION:
            return self.tr("Cijfer")
        if section == self.ABOUT:
            return self.tr("Wat telt mee")
        if overview is None:
            return ""
        if section == self.PREVIOUS:
            return overview.previous_period
        # On screen the half year alone, to keep the column narrow; the page says up to when.
        if overview.counted_until is None or role == Qt.ItemDataRole.DisplayRole:
            return overview.period
        return self.counted_text()

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row, column = index.row(), index.column()
        if not 0 <= row < self.rowCount() or not 0 <= column < self.COLUMN_COUNT:
            return None
        numeric = column in (self.PERIOD, self.PREVIOUS)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if not numeric:
                return self.text(row, column)
            shown = self.text(row, column)
            if shown == WITHHELD:
                shown = self.tr("weggelaten")
            header = self.headerData(
                column, Qt.Orientation.Horizontal, Qt.ItemDataRole.AccessibleTextRole
            )
            return f"{self.text(row, self.CAPTION)}, {header}: {shown}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if not numeric:
                # The whole line, also where a narrow window cuts it short.
                return f"{self.text(row, self.CAPTION)}: {self.text(row, self.ABOUT)}"
            if self.value(row, column) is None:
                return self.withheld_text(row)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and numeric:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and numeric and self.value(row, column) is None:
            return self._muted  # a withheld "x" steps back behind the published numbers
        return None

    def withheld_text(self, row: int) -> str:
        """Why a cell shows "x"."""
        if ROWS[row].percent:
            return self.tr(
                "Weggelaten: het percentage rust op aantallen die zijn weggelaten (minder dan "
                "10, of terug te rekenen uit de andere cijfers)."
            )
        return self.tr(
            "Weggelaten: minder dan 10, of weggelaten zodat een klein aantal niet uit de "
            "andere cijfers is terug te rekenen."
        )
