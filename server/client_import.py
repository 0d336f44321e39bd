"""Parse and validate the client list that central office exports, before anything is stored.

Pure: bytes in, an `ImportPlan` out, no database. The `import-clients` command decides what to
do with the plan (a dry run only prints it; a file with errors imports nothing unless the user
asks to skip the bad rows). `ImportPlan.fatal` says that the file as a whole was refused; then
`rows` is empty, so skipping bad rows can never import part of a refused file.

The file
    UTF-8 (with or without a byte order mark), UTF-16 with a byte order mark (Excel's "Unicode
    text"), or Windows-1252 (Excel's plain "CSV" on Windows) when the bytes are not UTF-8.
    Separated by ";" (Dutch Excel), "," or tab, detected from the header line; an Excel "sep=;"
    first line is honoured. Header names are case-insensitive, in Dutch or English; unknown
    columns are ignored and listed in `ImportPlan.ignored_columns`.

House numbers
    As people write them (app/domain/house_numbers.py): the huisletter and toevoeging glued to
    the number ("12a", "12 -1", "12a-1", "12 bis"), in the column toevoeging ("a", "-a", "hs",
    "1 hg"), or as a BAG extract has them in the columns huisletter and huisnummertoevoeging.
    Stored normalised ("A", "1", "HS", "A-1"). Written both glued and in a column, they must
    agree; otherwise the row is refused rather than one of them guessed at.

Line numbers
    Every error names the physical line of the file where its row starts (the header is line 1
    in an ordinary file); blank lines are skipped but counted. File-level errors that belong to no
    line (size, encoding) have line 0.

Record ids
    Every parsed client gets a random record id. An id derived from the BSN (uuid5) would make
    re-imports stable, but anyone could recover the BSN from such an id by trying all nine-digit
    numbers, and ids appear in logs, URLs and audit trails. The importer (server.seed) therefore
    matches existing clients on the BSN and keeps their id; only new clients keep the random one.

Privacy
    Error messages name the line and the column, never the value: they are printed and may be
    logged, and the values are BSNs, names and addresses.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from app.domain.client import Client
from app.domain.errors import ValidationError
from app.domain.house_numbers import HouseNumberAddition, parse_house_number
from app.domain.ids import new_id
from app.domain.local_time import local_today
from app.domain.reference import Village, villages
from app.domain.reference import village as reference_village
from app.domain.schema import FIELDS
from app.domain.values import Address, Bsn, EmailAddress, PersonName, PhoneNumber, Postcode

__all__ = [
    "FILE_ERROR_CODES",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ImportPlan",
    "ImportRow",
    "RowError",
    "parse_clients",
]

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000

# Fixed forever: changing it would give every imported client a new id on the next import.

EARLIEST_BIRTH_DATE = date(1900, 1, 1)

T = TypeVar("T")

# Errors about the file as a whole: nothing in it can be imported, skipping rows cannot help.
FILE_ERROR_CODES = frozenset(
    {
        "file_too_large",
        "too_many_rows",
        "not_csv",
        "invalid_encoding",
        "empty_file",
        "malformed_csv",
        "missing_columns",
        "duplicate_column",
    }
)


@dataclass(frozen=True)
class ImportRow:
    line: int
    client: Client
    # The raw klantmanager username (None when empty): the server checks it against its users,
    # which this pure parser cannot do.
    caseworker: str | None


@dataclass(frozen=True)
class RowError:
    """One problem. `line` is the physical line in the file (header = 1); 0 for the whole file."""

    line: int
    code: str
    message_nl: str
    message_en: str

    def message(self, language: str = "nl") -> str:
        return self.message_nl if language.startswith("nl") else self.message_en


@dataclass(frozen=True)
class ImportPlan:
    rows: tuple[ImportRow, ...]
    errors: tuple[RowError, ...]
    # Header names that matched no known column, as written in the file: a typo there would
    # otherwise drop an optional column without anyone noticing.
    ignored_columns: tuple[str, ...] = ()
    # Column key -> its header as the file writes it, so that later checks name it the same way.
    headers: Mapping[str, str] = field(default_factory=dict)

    def cell_error(self, line: int, key: str, code: str, nl: str, en: str) -> RowError:
        """A problem found after parsing (the server's own checks), worded like the parser's."""
        return _cell_error(line, self.headers.get(key, _COLUMNS[key][1]), code, nl, en)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def fatal(self) -> bool:
        """The file as a whole was refused (bad header, encoding, size...); `rows` is empty."""
        return any(error.code in FILE_ERROR_CODES for error in self.errors)


# --------------------------------------------------------------------------------- columns

# Canonical key -> (Dutch name, English name), as the messages about missing columns name them.
_COLUMNS: dict[str, tuple[str, str]] = {
    "bsn": ("bsn", "bsn"),
    "initials": ("voorletters", "initials"),
    "first_names": ("voornamen", "first_names"),
    "name_prefix": ("tussenvoegsel", "name_prefix"),
    "surname": ("achternaam", "surname"),
    "date_of_birth": ("geboortedatum", "date_of_birth"),
    "street": ("straat", "street"),
    "house_number": ("huisnummer", "house_number"),
    "house_letter": ("huisletter", "house_letter"),
    "house_number_addition": ("toevoeging", "house_number_addition"),
    "postcode": ("postcode", "postcode"),
    "village": ("woonplaats", "village"),
    "municipality": ("gemeente", "municipality"),
    "phone": ("telefoon", "phone"),
    "email": ("email", "email"),
    "caseworker": ("klantmanager", "caseworker"),
}

# The columns of central office's export, in its order, by their Dutch names: the header a
# file for the import is written with (the tests', the console's screenshot tool's). The house
# letter has no column of its own there: the export writes it with the addition.
EXPORT_HEADER: tuple[str, ...] = tuple(
    nl for key, (nl, _en) in _COLUMNS.items() if key != "house_letter"
)

_ALIASES: dict[str, str] = {
    **{nl: key for key, (nl, _) in _COLUMNS.items()},
    **{en: key for key, (_, en) in _COLUMNS.items()},
    "e-mail": "email",
    # A BAG extract's names, and "Huisnummer toevoeging" as a header reads after _header_key.
    "huisnummertoevoeging": "house_number_addition",
    "huisnummer_toevoeging": "house_number_addition",
}

_REQUIRED = ("bsn", "surname", "date_of_birth", "street", "house_number", "postcode", "village")

# The maximum lengths of the server's client table, so an over-long value is a row error here
# and not a database error halfway through an import.
_MAX_LENGTHS = {spec.name: spec.length for spec in FIELDS["client"] if spec.length is not None}


def _header_key(name: str) -> str:
    # "Date of birth" and "date_of_birth" are the same column to a person.
    return "_".join(name.split()).casefold()


def _shown(name: str) -> str:
    """A header name as it may appear in a message: on one line and not endlessly long."""
    return " ".join(name.split())[:40]


# ---------------------------------------------------------------------------------- errors


def _file_error(code: str, nl: str, en: str, line: int = 0) -> RowError:
    if line:
        return RowError(line, code, f"Regel {line}: {nl}", f"Line {line}: {en}")
    return RowError(0, code, f"Bestand: {nl}", f"File: {en}")


def _cell_error(line: int, column: str, code: str, nl: str, en: str) -> RowError:
    return RowError(
        line,
        code,
        f"Regel {line}, kolom '{column}': {nl}",
        f"Line {line}, column '{column}': {en}",
    )


def _refused(error: RowError, ignored: tuple[str, ...] = ()) -> ImportPlan:
    return ImportPlan(rows=(), errors=(error,), ignored_columns=ignored)


# ---------------------------------------------------------------------------------- values

_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_BSN_SEPARATORS = str.maketrans("", "", " .-")


def _parse_date(text: str) -> date | None:
    # Day before month: a Dutch file. 12/31/1980 is therefore refused, not guessed at.
    match = _DAY_MONTH_YEAR.fullmatch(text)
    if match:
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    else:
        match = _YEAR_MONTH_DAY.fullmatch(text)
        if not match:
            return None
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    try:
        return date(year, month, day)
    except ValueError:
        return None


class _Row:
    """The errors of one row, worded with its line and the column as the file's header names it."""

    def __init__(self, line: int, headers: dict[str, str]) -> None:
        self.line = line
        self.headers = headers
        self.errors: list[RowError] = []

    def add(self, code: str, key: str | None, nl: str, en: str) -> None:
        if key is None:
            self.errors.append(
                RowError(self.line, code, f"Regel {self.line}: {nl}", f"Line {self.line}: {en}")
            )
        else:
            column = self.headers.get(key, _COLUMNS[key][1])
            self.errors.append(_cell_error(self.line, column, code, nl, en))

    def invalid(self, key: str | None, error: ValidationError) -> None:
        self.add(error.code, key, error.message_nl, error.message_en)

    def required(self, key: str) -> None:
        self.add(
            "required",
            key,
            "Deze kolom is verplicht maar leeg.",
            "This column is required but empty.",
        )


class _Parser:
    def __init__(
        self,
        width: int,
        columns: dict[str, int],
        headers: dict[str, str],
        today: date,
    ) -> None:
        self.width = width
        self.columns = columns
        self.headers = headers
        self.today = today
        self.villages = {v.name.casefold(): v for v in villages()}
        self.bsn_lines: dict[str, int] = {}

    def column(self, key: str) -> str:
        """A column as messages name it: 'Toevoeging', as the file's header writes it."""
        return f"'{self.headers.get(key, _COLUMNS[key][1])}'"

    def parse(self, line: int, values: Sequence[str]) -> tuple[ImportRow | None, list[RowError]]:
        row = _Row(line, self.headers)
        count = len(values)
        # A short row (Excel drops trailing empty cells in some exports) reads as empty values.
        fields = {key: values[i].strip() for key, i in self.columns.items() if i < count}
        get = fields.get
        if any(v.strip() for v in values[self.width :]):
            row.add(
                "too_many_values",
                None,
                "Deze regel heeft meer waarden dan er kolommen zijn; staat er een "
                "scheidingsteken in een waarde zonder aanhalingstekens?",
                "This row has more values than there are columns; is there a separator in a "
                "value without quotes?",
            )

        bsn = self.bsn(row, get("bsn", ""))
        name = self.name(row, fields)
        born = self.date_of_birth(row, get("date_of_birth", ""))
        street = get("street", "")
        if not street:
            row.required("street")
        house = self.house_number(
            row, get("house_number", ""), get("house_letter", ""), get("house_number_addition", "")
        )
        postcode = self.postcode(row, get("postcode", ""))
        place = self.village(row, get("village", ""), get("municipality", ""))
        if postcode is not None and place is not None and postcode.digits != place.postcode_digits:
            row.add(
                "postcode_village_mismatch",
                "postcode",
                "De postcode hoort niet bij de woonplaats.",
                "The postcode does not belong to the village.",
            )
        phone = self.optional(row, "phone", PhoneNumber, get("phone", ""))
        email = self.optional(row, "email", EmailAddress, get("email", ""))
        caseworker = get("caseworker", "") or None

        if row.errors:
            return None, row.errors
        # Every part was checked above; the asserts only tell the type checker.
        assert bsn is not None and name is not None and born is not None
        assert house is not None and postcode is not None and place is not None
        try:
            client = Client(
                id=new_id(),
                bsn=bsn,
                name=name,
                date_of_birth=born,
                address=Address(
                    street=street,
                    house_number=house[0],
                    house_number_addition=house[1],
                    postcode=postcode,
                    village=place.name,
                    municipality=place.municipality,
                ),
                caseworker=caseworker or "",
                phone=phone,
                email=email,
            )
        except ValidationError as error:
            row.invalid(None, error)
            return None, row.errors
        self.lengths(row, client)
        if row.errors:
            return None, row.errors
        return ImportRow(line=line, client=client, caseworker=caseworker), []

    def bsn(self, row: _Row, text: str) -> Bsn | None:
        if not text:
            row.required("bsn")
            return None
        try:
            bsn = Bsn(text)
        except ValidationError as error:
            digits = text.translate(_BSN_SEPARATORS)
            if digits.isascii() and digits.isdigit() and len(digits) <= 9:
                # Nine digits (Excel may have dropped a leading zero): then it is a typing error.
                row.add(
                    "invalid_bsn",
                    "bsn",
                    "Het BSN voldoet niet aan de elfproef.",
                    "The BSN fails the 11-check.",
                )
            else:
                row.invalid("bsn", error)
            return None
        first = self.bsn_lines.setdefault(bsn.value, row.line)
        if first != row.line:
            row.add(
                "duplicate_bsn",
                "bsn",
                f"Dit BSN staat ook op regel {first}.",
                f"This BSN also appears on line {first}.",
            )
        return bsn

    def name(self, row: _Row, fields: dict[str, str]) -> PersonName | None:
        surname = fields.get("surname", "")
        first_names = fields.get("first_names", "")
        initials = fields.get("initials", "")
        if not surname:
            row.required("surname")
        if not first_names and not initials:
            row.add(
                "name_required",
                None,
                "Vul voornamen of voorletters in.",
                "Fill in the first names or the initials.",
            )
        if not surname or not (first_names or initials):
            return None
        try:
            return PersonName(
                surname=surname,
                first_names=first_names,
                initials=initials,
                prefix=fields.get("name_prefix", ""),
            )
        except ValidationError as error:
            row.invalid("surname", error)
            return None

    def date_of_birth(self, row: _Row, text: str) -> date | None:
        if not text:
            row.required("date_of_birth")
            return None
        born = _parse_date(text)
        if born is None:
            row.add(
                "invalid_date",
                "date_of_birth",
                "Dit is geen geldige datum; gebruik DD-MM-JJJJ of JJJJ-MM-DD.",
                "This is not a valid date; use DD-MM-YYYY or YYYY-MM-DD.",
            )
        elif born > self.today:
            row.add(
                "date_in_future",
                "date_of_birth",
                "De geboortedatum ligt in de toekomst.",
                "The date of birth is in the future.",
            )
        elif born < EARLIEST_BIRTH_DATE:
            row.add(
                "date_before_1900",
                "date_of_birth",
                "De geboortedatum ligt voor 1900.",
                "The date of birth is before 1900.",
            )
        else:
            return born
        return None

    def house_number(
        self, row: _Row, text: str, letter: str, addition: str
    ) -> tuple[int, str] | None:
        if not text:
            row.required("house_number")
            return None
        number: int | None = None
        glued: HouseNumberAddition | None = None
        try:
            number, glued = parse_house_number(text)
        except ValidationError as error:
            row.invalid("house_number", error)
        apart = self.addition_columns(row, letter, addition)
        if number is None or glued is None or apart is None:
            return None
        if glued and apart and glued != apart:
            filled = [
                self.column(k)
                for k, v in (("house_letter", letter), ("house_number_addition", addition))
                if v
            ]
            row.add(
                "ambiguous_house_number_addition",
                "house_number",
                "Het huisnummer heeft een huisletter of toevoeging die verschilt van wat in "
                f"{' en '.join(filled)} staat; laat er één weg.",
                "The house number has a house letter or addition that differs from what "
                f"{' and '.join(filled)} says; leave one of them out.",
            )
            return None
        return number, (glued or apart).stored

    def addition_columns(self, row: _Row, letter: str, addition: str) -> HouseNumberAddition | None:
        """What the columns huisletter and toevoeging say (empty when they say nothing)."""
        if not letter:
            try:
                return HouseNumberAddition.parse(addition)
            except ValidationError as error:
                row.invalid("house_number_addition", error)
                return None
        # A separate huisletter column makes the toevoeging column all toevoeging (BAG extract).
        found: list[HouseNumberAddition] = []
        for key, parts in (
            ("house_letter", (letter, "")),
            ("house_number_addition", ("", addition)),
        ):
            try:
                found.append(HouseNumberAddition.from_columns(*parts))
            except ValidationError as error:
                row.invalid(key, error)
        if len(found) < 2:
            return None
        return HouseNumberAddition(found[0].letter, found[1].suffix)

    def postcode(self, row: _Row, text: str) -> Postcode | None:
        if not text:
            row.required("postcode")
            return None
        try:
            return Postcode(text)
        except ValidationError as error:
            row.invalid("postcode", error)
            return None

    def village(self, row: _Row, name: str, municipality: str) -> Village | None:
        if not name:
            row.required("village")
            return None
        place = self.villages.get(" ".join(name.split()).casefold())
        if place is None:
            try:
                place = reference_village(name)
            except ValidationError as error:
                row.invalid("village", error)
                return None
        if municipality and " ".join(municipality.split()).casefold() != (
            place.municipality.casefold()
        ):
            row.add(
                "municipality_mismatch",
                "municipality",
                "De gemeente hoort niet bij de woonplaats (gebruik de voormalige gemeente: "
                "Bedum, De Marne, Winsum of Eemsmond, of laat de kolom leeg).",
                "The municipality does not match the village (use the former municipality: "
                "Bedum, De Marne, Winsum or Eemsmond, or leave the column empty).",
            )
            return None
        return place

    def optional(self, row: _Row, key: str, make: Callable[[str], T], text: str) -> T | None:
        if not text:
            return None
        try:
            return make(text)
        except ValidationError as error:
            row.invalid(key, error)
            return None

    def lengths(self, row: _Row, client: Client) -> None:
        for key, value in client.to_fields().items():
            limit = _MAX_LENGTHS.get(key)
            if limit is not None and isinstance(value, str) and len(value) > limit:
                column = key if key in _COLUMNS else None
                row.add(
                    "too_long",
                    column,
                    f"Deze waarde is te lang (hoogstens {limit} tekens).",
                    f"This value is too long (at most {limit} characters).",
                )


# ------------------------------------------------------------------------------------ file

_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
_DELIMITERS = (";", ",", "\t")
_EXCEL_SEP = re.compile(r"sep=([;,\t|])", re.IGNORECASE)


def _decode(data: bytes) -> str | None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _delimiter(header: str) -> str:
    # Counting beats csv.Sniffer on a single line: the header has at least seven names, so the
    # real separator occurs at least six times and more often than the others.
    return max(_DELIMITERS, key=header.count)


def _first_line(text: str) -> tuple[int, str]:
    """The number and text of the first line that is not blank (0, "" when there is none)."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if line.strip():
            return number, line
    return 0, ""


def _map_header(
    header: Sequence[str], line: int
) -> tuple[dict[str, int], dict[str, str], tuple[str, ...], RowError | None]:
    columns: dict[str, int] = {}
    names: dict[str, str] = {}
    ignored: list[str] = []
    for index, raw in enumerate(header):
        if not raw.strip():
            continue
        key = _ALIASES.get(_header_key(raw))
        if key is None:
            ignored.append(_shown(raw))
            continue
        if key in columns:
            error = _file_error(
                "duplicate_column",
                f"de kolom '{_shown(raw)}' staat er twee keer in (ook als '{names[key]}').",
                f"the column '{_shown(raw)}' appears twice (also as '{names[key]}').",
                line,
            )
            return columns, names, tuple(ignored), error
        columns[key] = index
        names[key] = _shown(raw)
    missing = [key for key in _REQUIRED if key not in columns]
    missing_nl = [_COLUMNS[key][0] for key in missing]
    missing_en = [_COLUMNS[key][1] for key in missing]
    if "first_names" not in columns and "initials" not in columns:
        missing_nl.append("voornamen of voorletters")
        missing_en.append("first_names or initials")
    if missing_nl:
        error = _file_error(
            "missing_columns",
            f"verplichte kolommen ontbreken: {', '.join(missing_nl)}.",
            f"required columns are missing: {', '.join(missing_en)}.",
            line,
        )
        return columns, names, tuple(ignored), error
    return columns, names, tuple(ignored), None


def parse_clients(
    data: bytes,
    *,
    today: date | None = None,
) -> ImportPlan:
    """Check a central office client file and say what importing it would do.

    `today` bounds the dates of birth (default: the real today).
    """
    if len(data) > MAX_FILE_BYTES:
        return _refused(
            _file_error(
                "file_too_large",
                f"het bestand is groter dan {MAX_FILE_BYTES // (1024 * 1024)} MB.",
                f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.",
            )
        )
    if data.startswith(_SPREADSHEET_MAGIC):
        return _refused(
            _file_error(
                "not_csv",
                "dit is een Excel-werkmap, geen CSV; kies in Excel 'Opslaan als' CSV.",
                "this is an Excel workbook, not a CSV; use 'Save as' CSV in Excel.",
            )
        )
    decoded = _decode(data)
    if decoded is None:
        return _refused(
            _file_error(
                "invalid_encoding",
                "de tekst is geen UTF-8 of Windows-1252; sla het bestand op als CSV UTF-8.",
                "the text is not UTF-8 or Windows-1252; save the file as CSV UTF-8.",
            )
        )
    # Names typed on a Mac arrive decomposed ("e" + diaeresis); store them as everyone else does.
    text = unicodedata.normalize("NFC", decoded)
    return _parse_text(text, today or local_today())


def _parse_text(text: str, today: date) -> ImportPlan:
    empty = _file_error(
        "empty_file",
        "het bestand is leeg of heeft geen kopregel.",
        "the file is empty or has no header line.",
    )
    first_number, first = _first_line(text)
    if not first_number:
        return _refused(empty)
    excel_sep = _EXCEL_SEP.fullmatch(first.strip("\r\n"))
    skip_lines = 0
    if excel_sep:
        delimiter = excel_sep[1]
        skip_lines = first_number
    else:
        delimiter = _delimiter(first)

    lines = io.StringIO(text, newline="")
    for _ in range(skip_lines):
        lines.readline()
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    parser: _Parser | None = None
    ignored: tuple[str, ...] = ()
    count = 0
    previous = skip_lines
    try:
        for values in reader:
            line = previous + 1
            previous = skip_lines + reader.line_num
            if not any(v.strip() for v in values):
                continue
            if parser is None:
                columns, headers, ignored, header_error = _map_header(values, line)
                if header_error is not None:
                    return _refused(header_error, ignored)
                parser = _Parser(len(values), columns, headers, today)
                continue
            count += 1
            if count > MAX_ROWS:
                return _refused(
                    _file_error(
                        "too_many_rows",
                        f"meer dan {MAX_ROWS:,} regels; splits het bestand.".replace(",", "."),
                        f"more than {MAX_ROWS:,} rows; split the file.",
                    ),
                    ignored,
                )
            row, row_errors = parser.parse(line, values)
            if row is not None:
                rows.append(row)
            errors.extend(row_errors)
    except csv.Error:
        # Where the broken record started: an unclosed quote is only noticed at the end.
        return _refused(
            _file_error(
                "malformed_csv",
                "de CSV-opmaak klopt niet vanaf deze regel (een aanhalingsteken wordt niet "
                "gesloten of staat verkeerd).",
                "the CSV is malformed from this line on (a quote is not closed or misplaced).",
                previous + 1,
            ),
            ignored,
        )
    if parser is None:
        return _refused(empty)
    return ImportPlan(
        rows=tuple(rows), errors=tuple(errors), ignored_columns=ignored, headers=parser.headers
    )
