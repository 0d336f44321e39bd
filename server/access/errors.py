"""What can be wrong with a request for an access report. The messages name no client: errors
end up in terminals and logs."""

from __future__ import annotations

from app.domain.errors import VeldwerkError

__all__ = ["InvalidDate", "InvalidOutput", "InvalidPeriod", "UnknownClient"]


class UnknownClient(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "unknown_client",
            "Er is geen cliënt met dit id of BSN; er is niets geschreven.",
            "There is no client with this id or BSN; nothing was written.",
        )


class InvalidPeriod(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "invalid_period",
            "De periode eindigt voordat hij begint (--to voor --from); er is niets geschreven.",
            "The period ends before it starts (--to is before --from); nothing was written.",
        )


class InvalidDate(VeldwerkError):
    def __init__(self, option: str) -> None:
        super().__init__(
            "invalid_date",
            f"{option}: geen geldige datum; schrijf JJJJ-MM-DD, zoals 2026-11-01. "
            "Er is niets geschreven.",
            f"{option}: not a valid date; write YYYY-MM-DD, like 2026-11-01. Nothing was written.",
        )


class InvalidOutput(VeldwerkError):
    def __init__(self) -> None:
        super().__init__(
            "invalid_output",
            "--out: de map bestaat niet, of het pad is zelf een map; er is niets geschreven.",
            "--out: the folder does not exist, or the path is a folder; nothing was written.",
        )
