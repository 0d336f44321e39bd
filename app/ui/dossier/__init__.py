"""The client dossier screen (issue #5): `DossierPage(session)`, then `show_client(client_id)`."""

from app.ui.dossier.page import DossierPage

__all__ = ["DossierPage"]
