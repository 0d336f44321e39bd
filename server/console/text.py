"""The console's words, Dutch first with English (the console's own catalogue: its pages are
rendered by the server, not by Qt). A page asks `t(key)`; a key missing here is a bug, found by
the tests, and shows as the key itself rather than failing the page."""

from __future__ import annotations

from collections.abc import Callable

LANGUAGES = ("nl", "en")

TEXT: dict[str, tuple[str, str]] = {
    # frame
    "app.name": ("Veldwerk beheer", "Veldwerk administration"),
    "skip": ("Naar de inhoud", "Skip to content"),
    "nav.label": ("Hoofdmenu", "Main menu"),
    "nav.home": ("Overzicht", "Overview"),
    "nav.people": ("Gebruikers en teams", "Users and teams"),
    "nav.devices": ("Apparaten", "Devices"),
    "nav.caseload": ("Caseload", "Caseload"),
    "nav.import": ("Cliënten importeren", "Import clients"),
    "nav.audit": ("Auditlog", "Audit log"),
    "language": ("Taal", "Language"),
    "language.other": ("English", "Nederlands"),
    "signed_in_as": ("Aangemeld als", "Signed in as"),
    "sign_out": ("Afmelden", "Sign out"),
    # sign-in
    "sign_in.title": ("Aanmelden", "Sign in"),
    "sign_in.intro": (
        "Alleen voor functioneel beheer. U meldt zich aan met uw wachtwoord en daarna met de "
        "code uit uw authenticator-app.",
        "For central office administrators only. You sign in with your password, then with "
        "the code from your authenticator app.",
    ),
    "sign_in.username": ("Gebruikersnaam", "User name"),
    "sign_in.password": ("Wachtwoord", "Password"),
    "sign_in.submit": ("Verder", "Continue"),
    "sign_in.failed": (
        "Gebruikersnaam of wachtwoord klopt niet, of dit account mag niet in het beheer.",
        "Wrong user name or password, or this account may not use the administration.",
    ),
    "sign_in.throttled": (
        "Te veel mislukte pogingen. Probeer het over enkele minuten opnieuw.",
        "Too many failed attempts. Try again in a few minutes.",
    ),
    "sign_in.no_second_factor": (
        "Voor dit account is nog geen tweede factor ingesteld. Laat die instellen met "
        "'veldwerk-server console-totp --user …' en meld u daarna opnieuw aan.",
        "This account has no second factor yet. Have one set up with "
        "'veldwerk-server console-totp --user …', then sign in again.",
    ),
    "sign_in.expired": (
        "Uw sessie is verlopen of beëindigd. Meld u opnieuw aan.",
        "Your session expired or ended. Please sign in again.",
    ),
    "sign_in.signed_out": ("U bent afgemeld.", "You are signed out."),
    "code.title": ("Code uit uw authenticator-app", "Code from your authenticator app"),
    "code.intro": (
        "Voer de zescijferige code in die uw authenticator-app nu toont.",
        "Enter the six-digit code your authenticator app shows now.",
    ),
    "code.label": ("Code (6 cijfers)", "Code (6 digits)"),
    "code.submit": ("Aanmelden", "Sign in"),
    "code.failed": (
        "Deze code klopt niet of is al gebruikt. Wacht op de volgende code en probeer opnieuw.",
        "This code is wrong or was used already. Wait for the next code and try again.",
    ),
    "code.too_many": (
        "Te veel onjuiste codes. Meld u opnieuw aan met uw wachtwoord.",
        "Too many wrong codes. Sign in again with your password.",
    ),
    # errors
    "error.title": ("Dat lukte niet", "That did not work"),
    "error.csrf": (
        "Dit formulier is verlopen of kwam niet van deze pagina. Laad de pagina opnieuw en "
        "probeer het nog eens.",
        "This form expired or did not come from this page. Reload the page and try again.",
    ),
    "error.not_found": ("Deze pagina bestaat niet.", "This page does not exist."),
    "error.back": ("Terug naar het overzicht", "Back to the overview"),
    # overview
    "home.title": ("Overzicht", "Overview"),
    "home.intro": (
        "Beheer van accounts, teams, apparaten en caseload. Dossiers zijn hier niet te zien: "
        "die zijn alleen voor de eigen klantmanager en teamleider.",
        "Accounts, teams, devices and caseload. Dossiers cannot be seen here: they are for "
        "the client's own caseworker and team lead only.",
    ),
    "home.users": ("Gebruikers", "Users"),
    "home.active_users": ("actief", "active"),
    "home.teams": ("Teams", "Teams"),
    "home.devices": ("Apparaten in gebruik", "Devices in use"),
    "home.findings": ("Open signalen", "Open findings"),
    # users and teams
    "people.title": ("Gebruikers en teams", "Users and teams"),
    "people.users": ("Gebruikers", "Users"),
    "people.teams": ("Teams", "Teams"),
    "people.username": ("Gebruikersnaam", "User name"),
    "people.display_name": ("Naam", "Name"),
    "people.role": ("Rol", "Role"),
    "people.team": ("Team", "Team"),
    "people.status": ("Status", "Status"),
    "people.active": ("Actief", "Active"),
    "people.inactive": ("Gedeactiveerd", "Deactivated"),
    "people.actions": ("Acties", "Actions"),
    "people.no_team": ("Geen team", "No team"),
    "people.lead": ("Teamleider", "Team lead"),
    "people.members": ("Leden", "Members"),
    "people.new_user": ("Nieuwe gebruiker", "New user"),
    "people.password": ("Eerste wachtwoord", "First password"),
    "people.password_hint": (
        "Minstens 12 tekens. De gebruiker kiest het bij de eerste aanmelding op de laptop.",
        "At least 12 characters. The user types it when enrolling their laptop.",
    ),
    "people.create": ("Gebruiker aanmaken", "Create user"),
    "people.created": ("Gebruiker {name} is aangemaakt.", "User {name} was created."),
    "people.new_team": ("Nieuw team", "New team"),
    "people.team_name": ("Naam van het team", "Team name"),
    "people.create_team": ("Team aanmaken", "Create team"),
    "people.team_created": ("Team {name} is aangemaakt.", "Team {name} was created."),
    "people.move": ("Naar team", "Move to team"),
    "people.moved": ("{name} zit nu in team {team}.", "{name} is now in team {team}."),
    "people.deactivate": ("Deactiveren", "Deactivate"),
    "people.deactivate_confirm": (
        "{name} deactiveren? Aanmelden en synchroniseren stoppen direct; de apparaten van "
        "{name} worden ingetrokken.",
        "Deactivate {name}? Signing in and syncing stop at once; {name}'s devices are revoked.",
    ),
    "people.deactivated": ("{name} is gedeactiveerd.", "{name} was deactivated."),
    "people.reset_password": ("Nieuw wachtwoord", "New password"),
    "people.password_reset": (
        "Het wachtwoord van {name} is vervangen.",
        "{name}'s password was replaced.",
    ),
    # devices and enrollment codes
    "devices.title": ("Apparaten", "Devices"),
    "devices.intro": (
        "Elke laptop waarmee een klantmanager of teamleider werkt. Een ingetrokken apparaat "
        "wist bij het volgende contact met de server alle gegevens van dat profiel.",
        "Every laptop a caseworker or team lead works on. A revoked device wipes that "
        "profile's data at its next contact with the server.",
    ),
    "devices.user": ("Gebruiker", "User"),
    "devices.name": ("Apparaat", "Device"),
    "devices.enrolled": ("Gekoppeld", "Enrolled"),
    "devices.last_seen": ("Laatste contact", "Last contact"),
    "devices.app_version": ("Versie", "App version"),
    "devices.status": ("Status", "Status"),
    "devices.never": ("Nog nooit", "Never"),
    "devices.in_use": ("In gebruik", "In use"),
    "devices.revoked_at": ("Ingetrokken op {when}", "Revoked on {when}"),
    "devices.none": ("Er zijn nog geen apparaten gekoppeld.", "No devices are enrolled yet."),
    "devices.revoke": ("Intrekken", "Revoke"),
    "devices.revoke_now": ("Apparaat intrekken", "Revoke device"),
    "devices.revoke_confirm": (
        "Apparaat {name} van {user} intrekken? Het kan daarna niet meer synchroniseren en "
        "wist bij het volgende contact alle gegevens van het profiel, ook wijzigingen die nog "
        "in de wachtrij staan. Dit is niet terug te draaien.",
        "Revoke {user}'s device {name}? It can no longer sync, and at its next contact it "
        "wipes all of the profile's data, pending changes included. This cannot be undone.",
    ),
    "devices.already_revoked": (
        "Dit apparaat is al ingetrokken op {when}.",
        "This device was already revoked on {when}.",
    ),
    "devices.revoked": (
        "Apparaat {name} is ingetrokken; het wist zijn gegevens bij het volgende contact.",
        "Device {name} was revoked; it wipes its data at its next contact.",
    ),
    "devices.gone": ("Dit apparaat bestaat niet.", "This device does not exist."),
    "devices.no_such_user": ("Deze gebruiker bestaat niet.", "This user does not exist."),
    "devices.back": ("Terug naar de apparaten", "Back to the devices"),
    "codes.title": ("Koppelcode", "Enrollment code"),
    "codes.intro": (
        "Met een koppelcode koppelt een gebruiker een nieuwe laptop, samen met het eigen "
        "wachtwoord. De code is eenmalig en wordt maar één keer getoond.",
        "With an enrollment code a user enrolls a new laptop, together with their own "
        "password. The code works once and is shown only once.",
    ),
    "codes.user": ("Voor gebruiker", "For user"),
    "codes.issue": ("Koppelcode maken", "Issue enrollment code"),
    "codes.for": ("Koppelcode voor {name}", "Enrollment code for {name}"),
    "codes.once": (
        "Geef deze code persoonlijk of telefonisch door. Hij werkt één keer, {hours} uur lang, "
        "en wordt niet nog eens getoond: wie hem kwijt is, krijgt een nieuwe.",
        "Hand this code over in person or by phone. It works once, for {hours} hours, and is "
        "not shown again: if it is lost, issue a new one.",
    ),
    # caseload
    "caseload.title": ("Caseload", "Caseload"),
    "caseload.intro": (
        "Welke klantmanager welke cliënten heeft. Zoek cliënten op BSN of naam, kies er één of "
        "meer en wijs ze toe. Bij de volgende synchronisatie verdwijnen ze van de laptop van "
        "de vorige klantmanager en komen ze op die van de nieuwe.",
        "Which caseworker holds which clients. Search clients by BSN or name, choose one or "
        "more and assign them. At the next sync they leave the previous caseworker's laptop "
        "and arrive on the new one's.",
    ),
    "caseload.search": ("BSN of naam", "BSN or name"),
    "caseload.search_hint": (
        "Een volledig BSN (negen cijfers) of een deel van de achternaam.",
        "A whole BSN (nine digits) or part of the surname.",
    ),
    "caseload.search_button": ("Zoeken", "Search"),
    "caseload.results": ("Gevonden cliënten", "Clients found"),
    "caseload.of": ("Cliënten van {name}", "Clients of {name}"),
    "caseload.unassigned_title": ("Cliënten zonder klantmanager", "Clients without a caseworker"),
    "caseload.choose": ("Kiezen", "Choose"),
    "caseload.choose_one": ("{name} kiezen", "Choose {name}"),
    "caseload.name": ("Naam", "Name"),
    "caseload.bsn": ("BSN", "BSN"),
    "caseload.village": ("Woonplaats", "Village"),
    "caseload.caseworker": ("Klantmanager", "Caseworker"),
    "caseload.clients": ("Cliënten", "Clients"),
    "caseload.nobody": ("Zonder klantmanager", "No caseworker"),
    "caseload.more": (
        "Er zijn meer cliënten dan hier getoond; verfijn de zoekopdracht of ga naar de "
        "volgende pagina.",
        "There are more clients than shown here; refine the search or go to the next page.",
    ),
    "caseload.nothing_found": ("Geen cliënten gevonden.", "No clients found."),
    "caseload.assign_legend": ("Gekozen cliënten toewijzen", "Assign the chosen clients"),
    "caseload.assign_to": ("Aan klantmanager", "To caseworker"),
    "caseload.assign": ("Toewijzen", "Assign"),
    "caseload.assigned": (
        "{count} cliënt(en) toegewezen aan {name}.",
        "{count} client(s) assigned to {name}.",
    ),
    "caseload.holders": ("Wie heeft welke cliënten", "Who holds which clients"),
    "caseload.show": ("Toon cliënten", "Show clients"),
    "caseload.too_short": (
        "Typ minstens twee letters van de naam, of een volledig BSN.",
        "Type at least two letters of the name, or a whole BSN.",
    ),
    "caseload.none_chosen": (
        "Kies eerst één of meer cliënten.",
        "Choose one or more clients first.",
    ),
    "caseload.too_many": (
        "Te veel cliënten tegelijk; wijs er hoogstens 1000 per keer toe.",
        "Too many clients at once; assign at most 1000 at a time.",
    ),
    "caseload.gone": (
        "Een van de gekozen cliënten bestaat niet meer; zoek opnieuw.",
        "One of the chosen clients no longer exists; search again.",
    ),
    "error.invalid_bsn": (
        "Dit is geen geldig BSN (negen cijfers die de elfproef doorstaan).",
        "This is not a valid BSN (nine digits passing the 11-check).",
    ),
    "pages.label": ("Pagina's", "Pages"),
    "pages.previous": ("Vorige pagina", "Previous page"),
    "pages.next": ("Volgende pagina", "Next page"),
    "pages.page": ("Pagina {number}", "Page {number}"),
    # audit log
    "audit.title": ("Auditlog", "Audit log"),
    "audit.intro": (
        "Wie wat deed op de server, nieuwste eerst, 100 per pagina. Er staan geen waarden in, "
        "alleen wie, wat, welk record, welk apparaat en wanneer.",
        "Who did what on the server, newest first, 100 a page. It holds no values, only who, "
        "what, which record, which device and when.",
    ),
    "audit.user": ("Gebruiker", "User"),
    "audit.client": ("Cliënt-id", "Client id"),
    "audit.action": ("Actie", "Action"),
    "audit.any_action": ("Alle acties", "All actions"),
    "audit.from": ("Van (datum)", "From (date)"),
    "audit.to": ("Tot en met (datum)", "To (date, inclusive)"),
    "audit.filter": ("Filteren", "Filter"),
    "audit.when": ("Wanneer", "When"),
    "audit.entity": ("Soort", "Kind"),
    "audit.record": ("Record", "Record"),
    "audit.device": ("Apparaat", "Device"),
    "audit.details": ("Bijzonderheden", "Details"),
    "audit.none": ("Geen regels gevonden.", "No entries found."),
    "audit.invalid_date": (
        "Een datum klopt niet; schrijf hem als 22-11-2026 of kies hem in de kalender.",
        "A date is not valid; write it as 22-11-2026 or pick it from the calendar.",
    ),
    "audit.invalid_period": (
        "De periode eindigt voordat hij begint; kies een einddatum na de begindatum.",
        "The period ends before it starts; choose an end date after the start date.",
    ),
    # The audit log's actions and kinds in words where the desktop's and the access report's
    # words (app.domain.schema, app.domain.access_log) have none: the server's and the
    # console's own acts. The code stays beside them on the page.
    "audit.action.console_sign_in": ("Aangemeld in het beheer", "Signed in to the administration"),
    "audit.action.console_sign_out": (
        "Afgemeld uit het beheer",
        "Signed out of the administration",
    ),
    "audit.action.set_second_factor": ("Tweede factor ingesteld", "Second factor set up"),
    "audit.action.deactivate": ("Gedeactiveerd", "Deactivated"),
    "audit.action.reset_password": ("Nieuw wachtwoord ingesteld", "Password reset"),
    "audit.action.add_member": ("Lid toegevoegd", "Member added"),
    "audit.action.issue_enrollment_code": ("Koppelcode gemaakt", "Enrollment code issued"),
    "audit.action.enroll": ("Gekoppeld", "Enrolled"),
    "audit.action.revoke": ("Ingetrokken", "Revoked"),
    "audit.action.import_clients": ("Cliënten geïmporteerd", "Clients imported"),
    "audit.action.demo_import": ("Demogegevens geladen", "Demo data loaded"),
    "audit.action.retention_run": ("Vernietiging uitgevoerd", "Destruction carried out"),
    "audit.action.council_report": ("Raadsinformatie gemaakt", "Figures for the councils made"),
    "audit.action.rotate_epoch": (
        "Nieuwe epoch: apparaten halen alles opnieuw op",
        "New epoch: devices download everything again",
    ),
    "audit.action.purge_tombstones": (
        "Verwijderde records (tombstones) opgeruimd",
        "Tombstones removed",
    ),
    "audit.action.purge_blobs": (
        "Bijlagebestanden zonder record opgeruimd",
        "Attachment files without a record removed",
    ),
    "audit.entity.user": ("Gebruiker", "User"),
    "audit.entity.team": ("Team", "Team"),
    "audit.entity.device": ("Apparaat", "Device"),
    "audit.entity.server": ("Server", "Server"),
    "audit.entity.caseload": ("Caseloadoverzicht", "Caseload listing"),
    "audit.entity.orphaned_change": ("Te late wijziging", "Late change"),
    "audit.entity.destruction_statement": ("Verklaring van vernietiging", "Destruction statement"),
    "audit.entity.client_import": ("Cliëntimport", "Client import"),
    "audit.entity.profile": ("Profiel", "Profile"),
    # late edits and duplicate registrations
    "nav.findings": ("Signalen", "Findings"),
    "findings.title": (
        "Dubbele registraties en te late wijzigingen",
        "Duplicate registrations and late changes",
    ),
    "findings.collisions": ("Dubbele registraties", "Duplicate registrations"),
    "findings.collisions_intro": (
        "Een klantmanager registreerde een cliënt met een BSN dat al van een cliënt buiten "
        "de eigen caseload is. De laptop kreeg een algemene weigering; zoek hier uit wat er "
        "moet gebeuren (bijvoorbeeld de cliënt toewijzen) en markeer het als afgehandeld.",
        "A caseworker registered a client with a BSN that already belongs to a client outside "
        "their caseload. The laptop got a general refusal; find out here what must happen "
        "(assigning the client, say) and mark it handled.",
    ),
    "findings.show_all": ("Ook afgehandelde tonen", "Show handled ones too"),
    "findings.open_only": ("Alleen open tonen", "Show open ones only"),
    "findings.by": ("Door", "By"),
    "findings.field": ("Veld", "Field"),
    "findings.existing": ("Bestaande cliënt (id)", "Existing client (id)"),
    "findings.holder": ("Klantmanager nu", "Caseworker now"),
    "findings.mark_handled": ("Afgehandeld", "Handled"),
    "findings.handled_at": ("Afgehandeld op {when}", "Handled on {when}"),
    "findings.handled": ("Gemarkeerd als afgehandeld.", "Marked as handled."),
    "findings.gone": ("Deze melding bestaat niet.", "This finding does not exist."),
    "findings.no_collisions": ("Geen dubbele registraties.", "No duplicate registrations."),
    "findings.orphans": ("Te late wijzigingen", "Late changes"),
    "findings.orphans_intro": (
        "Wijzigingen die een laptop verstuurde nadat de cliënt al aan een ander was "
        "toegewezen. Ze bevatten dossiergegevens; daarom staan hier alleen aantallen. De "
        "nieuwe klantmanager en de teamleider handelen ze af.",
        "Changes a laptop sent after the client had been assigned to someone else. They hold "
        "dossier data, so only counts are shown here. The new caseworker and the team lead "
        "deal with them.",
    ),
    "findings.client": ("Cliënt (id)", "Client (id)"),
    "findings.sent_by": ("Verstuurd door", "Sent by"),
    "findings.count": ("Open", "Open"),
    "findings.oldest": ("Oudste", "Oldest"),
    "findings.no_orphans": ("Geen open te late wijzigingen.", "No open late changes."),
    # client import
    "import.title": ("Cliënten importeren", "Import clients"),
    "import.intro": (
        "Laad het CSV-bestand van de centrale administratie. U ziet eerst een proefdraai: "
        "wat er zou veranderen en elk probleem met regel en kolom. Er verandert pas iets als "
        "u daarna op Importeren klikt.",
        "Load central office's CSV file. You first see a dry run: what would change and every "
        "problem with its line and column. Nothing changes until you then click Import.",
    ),
    "import.file": ("CSV-bestand", "CSV file"),
    "import.file_hint": (
        "UTF-8 of Windows-1252, gescheiden door ';', ',' of tab, met een kopregel in het "
        "Nederlands of Engels.",
        "UTF-8 or Windows-1252, separated by ';', ',' or tab, with a header line in Dutch or "
        "English.",
    ),
    "import.check": ("Proefdraai bekijken", "See the dry run"),
    "import.records": ("Eerdere imports", "Earlier imports"),
    "import.by": ("Door", "By"),
    "import.file_name": ("Bestand", "File"),
    "import.rows": ("Regels", "Rows"),
    "import.created": ("Nieuw", "New"),
    "import.updated": ("Gewijzigd", "Changed"),
    "import.unchanged": ("Ongewijzigd", "Unchanged"),
    "import.assigned": ("(Opnieuw) toegewezen", "(Re)assigned"),
    "import.problems": ("Problemen", "Problems"),
    "import.record": ("Verslag", "Record"),
    "import.open_record": ("Bekijken", "View"),
    "import.no_records": ("Nog geen imports.", "No imports yet."),
    "import.dry_run": ("Proefdraai", "Dry run"),
    "import.has_problem": (
        "Er is niets geïmporteerd: het bestand heeft 1 probleem. Herstel het in het bestand en "
        "laad het opnieuw.",
        "Nothing was imported: the file has 1 problem. Fix it in the file and load it again.",
    ),
    "import.has_problems": (
        "Er is niets geïmporteerd: het bestand heeft {count} problemen. Herstel ze in het "
        "bestand en laad het opnieuw.",
        "Nothing was imported: the file has {count} problems. Fix them in the file and load "
        "it again.",
    ),
    "import.column": ("Kolom", "Column"),
    "import.whole_file": ("Bestand", "File"),
    "import.ready": (
        "Proefdraai: er is nog niets veranderd. Klopt het? Importeer dan hieronder.",
        "Dry run: nothing has changed yet. Is it right? Then import it below.",
    ),
    "import.ignored": (
        "Let op, deze kolommen zijn genegeerd: {names}.",
        "Note, these columns were ignored: {names}.",
    ),
    "import.line": ("Regel", "Line"),
    "import.problem": ("Probleem", "Problem"),
    "import.changes": ("Wat zou veranderen", "What would change"),
    "import.what": ("Wijziging", "Change"),
    "import.new": ("Nieuwe cliënt", "New client"),
    "import.changed_fields": ("Gewijzigd: {fields}", "Changed: {fields}"),
    "import.to_caseworker": ("klantmanager {name}", "caseworker {name}"),
    "import.more_changes": (
        "En nog {count} regels die iets veranderen.",
        "And {count} more rows that change something.",
    ),
    "import.no_changes": (
        "Dit bestand verandert niets: alle cliënten staan er al zo in.",
        "This file changes nothing: every client is stored like this already.",
    ),
    "import.apply_title": ("Importeren", "Import"),
    "import.apply_intro": (
        "Kies hetzelfde bestand nog een keer: de server bewaart het niet tussen proefdraai en "
        "import, en importeert alleen precies het bestand van deze proefdraai.",
        "Choose the same file once more: the server does not keep it between the dry run and "
        "the import, and imports exactly the file of this dry run only.",
    ),
    "import.same_file": ("Hetzelfde CSV-bestand", "The same CSV file"),
    "import.apply": ("Importeren", "Import"),
    "import.again": ("Ander of hersteld bestand", "Another or corrected file"),
    "import.no_file": ("Kies eerst een bestand.", "Choose a file first."),
    "import.not_seen": (
        "Dit is niet het bestand van de proefdraai, of de proefdraai is meer dan een half uur "
        "oud. Hieronder staat de proefdraai van dit bestand; er is niets geïmporteerd.",
        "This is not the file of the dry run, or the dry run is more than half an hour old. "
        "Below is the dry run of this file; nothing was imported.",
    ),
    "import.blocked": (
        "Sinds de proefdraai is er iets veranderd waardoor het bestand nu problemen heeft; er "
        "is niets geïmporteerd.",
        "Something changed since the dry run and the file now has problems; nothing was imported.",
    ),
    "import.done": ("De import is uitgevoerd.", "The import is done."),
    "import.record_title": ("Importverslag", "Import record"),
    "import.gone": ("Dit importverslag bestaat niet.", "This import record does not exist."),
    "import.back": ("Terug naar importeren", "Back to import"),
    "role.caseworker": ("Klantmanager", "Caseworker"),
    "role.team_lead": ("Teamleider", "Team lead"),
    "role.admin": ("Functioneel beheer", "Administrator"),
    # refusals of the account rules (server.crud), by their code
    "error.invalid_username": (
        "Een gebruikersnaam heeft 2 tot 64 kleine letters, cijfers, '.', '_' of '-' en begint "
        "met een letter.",
        "A user name has 2-64 lowercase letters, digits, '.', '_' or '-' and starts with a letter.",
    ),
    "error.invalid_role": ("Kies een rol uit de lijst.", "Choose a role from the list."),
    "error.weak_password": (
        "Een wachtwoord heeft minstens 12 tekens.",
        "A password has at least 12 characters.",
    ),
    "error.user_exists": (
        "Er is al een gebruiker met deze naam.",
        "A user with this name already exists.",
    ),
    "error.invalid_team_name": (
        "Een teamnaam heeft 1 tot 100 letters, cijfers, spaties of - . , ( ) '.",
        "A team name has 1-100 letters, digits, spaces or - . , ( ) '.",
    ),
    "error.team_exists": ("Er is al een team met deze naam.", "A team with this name exists."),
    "error.not_a_team_lead": (
        "De leider van een team moet de rol teamleider hebben.",
        "The lead of a team must have the team lead role.",
    ),
    "error.not_a_caseworker": (
        "Alleen klantmanagers zijn lid van een team.",
        "Only caseworkers are members of a team.",
    ),
    "error.already_in_team": (
        "Deze klantmanager zit al in een ander team.",
        "This caseworker already belongs to another team.",
    ),
    "error.cannot_deactivate_self": (
        "U kunt uw eigen account niet deactiveren.",
        "You cannot deactivate your own account.",
    ),
    "error.user_inactive": ("Deze gebruiker is niet actief.", "This user is not active."),
    # retention: what is due, the run, legal holds, erasure requests, destruction statements
    "nav.retention": ("Bewaren en vernietigen", "Retention"),
    "retention.sections": ("Onderdelen van bewaren en vernietigen", "Parts of retention"),
    "retention.tab_due": ("Te vernietigen", "Due"),
    "retention.tab_holds": ("Bewaarplicht", "Legal holds"),
    "retention.tab_requests": ("Verzoeken om vernietiging", "Erasure requests"),
    "retention.tab_statements": ("Verklaringen", "Statements"),
    "retention.title": ("Bewaartermijnen", "Retention periods"),
    "retention.intro": (
        "Een dossier wordt bewaard zolang de Selectielijst zegt en daarna vernietigd, op de "
        "server en bij de volgende synchronisatie op elke laptop. Hier staat hoeveel dossiers "
        "per {day} aan de beurt zijn; dossiers zelf zijn hier niet te zien.",
        "A file is kept as long as the Selectielijst says and then destroyed, on the server "
        "and at the next sync on every laptop. This shows how many files are due as of {day}; "
        "the files themselves cannot be seen here.",
    ),
    "retention.category": ("Categorie", "Category"),
    "retention.term": ("Bewaartermijn", "Retention period"),
    "retention.files": ("Dossiers", "Files"),
    "retention.records": ("Records", "Records"),
    "retention.month": ("Maand", "Month"),
    "retention.none_due": ("Er is nu niets te vernietigen.", "Nothing is due now."),
    "retention.standing": ("Alle dossiers", "All files"),
    "retention.due_total": ("Te vernietigen", "Due"),
    "retention.held": (
        "Verlopen, maar onder bewaarplicht (legal hold)",
        "Due, but under a legal hold",
    ),
    "retention.scheduled": ("Nog niet verlopen", "Not yet due"),
    "retention.running": ("Met een lopende regeling", "With a running provision"),
    "retention.review": ("Zonder regeling, ter beoordeling", "Without a provision, for review"),
    "retention.review_intro": (
        "Deze dossiers hebben geen enkele regeling en worden nooit vanzelf vernietigd. "
        "Beoordeel ze (cliënt-id's):",
        "These files hold no provision at all and are never destroyed by themselves. Review "
        "them (client ids):",
    ),
    "retention.more_review": ("En nog {count}.", "And {count} more."),
    "retention.no_provision": ("Zonder regeling", "Without a provision"),
    "retention.see_dry_run": ("Proefdraai bekijken", "See the dry run"),
    "retention.dry_run_title": ("Proefdraai van de vernietiging", "Dry run of the destruction"),
    "retention.dry_run_intro": (
        "Proefdraai per {day}: er is nog niets veranderd. Zo gaat de vernietiging, als u "
        "hieronder bevestigt.",
        "Dry run as of {day}: nothing has changed yet. This is what the destruction does if "
        "you confirm below.",
    ),
    "retention.plan_lines": ("Te vernietigen per categorie en maand", "Due per category and month"),
    "retention.totals": ("Totalen", "Totals"),
    "retention.total_files": ("Dossiers", "Files"),
    "retention.total_records": ("Records", "Records"),
    "retention.total_attachments": ("Bijlagebestanden", "Attachment files"),
    "retention.total_held": (
        "Overgeslagen wegens bewaarplicht (legal hold)",
        "Skipped under a legal hold",
    ),
    "retention.total_review": (
        "Zonder regeling, ter beoordeling",
        "Without a provision, for review",
    ),
    "retention.total_scrubbed": (
        "Auditregels ontdaan van persoonsgegevens",
        "Audit entries scrubbed of personal data",
    ),
    "retention.contact": (
        "Inloggegevens en apparaatcontact van voor {day}",
        "Login and device-contact data from before {day}",
    ),
    "retention.login_failures": ("Mislukte aanmeldingen", "Failed sign-ins"),
    "retention.enrollment_codes": ("Verlopen koppelcodes", "Expired enrollment codes"),
    "retention.contact_times": ("Contactmomenten van apparaten", "Device contact times"),
    "retention.push_answers": ("Opgeslagen antwoorden", "Stored answers"),
    "retention.confirm_title": ("Vernietigen", "Destroy"),
    "retention.confirm": (
        "Dit vernietigt de dossiers hierboven op de server; de laptops die ze hebben, wissen "
        "ze bij hun volgende synchronisatie. Er komt een verklaring van vernietiging. Dit is "
        "niet terug te draaien.",
        "This destroys the files above on the server; the laptops that hold them wipe them at "
        "their next sync. A destruction statement is written. This cannot be undone.",
    ),
    "retention.run": ("Nu vernietigen", "Destroy now"),
    "retention.nothing_to_run": (
        "Er is niets te vernietigen of op te ruimen.",
        "There is nothing to destroy or clear.",
    ),
    "retention.back": ("Terug naar bewaartermijnen", "Back to retention"),
    "retention.changed": (
        "Sinds de proefdraai is er iets veranderd (een bewaarplicht, een dossier dat nu "
        "verlopen is). Er is niets vernietigd; hieronder staat de nieuwe proefdraai.",
        "Something changed since the dry run (a legal hold, a file now due). Nothing was "
        "destroyed; the new dry run is below.",
    ),
    "retention.nothing": ("Er was niets te vernietigen.", "There was nothing to destroy."),
    "retention.done": (
        "{count} dossier(s) vernietigd; verklaring van vernietiging nr. {name} staat hieronder.",
        "{count} file(s) destroyed; destruction statement no. {name} is listed below.",
    ),
    "retention.refused": (
        "Dat kon niet; er is niets veranderd.",
        "That could not be done; nothing was changed.",
    ),
    "holds.title": ("Bewaarplicht (legal hold)", "Legal holds"),
    "holds.intro": (
        "Een bewaarplicht houdt de vernietiging van één dossier tegen, bijvoorbeeld tijdens "
        "een bezwaar- of gerechtelijke procedure, tot u hem opheft. De reden wordt bewaard "
        "maar hier niet getoond.",
        "A legal hold stops the destruction of one file, during an objection or a lawsuit "
        "say, until you lift it. The reason is kept but not shown here.",
    ),
    "holds.client": ("Cliënt (id)", "Client (id)"),
    "holds.placed_at": ("Sinds", "Since"),
    "holds.placed_by": ("Door", "By"),
    "holds.none": ("Er geldt geen bewaarplicht.", "No legal hold is in force."),
    "holds.lift": ("Opheffen", "Lift"),
    "holds.new": ("Bewaarplicht vastleggen", "Place a legal hold"),
    "holds.client_field": ("Cliënt-id of BSN", "Client id or BSN"),
    "holds.client_hint": (
        "Het id uit de caseload of de auditlog, of het volledige BSN (negen cijfers).",
        "The id from the caseload or the audit log, or the whole BSN (nine digits).",
    ),
    "holds.reason": ("Reden", "Reason"),
    "holds.reason_hint": (
        "Bijvoorbeeld het zaaknummer van de procedure; hoogstens {count} tekens. Noem geen namen.",
        "The case number of the procedure, say; at most {count} characters. Do not name people.",
    ),
    "holds.place": ("Vastleggen", "Place hold"),
    "holds.placed": (
        "Bewaarplicht vastgelegd voor cliënt {name}.",
        "Legal hold placed for client {name}.",
    ),
    "holds.lifted": (
        "Bewaarplicht opgeheven voor cliënt {name}.",
        "Legal hold lifted for client {name}.",
    ),
    "erasure.title": ("Verzoeken om vernietiging", "Erasure requests"),
    "erasure.intro": (
        "Een cliënt met een Wmo- of jeugddossier mag vragen het te vernietigen; binnen drie "
        "maanden na ontvangst moet het besluit zijn uitgevoerd, tenzij een wettelijke regel of "
        "een zwaarwegend belang van een ander zich verzet.",
        "A client with a Wmo or youth-care file may ask for it to be destroyed; within three "
        "months of receipt the decision must be carried out, unless a legal rule or a third "
        "party's substantial interest prevents it.",
    ),
    "erasure.show_all": ("Ook besliste verzoeken tonen", "Show decided requests too"),
    "erasure.open_only": ("Alleen open verzoeken tonen", "Show open requests only"),
    "erasure.number": ("Nr.", "No."),
    "erasure.client": ("Cliënt (id)", "Client (id)"),
    "erasure.received": ("Ontvangen", "Received"),
    "erasure.due": ("Uiterlijk", "Due by"),
    "erasure.clock": ("Termijn", "Clock"),
    "erasure.notes": ("Let op", "Notes"),
    "erasure.days_left": ("nog {count} dagen", "{count} days left"),
    "erasure.overdue": ("TE LAAT: {count} dagen over de termijn", "OVERDUE by {count} days"),
    "erasure.carried_out": ("uitgevoerd", "carried out"),
    "erasure.refused": ("geweigerd", "refused"),
    "erasure.not_statutory": ("geen Wmo/jeugd", "not Wmo/youth"),
    "erasure.on_hold": ("bewaarplicht", "legal hold"),
    "erasure.kept_for": ("ook: {names}", "also: {names}"),
    "erasure.none": ("Geen verzoeken om vernietiging.", "No erasure requests."),
    "erasure.carry_out": ("Uitvoeren", "Carry out"),
    "erasure.refuse": ("Weigeren", "Refuse"),
    "erasure.statement": ("verklaring nr. {number}", "statement no. {number}"),
    "erasure.new": ("Verzoek vastleggen", "Record a request"),
    "erasure.client_field": ("Cliënt-id of BSN", "Client id or BSN"),
    "erasure.received_field": ("Ontvangen op", "Received on"),
    "erasure.received_hint": (
        "De dag dat het verzoek binnenkwam; daarmee begint de termijn van drie maanden.",
        "The day the request came in; the three-month clock starts then.",
    ),
    "erasure.record": ("Vastleggen", "Record"),
    "erasure.recorded": (
        "Verzoek nr. {name} vastgelegd; uiterlijk {team} besluiten en uitvoeren.",
        "Request no. {name} recorded; decide and carry out by {team}.",
    ),
    "erasure.recorded_not_statutory": (
        "Verzoek nr. {name} vastgelegd; uiterlijk {team} besluiten. Let op: geen Wmo- of "
        "jeugddossier; de wettelijke bewaarplicht gaat meestal voor.",
        "Request no. {name} recorded; decide by {team}. Note: not a Wmo or youth file; the "
        "legal duty to keep it usually prevails.",
    ),
    "erasure.invalid_date": (
        "De datum van ontvangst klopt niet; schrijf hem als 22-11-2026 of kies hem in de kalender.",
        "The date received is not valid; write it as 22-11-2026 or pick it from the calendar.",
    ),
    "erasure.carry_out_title": ("Verzoek nr. {number} uitvoeren", "Carry out request no. {number}"),
    "erasure.carry_out_confirm": (
        "Het hele dossier van cliënt {client} wordt nu vernietigd, op de server en bij de "
        "volgende synchronisatie op elke laptop. Er komt een verklaring van vernietiging. Dit "
        "is niet terug te draaien.",
        "Client {client}'s whole file is destroyed now, on the server and at the next sync on "
        "every laptop. A destruction statement is written. This cannot be undone.",
    ),
    "erasure.carry_out_now": ("Dossier vernietigen", "Destroy the file"),
    "erasure.kept_warning": (
        "Het dossier bevat ook: {names}. Daarvoor geldt meestal een wettelijke bewaarplicht; "
        "weiger het verzoek als die voorgaat.",
        "The file also holds: {names}. A legal duty to keep it usually applies; refuse the "
        "request if it prevails.",
    ),
    "erasure.hold_warning": (
        "Voor deze cliënt geldt een bewaarplicht (legal hold). Hef die eerst op, of weiger "
        "het verzoek.",
        "A legal hold is in force for this client. Lift it first, or refuse the request.",
    ),
    "erasure.decided_already": (
        "Over dit verzoek is al besloten: {what}.",
        "This request has been decided already: {what}.",
    ),
    "erasure.refuse_title": ("Verzoek nr. {number} weigeren", "Refuse request no. {number}"),
    "erasure.reason": ("Reden van de weigering", "Reason for refusing"),
    "erasure.reason_hint": (
        "Welke wettelijke regel of welk belang zich verzet; hoogstens {count} tekens. De "
        "reden wordt vastgelegd bij het verzoek.",
        "Which legal rule or interest prevents it; at most {count} characters. The reason is "
        "recorded with the request.",
    ),
    "erasure.refuse_now": ("Verzoek weigeren", "Refuse the request"),
    "erasure.refused_now": (
        "Verzoek nr. {name} geweigerd; de reden is vastgelegd.",
        "Request no. {name} refused; the reason is recorded.",
    ),
    "erasure.done": (
        "Verzoek nr. {name} uitgevoerd: het dossier is vernietigd, verklaring nr. {count}.",
        "Request no. {name} carried out: the file was destroyed, statement no. {count}.",
    ),
    "erasure.back": ("Terug naar de verzoeken", "Back to the requests"),
    "statements.title": ("Verklaringen van vernietiging", "Destruction statements"),
    "statements.intro": (
        "Wat elke vernietiging wegnam, geteld per categorie en maand, zonder persoonsgegevens. "
        "Druk de verklaring af, laat hem tekenen en bewaar hem blijvend.",
        "What each destruction removed, counted per category and month, without personal "
        "data. Print the statement, have it signed and keep it for good.",
    ),
    "statements.number": ("Nr.", "No."),
    "statements.made": ("Opgemaakt", "Made"),
    "statements.kind": ("Grondslag", "Basis"),
    "statements.kind_retention": ("Bewaartermijn verstreken", "Retention period ended"),
    "statements.kind_erasure": ("Op verzoek van de cliënt", "At the client's request"),
    "statements.as_of": ("Peildatum", "As of"),
    "statements.by": ("Door", "By"),
    "statements.download": ("PDF", "PDF"),
    "statements.download_one": (
        "Verklaring nr. {number} als PDF",
        "Statement no. {number} as PDF",
    ),
    "statements.none": (
        "Nog geen verklaringen van vernietiging.",
        "No destruction statements yet.",
    ),
    # refusals of server.retention, by their code
    "error.unknown_client": (
        "Er is geen cliënt met dit id of BSN.",
        "There is no client with this id or BSN.",
    ),
    "error.client_destroyed": (
        "Het dossier van deze cliënt is al vernietigd.",
        "This client's file has been destroyed already.",
    ),
    "error.reason_required": ("Geef een reden.", "Give a reason."),
    "error.reason_too_long": (
        "De reden is langer dan 2000 tekens.",
        "The reason is longer than 2000 characters.",
    ),
    "error.hold_exists": (
        "Voor deze cliënt geldt al een bewaarplicht.",
        "A legal hold is in force for this client already.",
    ),
    "error.no_hold": (
        "Voor deze cliënt geldt geen bewaarplicht.",
        "No legal hold is in force for this client.",
    ),
    "error.received_in_future": (
        "De datum van ontvangst ligt in de toekomst.",
        "The date received is in the future.",
    ),
    "error.erasure_request_open": (
        "Voor deze cliënt loopt al een verzoek om vernietiging.",
        "An erasure request for this client is open already.",
    ),
    "error.unknown_request": (
        "Er is geen verzoek om vernietiging met dit nummer.",
        "There is no erasure request with this number.",
    ),
    "error.erasure_decided": (
        "Over dit verzoek is al besloten.",
        "This request has been decided already.",
    ),
    "error.legal_hold": (
        "Voor deze cliënt geldt een bewaarplicht (legal hold): hef die eerst op, of weiger het "
        "verzoek met de reden.",
        "A legal hold is in force for this client: lift it first, or refuse the request with "
        "the reason.",
    ),
    "error.unknown_statement": (
        "Er is geen verklaring van vernietiging met dit nummer.",
        "There is no destruction statement with this number.",
    ),
    # the council report
    "nav.council": ("Raadsinformatie", "Council figures"),
    "council.title": ("Raadsinformatie", "Figures for the councils"),
    "council.intro": (
        "De cijfers voor het informatieplatform van de gemeenteraden, per voormalige gemeente "
        "en voor Het Hogeland, voor een half jaar naast het half jaar ervoor. Er staan geen "
        "persoonsgegevens in: aantallen onder de 10 zijn weggelaten, de rest is afgerond op 5.",
        "The figures for the councils' information platform, per former municipality and for "
        "Het Hogeland, for a half year beside the one before it. They hold no personal data: "
        "counts below 10 are withheld, the others rounded to 5.",
    ),
    "council.period": ("Periode", "Period"),
    "council.period_hint": (
        "Een half jaar als JJJJ-H1 (januari t/m juni) of JJJJ-H2 (juli t/m december), zoals "
        "{first} of {second}. Een lopend half jaar wordt geteld tot en met vandaag.",
        "A half year as YYYY-H1 (January to June) or YYYY-H2 (July to December), like {first} "
        "or {second}. A running half year is counted up to today.",
    ),
    "council.municipality": ("Gemeente", "Municipality"),
    "council.all": (
        "{region} en alle vier voormalige gemeenten",
        "{region} and all four former municipalities",
    ),
    "council.download": ("Downloaden", "Download"),
    "council.pdf": ("PDF-rapport", "PDF report"),
    "council.sqlite": ("SQLite-bestand", "SQLite file"),
    "council.zip": ("Alles (zip)", "Everything (zip)"),
    "council.files_hint": (
        "Het PDF-rapport heeft bij elk cijfer een korte toelichting. Het SQLite-bestand heeft "
        "één tabel per cijfer. De zip bevat beide en metadata.json: open de map met Datasette "
        "om de cijfers te verkennen.",
        "The PDF report explains each figure briefly. The SQLite file has one table per "
        "figure. The zip holds both and metadata.json: open the folder with Datasette to "
        "explore the figures.",
    ),
    "council.invalid_period": (
        "Deze periode bestaat niet; schrijf JJJJ-H1 of JJJJ-H2, zoals 2026-H2 (1 juli t/m 31 "
        "december 2026).",
        "This is not a valid period; write YYYY-H1 or YYYY-H2, like 2026-H2 (1 July to 31 "
        "December 2026).",
    ),
    "council.future_period": (
        "Deze periode is nog niet begonnen; kies een half jaar dat al loopt of voorbij is.",
        "This period has not begun yet; choose a half year that is running or over.",
    ),
    "council.unknown_municipality": (
        "Kies een gemeente uit de lijst.",
        "Choose a municipality from the list.",
    ),
    "council.unknown_kind": ("Kies een van de bestanden.", "Choose one of the files."),
    "council.refused": (
        "Dat kon niet; er is niets gemaakt.",
        "That could not be done; nothing was made.",
    ),
    "confirm": ("Bevestigen", "Confirm"),
    "cancel": ("Annuleren", "Cancel"),
    "save": ("Opslaan", "Save"),
}


def translator(language: str) -> Callable[..., str]:
    index = 1 if language == "en" else 0

    def t(key: str, **values: object) -> str:
        pair = TEXT.get(key)
        text = key if pair is None else pair[index]
        return text.format(**values) if values else text

    return t


def error_text(nl: str, en: str, language: str) -> str:
    return en if language == "en" else nl
