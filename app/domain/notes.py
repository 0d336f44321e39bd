"""Free-text notes and attachment metadata (the attachment bytes live in the encrypted store)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Self

from app.domain.errors import ValidationError
from app.domain.fields import Fields, aware, datetime_in, datetime_out, text_in
from app.domain.ids import new_id

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class Note:
    ENTITY: ClassVar[str] = "note"

    client_id: str
    text: str
    author: str
    written_at: datetime
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if not self.text.strip():
            raise ValidationError("note_empty", "De notitie is leeg.", "The note is empty.")
        object.__setattr__(self, "written_at", aware(self.written_at))

    def to_fields(self) -> Fields:
        return {
            "client_id": self.client_id,
            "text": self.text,
            "author": self.author,
            "written_at": datetime_out(self.written_at),
        }

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self:
        written_at = datetime_in(data.get("written_at"), "written_at")
        if written_at is None:
            raise ValidationError(
                "written_at_required", "Tijdstip ontbreekt.", "The timestamp is missing."
            )
        return cls(
            id=record_id,
            client_id=text_in(data.get("client_id")),
            text=text_in(data.get("text")),
            author=text_in(data.get("author")),
            written_at=written_at,
        )


@dataclass(frozen=True, slots=True)
class Attachment:
    """Metadata of a scan or photo; its bytes are content-addressed by SHA-256."""

    ENTITY: ClassVar[str] = "attachment"

    client_id: str
    name: str
    media_type: str
    size: int
    sha256: str
    id: str = field(default_factory=new_id)

    def __post_init__(self) -> None:
        if not self.name.strip() or "/" in self.name or "\\" in self.name:
            raise ValidationError(
                "invalid_attachment_name",
                "Ongeldige bestandsnaam.",
                "Invalid file name.",
            )
        if self.size < 0:
            raise ValidationError("invalid_size", "Ongeldige grootte.", "Invalid size.")
        if not _SHA256.match(self.sha256):
            raise ValidationError(
                "invalid_sha256", "Ongeldige controlewaarde.", "Invalid checksum."
            )

    def to_fields(self) -> Fields:
        return {
            "client_id": self.client_id,
            "name": self.name,
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
        }

    @classmethod
    def from_fields(cls, record_id: str, data: dict[str, Any]) -> Self:
        return cls(
            id=record_id,
            client_id=text_in(data.get("client_id")),
            name=text_in(data.get("name")),
            media_type=text_in(data.get("media_type")),
            size=int(data.get("size") or 0),
            sha256=text_in(data.get("sha256")),
        )
