<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="nl_NL">
<context>
    <name>AccountPage</name>
    <message>
        <source>Uw account</source>
        <translation>Your account</translation>
    </message>
    <message>
        <source>De gebruikersnaam en het wachtwoord die u van de centrale administratie kreeg.</source>
        <translation>The username and password you received from the central office.</translation>
    </message>
    <message>
        <source>&amp;Gebruikersnaam</source>
        <translation>&amp;Username</translation>
    </message>
    <message>
        <source>&amp;Wachtwoord</source>
        <translation>&amp;Password</translation>
    </message>
</context>
<context>
    <name>AttachmentTableModel</name>
    <message>
        <source>Naam</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Soort</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Grootte</source>
        <translation>Size</translation>
    </message>
    <message>
        <source>Afbeelding (%1)</source>
        <translation>Image (%1)</translation>
    </message>
</context>
<context>
    <name>AttachmentViewer</name>
    <message>
        <source>Dit soort bestand kan Veldwerk niet tonen.</source>
        <translation>Veldwerk cannot show this kind of file.</translation>
    </message>
    <message>
        <source>Inzoomen</source>
        <translation>Zoom in</translation>
    </message>
    <message>
        <source>Uitzoomen</source>
        <translation>Zoom out</translation>
    </message>
    <message>
        <source>Sluiten</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Deze afbeelding kan niet worden getoond.</source>
        <translation>This image cannot be shown.</translation>
    </message>
    <message>
        <source>Dit PDF-bestand kan niet worden getoond.</source>
        <translation>This PDF file cannot be shown.</translation>
    </message>
</context>
<context>
    <name>AttachmentsTab</name>
    <message>
        <source>&amp;Bijlagen</source>
        <translation>&amp;Attachments</translation>
    </message>
    <message>
        <source>Bijlagen</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <source>Bijlage &amp;toevoegen…</source>
        <translation>A&amp;dd attachment…</translation>
    </message>
    <message>
        <source>&amp;Openen</source>
        <translation>&amp;Open</translation>
    </message>
    <message>
        <source>Nog geen bijlagen. Voeg een scan of foto toe met %1.</source>
        <translation>No attachments yet. Add a scan or photo with %1.</translation>
    </message>
    <message>
        <source>Scans en foto&apos;s, hoogstens %1 per bijlage. Ze worden versleuteld bewaard.</source>
        <translation>Scans and photos, at most %1 per attachment. They are stored encrypted.</translation>
    </message>
    <message>
        <source>Bezig met de bijlage</source>
        <translation>Working on the attachment</translation>
    </message>
    <message>
        <source>Bijlage toevoegen</source>
        <translation>Add attachment</translation>
    </message>
    <message>
        <source>Scans en foto&apos;s (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.gif *.bmp *.webp)</source>
        <translation>Scans and photos (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.gif *.bmp *.webp)</translation>
    </message>
    <message>
        <source>Alle bestanden (*)</source>
        <translation>All files (*)</translation>
    </message>
</context>
<context>
    <name>CaseloadModel</name>
    <message>
        <source>Naam</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>BSN</source>
        <translation>BSN</translation>
    </message>
    <message>
        <source>Dorp</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>Regelingen</source>
        <translation>Schemes</translation>
    </message>
    <message>
        <source>Trede</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Laatste bezoek</source>
        <translation>Last visit</translation>
    </message>
    <message>
        <source>Volgende actie</source>
        <translation>Next action</translation>
    </message>
    <message>
        <source>Participatiewet</source>
        <translation>Participation Act</translation>
    </message>
    <message>
        <source>Wsw</source>
        <translation>Wsw</translation>
    </message>
    <message>
        <source>Wajong</source>
        <translation>Wajong</translation>
    </message>
    <message>
        <source>Inburgering</source>
        <translation>Civic integration</translation>
    </message>
    <message>
        <source>Kinderopvang</source>
        <translation>Childcare</translation>
    </message>
    <message>
        <source>Wmo</source>
        <translation>Wmo</translation>
    </message>
    <message>
        <source>Jeugd</source>
        <translation>Youth</translation>
    </message>
    <message>
        <source>Leerplicht/RMC</source>
        <translation>Compulsory education/RMC</translation>
    </message>
    <message>
        <source>Alleen de laatste drie cijfers worden getoond.</source>
        <translation>Only the last three digits are shown.</translation>
    </message>
    <message>
        <source>{village}, gemeente {municipality}</source>
        <translation>{village}, municipality of {municipality}</translation>
    </message>
    <message>
        <source>Trede {step}: {label}</source>
        <translation>Step {step}: {label}</translation>
    </message>
    <message>
        <source>{action} (achterstallig)</source>
        <translation>{action} (overdue)</translation>
    </message>
    <message>
        <source>BSN eindigend op {digits}</source>
        <translation>BSN ending in {digits}</translation>
    </message>
</context>
<context>
    <name>CaseloadPage</name>
    <message>
        <source>Geen cliënten gevonden bij deze zoekopdracht. Controleer de spelling, wis de zoekterm (Esc) of wis de filters (Alt+W).</source>
        <translation>No clients match this search. Check the spelling, clear the search (Esc) or clear the filters (Alt+W).</translation>
    </message>
    <message>
        <source>Er staan nog geen cliënten op dit apparaat. Synchroniseer op de pagina Synchronisatie om uw caseload op te halen.</source>
        <translation>There are no clients on this device yet. Sync on the Sync page to fetch your caseload.</translation>
    </message>
    <message>
        <source>Cliënten</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Zoek op naam, BSN, adres, postcode of dorp</source>
        <translation>Search by name, BSN, address, postcode or village</translation>
    </message>
    <message>
        <source>Zoeken in cliënten</source>
        <translation>Search clients</translation>
    </message>
    <message>
        <source>Zoeken</source>
        <translation>Search</translation>
    </message>
    <message>
        <source>Dossier openen</source>
        <translation>Open case file</translation>
    </message>
    <message>
        <source>Gemeente</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <source>Dorp</source>
        <translation>Village</translation>
    </message>
    <message>
        <source>Regeling</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <source>Trede</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Achterstallig bezoek</source>
        <translation>Overdue visit</translation>
    </message>
    <message>
        <source>Intake teruggestuurd</source>
        <translation>Intake returned</translation>
    </message>
    <message>
        <source>Filteren op gemeente</source>
        <translation>Filter by municipality</translation>
    </message>
    <message>
        <source>Filteren op dorp</source>
        <translation>Filter by village</translation>
    </message>
    <message>
        <source>Filteren op regeling</source>
        <translation>Filter by scheme</translation>
    </message>
    <message>
        <source>Filteren op trede van de participatieladder</source>
        <translation>Filter by participation ladder step</translation>
    </message>
    <message>
        <source>Alleen cliënten met een achterstallig huisbezoek</source>
        <translation>Only clients with an overdue home visit</translation>
    </message>
    <message>
        <source>Alleen cliënten met een teruggestuurde intake</source>
        <translation>Only clients with a returned intake</translation>
    </message>
    <message>
        <source>Filters wissen</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>Alle gemeenten</source>
        <translation>All municipalities</translation>
    </message>
    <message>
        <source>Alle dorpen</source>
        <translation>All villages</translation>
    </message>
    <message>
        <source>Alle regelingen</source>
        <translation>All schemes</translation>
    </message>
    <message>
        <source>Alle treden</source>
        <translation>All steps</translation>
    </message>
    <message>
        <source>Geen cliënten gevonden</source>
        <translation>No clients found</translation>
    </message>
    <message>
        <source>1 cliënt</source>
        <translation>1 client</translation>
    </message>
    <message>
        <source>{count} cliënten</source>
        <translation>{count} clients</translation>
    </message>
</context>
<context>
    <name>CodePage</name>
    <message>
        <source>Aanmeldcode</source>
        <translation>Enrollment code</translation>
    </message>
    <message>
        <source>De eenmalige code voor dit apparaat, van de centrale administratie (bijvoorbeeld ABCD-EFGH-JKLM).</source>
        <translation>The one-time code for this device, from the central office (for example ABCD-EFGH-JKLM).</translation>
    </message>
    <message>
        <source>&amp;Aanmeldcode</source>
        <translation>&amp;Enrollment code</translation>
    </message>
</context>
<context>
    <name>ConflictsPage</name>
    <message>
        <source>Conflicten</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Deze waarden van u zijn niet overgenomen op kantoor. Kies per veld welke waarde blijft, of vul een nieuwe in. Uw keuze wordt bij de volgende synchronisatie verstuurd.</source>
        <translation>These values of yours were not accepted at the office. For each field, choose which value stays, or enter a new one. Your choice is sent with the next sync.</translation>
    </message>
    <message>
        <source>&amp;Open conflicten</source>
        <translation>&amp;Open conflicts</translation>
    </message>
    <message>
        <source>Open conflicten</source>
        <translation>Open conflicts</translation>
    </message>
    <message>
        <source>Uw waarde</source>
        <translation>Your value</translation>
    </message>
    <message>
        <source>Waarde op kantoor</source>
        <translation>Office value</translation>
    </message>
    <message>
        <source>&amp;Mijn waarde behouden</source>
        <translation>Keep &amp;my value</translation>
    </message>
    <message>
        <source>Waarde van &amp;kantoor behouden</source>
        <translation>Keep o&amp;ffice value</translation>
    </message>
    <message>
        <source>&amp;Bewerken</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>Op&amp;slaan</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>&amp;Nieuwe waarde</source>
        <translation>&amp;New value</translation>
    </message>
    <message>
        <source>Nieuwe waarde</source>
        <translation>New value</translation>
    </message>
    <message>
        <source>Er zijn geen open conflicten; er is niets te doen. Vindt een synchronisatie een waarde die op kantoor anders is gewijzigd, dan verschijnt die hier.</source>
        <translation>There are no open conflicts; there is nothing to do. When a sync finds a value that was changed differently at the office, it appears here.</translation>
    </message>
    <message>
        <source>Annuleren</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Door {who} op {when}</source>
        <translation>By {who} on {when}</translation>
    </message>
    <message>
        <source>Op dit apparaat</source>
        <translation>On this device</translation>
    </message>
    <message>
        <source>Niet overgenomen; gezien bij de synchronisatie van {when}</source>
        <translation>Not accepted; seen during the sync of {when}</translation>
    </message>
    <message>
        <source>Gewijzigd op kantoor; gezien bij de synchronisatie van {when}</source>
        <translation>Changed at the office; seen during the sync of {when}</translation>
    </message>
    <message>
        <source>Uw waarde kan hier niet terugkomen; behoud de waarde van kantoor.</source>
        <translation>Your value cannot be restored here; keep the office value.</translation>
    </message>
    <message>
        <source>Een datum als 22-11-2026.</source>
        <translation>A date such as 22-11-2026.</translation>
    </message>
    <message>
        <source>Een geheel getal.</source>
        <translation>A whole number.</translation>
    </message>
    <message>
        <source>Ja of nee.</source>
        <translation>Yes or no.</translation>
    </message>
    <message>
        <source>Opgeslagen. Uw keuze wordt bij de volgende synchronisatie verstuurd.</source>
        <translation>Saved. Your choice is sent with the next sync.</translation>
    </message>
</context>
<context>
    <name>DossierPage</name>
    <message>
        <source>Kies een cliënt om het dossier te openen.</source>
        <translation>Choose a client to open their case file.</translation>
    </message>
    <message>
        <source>Overzicht</source>
        <translation>Overview</translation>
    </message>
    <message>
        <source>Huishouden</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>Bezoeken</source>
        <translation>Visits</translation>
    </message>
    <message>
        <source>Notities</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Bijlagen</source>
        <translation>Attachments</translation>
    </message>
    <message>
        <source>Historie</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Geen gezinsleden bekend. Gezinsleden worden op kantoor vastgelegd.</source>
        <translation>No household members known. Household members are recorded at the office.</translation>
    </message>
    <message>
        <source>Historie van dit dossier</source>
        <translation>History of this case file</translation>
    </message>
    <message>
        <source>Nog niets vastgelegd in de historie van dit dossier.</source>
        <translation>Nothing has been recorded in this dossier&apos;s history yet.</translation>
    </message>
    <message>
        <source>Dossier laden</source>
        <translation>Loading the case file</translation>
    </message>
    <message>
        <source>Dossier laden…</source>
        <translation>Loading the case file…</translation>
    </message>
    <message>
        <source>Huishouden: 1 persoon</source>
        <translation>Household: 1 person</translation>
    </message>
    <message>
        <source>Huishouden: %1 personen</source>
        <translation>Household: %1 people</translation>
    </message>
    <message>
        <source>%1 jaar</source>
        <translation>%1 years</translation>
    </message>
    <message>
        <source>Geen lopende regeling</source>
        <translation>No current scheme</translation>
    </message>
</context>
<context>
    <name>EnrollPage</name>
    <message>
        <source>Aanmelden</source>
        <translation>Enroll</translation>
    </message>
    <message>
        <source>Voortgang van de aanmelding</source>
        <translation>Enrollment progress</translation>
    </message>
    <message>
        <source>Bezig met aanmelden</source>
        <translation>Enrolling</translation>
    </message>
    <message>
        <source>Dit apparaat wordt aangemeld bij de centrale server.</source>
        <translation>This device is being enrolled with the central server.</translation>
    </message>
    <message>
        <source>Bezig met aanmelden en het beveiligen van uw profiel. Dit kan enkele seconden duren.</source>
        <translation>Enrolling and securing your profile. This may take a few seconds.</translation>
    </message>
    <message>
        <source>Dit apparaat is aangemeld.</source>
        <translation>This device is enrolled.</translation>
    </message>
</context>
<context>
    <name>EnrollWizard</name>
    <message>
        <source>Apparaat aanmelden</source>
        <translation>Enroll device</translation>
    </message>
    <message>
        <source>&amp;Volgende &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <source>&lt; &amp;Vorige</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <source>&amp;Voltooien</source>
        <translation>&amp;Finish</translation>
    </message>
    <message>
        <source>Annuleren</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Profiel {name} ({role}) is aangemaakt. Kies Voltooien en synchroniseer om uw dossiers op te halen.</source>
        <translation>Profile {name} ({role}) has been created. Choose Finish, then sync to fetch your case files.</translation>
    </message>
    <message>
        <source>De gebruikersnaam, het wachtwoord of de aanmeldcode is onjuist. Een aanmeldcode werkt één keer en verloopt; vraag zo nodig de centrale administratie om een nieuwe code.</source>
        <translation>The username, password or enrollment code is incorrect. An enrollment code works once and expires; if needed, ask the central office for a new code.</translation>
    </message>
    <message>
        <source>Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw.</source>
        <translation>Too many failed attempts. Wait a quarter of an hour, then try again.</translation>
    </message>
    <message>
        <source>De server is niet bereikbaar. Controleer het serveradres en de internetverbinding en probeer het opnieuw. Er is niets aangemaakt.</source>
        <translation>The server cannot be reached. Check the server address and the internet connection, then try again. Nothing has been created.</translation>
    </message>
    <message>
        <source>Controleer het serveradres. Gebruikt uw organisatie een eigen certificaatautoriteit, kies dan het CA-bestand dat u van de centrale administratie kreeg.</source>
        <translation>Check the server address. If your organisation uses its own certificate authority, choose the CA file you received from the central office.</translation>
    </message>
    <message>
        <source>Op dit adres antwoordt geen Veldwerk-server. Controleer het serveradres.</source>
        <translation>No Veldwerk server answers at this address. Check the server address.</translation>
    </message>
</context>
<context>
    <name>EnrollmentTableModel</name>
    <message>
        <source>Regeling</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <source>Begin</source>
        <translation>Start</translation>
    </message>
    <message>
        <source>Einde</source>
        <translation>End</translation>
    </message>
    <message>
        <source>Toestemming</source>
        <translation>Consent</translation>
    </message>
    <message>
        <source>Ja, sinds %1</source>
        <translation>Yes, since %1</translation>
    </message>
    <message>
        <source>Nee</source>
        <translation>No</translation>
    </message>
</context>
<context>
    <name>HistoryTableModel</name>
    <message>
        <source>Wanneer</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Wie</source>
        <translation>Who</translation>
    </message>
    <message>
        <source>Wat</source>
        <translation>What</translation>
    </message>
</context>
<context>
    <name>HouseholdTableModel</name>
    <message>
        <source>Relatie</source>
        <translation>Relationship</translation>
    </message>
    <message>
        <source>Naam</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Geboortedatum</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>Leeftijd</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>BSN</source>
        <translation>BSN</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Instellingen</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Sneltoetsen</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Taal niet gewijzigd</source>
        <translation>Language not changed</translation>
    </message>
    <message>
        <source>De vertaling is niet gevonden; de installatie is onvolledig. Neem contact op met de functioneel beheerder.</source>
        <translation>The translation was not found; the installation is incomplete. Please contact the application administrator.</translation>
    </message>
    <message>
        <source>Apparaat ingetrokken</source>
        <translation>Device revoked</translation>
    </message>
    <message>
        <source>Dit apparaat is door de centrale administratie ingetrokken. De gegevens op dit apparaat zijn gewist.</source>
        <translation>The central office has revoked this device. The data on this device has been erased.</translation>
    </message>
    <message>
        <source>Synchroniseren mislukt</source>
        <translation>Sync failed</translation>
    </message>
</context>
<context>
    <name>NotesTab</name>
    <message>
        <source>&amp;Notities</source>
        <translation>&amp;Notes</translation>
    </message>
    <message>
        <source>Notities</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>Nieu&amp;we notitie</source>
        <translation>Ne&amp;w note</translation>
    </message>
    <message>
        <source>Nog geen notities. Schrijf een notitie met %1.</source>
        <translation>No notes yet. Write a note with %1.</translation>
    </message>
    <message>
        <source>Notitie</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Typ hier uw notitie. Wat u typt, wordt meteen bewaard.</source>
        <translation>Type your note here. What you type is saved at once.</translation>
    </message>
    <message>
        <source>Nieuwe notitie</source>
        <translation>New note</translation>
    </message>
    <message>
        <source>Notitie van %1, %2 (alleen lezen)</source>
        <translation>Note by %1, %2 (read only)</translation>
    </message>
    <message>
        <source>Notitie van %1, %2</source>
        <translation>Note by %1, %2</translation>
    </message>
</context>
<context>
    <name>OverviewTab</name>
    <message>
        <source>Persoonsgegevens</source>
        <translation>Personal details</translation>
    </message>
    <message>
        <source>Naam</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Adres</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Contact</translation>
    </message>
    <message>
        <source>Geen regelingen bekend. Regelingen en toestemming worden op kantoor vastgelegd.</source>
        <translation>No schemes known. Schemes and consent are recorded at the office.</translation>
    </message>
    <message>
        <source>&amp;Regelingen en toestemming</source>
        <translation>&amp;Schemes and consent</translation>
    </message>
    <message>
        <source>Regelingen en toestemming</source>
        <translation>Schemes and consent</translation>
    </message>
</context>
<context>
    <name>PassphrasePage</name>
    <message>
        <source>Wachtwoordzin</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Met deze wachtwoordzin opent u Veldwerk op dit apparaat. Het is iets anders dan uw wachtwoord voor de server.</source>
        <translation>With this passphrase you open Veldwerk on this device. It is not the same as your password for the server.</translation>
    </message>
    <message>
        <source>Nieuwe &amp;wachtwoordzin</source>
        <translation>New &amp;passphrase</translation>
    </message>
    <message>
        <source>&amp;Herhaal de wachtwoordzin</source>
        <translation>&amp;Repeat the passphrase</translation>
    </message>
    <message>
        <source>Sterkte van de wachtwoordzin</source>
        <translation>Passphrase strength</translation>
    </message>
    <message>
        <source>Minstens {length} tekens. Een paar woorden achter elkaar is sterk en goed te onthouden.</source>
        <translation>At least {length} characters. A few words in a row are strong and easy to remember.</translation>
    </message>
    <message>
        <source>De wachtwoordzin is te kort: minstens {length} tekens.</source>
        <translation>The passphrase is too short: at least {length} characters.</translation>
    </message>
    <message>
        <source>Kies een sterkere wachtwoordzin, bijvoorbeeld een paar woorden.</source>
        <translation>Choose a stronger passphrase, for example a few words.</translation>
    </message>
    <message>
        <source>Kies een andere wachtwoordzin dan uw wachtwoord voor de server.</source>
        <translation>Choose a passphrase that differs from your password for the server.</translation>
    </message>
    <message>
        <source>De twee wachtwoordzinnen zijn niet gelijk.</source>
        <translation>The two passphrases do not match.</translation>
    </message>
    <message>
        <source>Sterkte: {label}</source>
        <translation>Strength: {label}</translation>
    </message>
</context>
<context>
    <name>ProfileListModel</name>
    <message>
        <source>gewist</source>
        <translation>erased</translation>
    </message>
    <message>
        <source>laatst gesynchroniseerd {moment}</source>
        <translation>last synced {moment}</translation>
    </message>
    <message>
        <source>aangemaakt op {date}</source>
        <translation>created on {date}</translation>
    </message>
</context>
<context>
    <name>SavedHint</name>
    <message>
        <source>Opgeslagen</source>
        <translation>Saved</translation>
    </message>
</context>
<context>
    <name>ServerPage</name>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Het adres van de centrale Veldwerk-server van uw organisatie.</source>
        <translation>The address of your organisation&apos;s central Veldwerk server.</translation>
    </message>
    <message>
        <source>&amp;Serveradres</source>
        <translation>&amp;Server address</translation>
    </message>
    <message>
        <source>&amp;CA-bestand (alleen bij een eigen certificaatautoriteit)</source>
        <translation>&amp;CA file (only with your own certificate authority)</translation>
    </message>
    <message>
        <source>Niet nodig bij een gewoon certificaat</source>
        <translation>Not needed with an ordinary certificate</translation>
    </message>
    <message>
        <source>&amp;Bladeren…</source>
        <translation>&amp;Browse…</translation>
    </message>
    <message>
        <source>CA-bestand kiezen</source>
        <translation>Choose CA file</translation>
    </message>
    <message>
        <source>Fout bij de server</source>
        <translation>Server error</translation>
    </message>
    <message>
        <source>Het serveradres moet met https:// beginnen, bijvoorbeeld {example}.</source>
        <translation>The server address must start with https://, for example {example}.</translation>
    </message>
    <message>
        <source>Het gekozen CA-bestand bestaat niet.</source>
        <translation>The chosen CA file does not exist.</translation>
    </message>
    <message>
        <source>Certificaten (*.pem *.crt *.cer);;Alle bestanden (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Instellingen</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>&amp;Taal</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>&amp;Weergave</source>
        <translation>&amp;Appearance</translation>
    </message>
    <message>
        <source>Automatisch &amp;vergrendelen na</source>
        <translation>Automatically loc&amp;k after</translation>
    </message>
    <message>
        <source>Systeem</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Licht</source>
        <translation>Light</translation>
    </message>
    <message>
        <source>Donker</source>
        <translation>Dark</translation>
    </message>
    <message>
        <source> minuten</source>
        <translation> minutes</translation>
    </message>
    <message>
        <source>Na deze tijd zonder muis of toetsenbord wordt het venster vergrendeld.</source>
        <translation>After this time without mouse or keyboard input the window locks.</translation>
    </message>
    <message>
        <source>De taal van het venster</source>
        <translation>The language of the window</translation>
    </message>
    <message>
        <source>Licht of donker</source>
        <translation>Light or dark</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Sneltoetsen</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Toets</source>
        <translation>Key</translation>
    </message>
    <message>
        <source>Actie</source>
        <translation>Action</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Synchronisatie</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>Dit apparaat heeft te lang niet gesynchroniseerd. Synchroniseer nu om weer met de dossiers te kunnen werken.</source>
        <translation>This device has not synced for too long. Sync now to work with the case files again.</translation>
    </message>
    <message>
        <source>Stand van zaken</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>&amp;Nu synchroniseren</source>
        <translation>&amp;Sync now</translation>
    </message>
    <message>
        <source>Voortgang van de synchronisatie</source>
        <translation>Sync progress</translation>
    </message>
    <message>
        <source>Laatste synchronisatie</source>
        <translation>Last sync</translation>
    </message>
    <message>
        <source>Nog niet gesynchroniseerd sinds het ontgrendelen.</source>
        <translation>Not synced since unlocking.</translation>
    </message>
    <message>
        <source>Synchroniseren stoppen</source>
        <translation>Stop syncing</translation>
    </message>
    <message>
        <source>Annuleren</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Verstuurd</source>
        <translation>Sent</translation>
    </message>
    <message>
        <source>Ontvangen</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Samengevoegd</source>
        <translation>Merged</translation>
    </message>
    <message>
        <source>Conflicten</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Geweigerd</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>Van dit apparaat verwijderd</source>
        <translation>Removed from this device</translation>
    </message>
    <message>
        <source>Geen wijzigingen in de wachtrij</source>
        <translation>No pending changes</translation>
    </message>
    <message>
        <source>1 wijziging in de wachtrij</source>
        <translation>1 pending change</translation>
    </message>
    <message>
        <source>{count} wijzigingen in de wachtrij</source>
        <translation>{count} pending changes</translation>
    </message>
    <message>
        <source>Laatst gesynchroniseerd {when}</source>
        <translation>Last synced {when}</translation>
    </message>
    <message>
        <source>Nog nooit gesynchroniseerd</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>Server: {url}</source>
        <translation>Server: {url}</translation>
    </message>
    <message>
        <source>Dit profiel is niet aan een server gekoppeld.</source>
        <translation>This profile is not linked to a server.</translation>
    </message>
    <message>
        <source>Geen open conflicten</source>
        <translation>No open conflicts</translation>
    </message>
    <message>
        <source>1 open conflict</source>
        <translation>1 open conflict</translation>
    </message>
    <message>
        <source>{count} open conflicten</source>
        <translation>{count} open conflicts</translation>
    </message>
    <message>
        <source>Nog 1 dag offline werken mogelijk</source>
        <translation>1 more day of offline work possible</translation>
    </message>
    <message>
        <source>Nog {days} dagen offline werken mogelijk</source>
        <translation>{days} more days of offline work possible</translation>
    </message>
    <message>
        <source>Dit profiel is niet aan een server gekoppeld; synchroniseren kan niet.</source>
        <translation>This profile is not linked to a server; it cannot sync.</translation>
    </message>
    <message>
        <source>Synchroniseren wordt gestopt…</source>
        <translation>Stopping the sync…</translation>
    </message>
    <message>
        <source>De server antwoordt niet. U kunt wachten of het synchroniseren stoppen (Esc); uw wijzigingen blijven bewaard.</source>
        <translation>The server does not answer. You can wait or stop the sync (Esc); your changes are kept.</translation>
    </message>
    <message>
        <source>Verbinden met de server…</source>
        <translation>Connecting to the server…</translation>
    </message>
    <message>
        <source>Wijzigingen versturen: {done} van {total}</source>
        <translation>Sending changes: {done} of {total}</translation>
    </message>
    <message>
        <source>Bijlagen: {done} van {total}</source>
        <translation>Attachments: {done} of {total}</translation>
    </message>
    <message>
        <source>Gegevens ophalen: {done} ontvangen</source>
        <translation>Fetching data: {done} received</translation>
    </message>
    <message>
        <source>Synchroniseren is gestopt. Uw wijzigingen blijven bewaard.</source>
        <translation>Sync was stopped. Your changes are kept.</translation>
    </message>
    <message>
        <source>Dit apparaat is nog nooit gesynchroniseerd. Kies Nu synchroniseren ({key}) om uw wijzigingen te versturen en de gegevens van kantoor op te halen.</source>
        <translation>This device has never synced. Choose Sync now ({key}) to send your changes and fetch the office&apos;s data.</translation>
    </message>
    <message>
        <source>Om {when}</source>
        <translation>At {when}</translation>
    </message>
    <message>
        <source>Alle gegevens zijn opnieuw opgehaald.</source>
        <translation>All data has been fetched again.</translation>
    </message>
</context>
<context>
    <name>TodayPage</name>
    <message>
        <source>Vandaag</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Vandaag, {day}</source>
        <translation>Today, {day}</translation>
    </message>
    <message>
        <source>Er staan vandaag geen huisbezoeken gepland. Een bezoek plant u in het dossier van de cliënt, op het tabblad Bezoeken.</source>
        <translation>No home visits are planned for today. You plan a visit in the client&apos;s case file, on the Visits tab.</translation>
    </message>
    <message>
        <source>Alle huisbezoeken van vandaag tonen (nog {count})</source>
        <translation>Show all of today&apos;s home visits ({count} more)</translation>
    </message>
    <message>
        <source>Achterstallig</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <source>Achterstallig ({count})</source>
        <translation>Overdue ({count})</translation>
    </message>
    <message>
        <source>Er is niets achterstallig.</source>
        <translation>Nothing is overdue.</translation>
    </message>
    <message>
        <source>Toon alle {count}</source>
        <translation>Show all {count}</translation>
    </message>
    <message>
        <source>Meer tonen (nog {count})</source>
        <translation>Show more ({count} more)</translation>
    </message>
    <message>
        <source>Minder tonen</source>
        <translation>Show fewer</translation>
    </message>
    <message>
        <source>Huisbezoeken niet vastgelegd ({count})</source>
        <translation>Home visits not recorded ({count})</translation>
    </message>
    <message>
        <source>Acties uit het plan van aanpak over datum ({count})</source>
        <translation>Client plan actions overdue ({count})</translation>
    </message>
    <message>
        <source>Intakes teruggestuurd ({count})</source>
        <translation>Intakes returned ({count})</translation>
    </message>
    <message>
        <source>Plan van aanpak openen</source>
        <translation>Open the client plan</translation>
    </message>
    <message>
        <source>Intake openen</source>
        <translation>Open the intake</translation>
    </message>
    <message>
        <source>Bezoeken in het dossier openen</source>
        <translation>Open the visits in the case file</translation>
    </message>
    <message>
        <source>Sinds {since}, 1 dag</source>
        <translation>Since {since}, 1 day</translation>
    </message>
    <message>
        <source>Sinds {since}, {days} dagen</source>
        <translation>Since {since}, {days} days</translation>
    </message>
    <message>
        <source>Achterstallig: {title}, {client}, {detail}, {late}</source>
        <translation>Overdue: {title}, {client}, {detail}, {late}</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <source>Ontgrendelen</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>Kies uw profiel en vul uw wachtwoordzin in.</source>
        <translation>Choose your profile and enter your passphrase.</translation>
    </message>
    <message>
        <source>&amp;Profiel</source>
        <translation>P&amp;rofile</translation>
    </message>
    <message>
        <source>Profielen op dit apparaat</source>
        <translation>Profiles on this device</translation>
    </message>
    <message>
        <source>Er is nog geen profiel op dit apparaat. Meld dit apparaat aan bij de centrale server om te beginnen.</source>
        <translation>There is no profile on this device yet. Enroll this device with the central server to begin.</translation>
    </message>
    <message>
        <source>&amp;Wachtwoordzin</source>
        <translation>&amp;Passphrase</translation>
    </message>
    <message>
        <source>Wachtwoordzin</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Melding</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Wachttijd</source>
        <translation>Waiting time</translation>
    </message>
    <message>
        <source>Bezig met ontgrendelen</source>
        <translation>Unlocking</translation>
    </message>
    <message>
        <source>Nu synchroniseren</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Nieuw profiel / apparaat aanmelden</source>
        <translation>Enroll a new profile / device</translation>
    </message>
    <message>
        <source>Eerst synchroniseren, daarna ontgrendelen ({key})</source>
        <translation>Sync first, then unlock ({key})</translation>
    </message>
    <message>
        <source>Vul uw wachtwoordzin in.</source>
        <translation>Enter your passphrase.</translation>
    </message>
    <message>
        <source>Te veel mislukte pogingen.</source>
        <translation>Too many failed attempts.</translation>
    </message>
    <message>
        <source>Wachtwoordzin onjuist. Nog 1 poging.</source>
        <translation>Incorrect passphrase. 1 attempt left.</translation>
    </message>
    <message>
        <source>Wachtwoordzin onjuist. Nog {count} pogingen.</source>
        <translation>Incorrect passphrase. {count} attempts left.</translation>
    </message>
    <message>
        <source>Daarna wordt dit profiel van dit apparaat gewist.</source>
        <translation>After that, this profile will be erased from this device.</translation>
    </message>
    <message>
        <source>Probeer het over 1 seconde opnieuw.</source>
        <translation>Try again in 1 second.</translation>
    </message>
    <message>
        <source>Probeer het over {seconds} seconden opnieuw.</source>
        <translation>Try again in {seconds} seconds.</translation>
    </message>
</context>
<context>
    <name>VisitTableModel</name>
    <message>
        <source>Datum</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Tijd</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Soort</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Uitkomst</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>%1, achterstallig</source>
        <translation>%1, overdue</translation>
    </message>
</context>
<context>
    <name>VisitsTab</name>
    <message>
        <source>&amp;Huisbezoeken</source>
        <translation>&amp;Home visits</translation>
    </message>
    <message>
        <source>Huisbezoeken</source>
        <translation>Home visits</translation>
    </message>
    <message>
        <source>&amp;Nieuw huisbezoek</source>
        <translation>&amp;New home visit</translation>
    </message>
    <message>
        <source>Huisbezoek</source>
        <translation>Home visit</translation>
    </message>
    <message>
        <source>&amp;Datum</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <source>&amp;Tijd</source>
        <translation>&amp;Time</translation>
    </message>
    <message>
        <source>Wettelijke grondslag (handhaving)</source>
        <translation>Legal basis (enforcement)</translation>
    </message>
    <message>
        <source>Gegeven</source>
        <translation>Given</translation>
    </message>
    <message>
        <source>Geweigerd</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>Kies…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>&amp;Plannen</source>
        <translation>&amp;Plan</translation>
    </message>
    <message>
        <source>&amp;Vastleggen</source>
        <translation>R&amp;ecord</translation>
    </message>
    <message>
        <source>Niet thu&amp;is</source>
        <translation>Not at ho&amp;me</translation>
    </message>
    <message>
        <source>Bezoek annul&amp;eren</source>
        <translation>Cance&amp;l visit</translation>
    </message>
    <message>
        <source>Niet vastgelegde invoer is teruggezet.</source>
        <translation>What was typed but not recorded has been put back.</translation>
    </message>
    <message>
        <source>Nieuw huisbezoek: plan het, of leg een bezoek vast dat net is geweest.</source>
        <translation>New home visit: plan it, or record a visit that has just taken place.</translation>
    </message>
    <message>
        <source>Nog geen huisbezoeken. Plan een bezoek of leg er een vast met %1.</source>
        <translation>No home visits yet. Plan a visit or record one with %1.</translation>
    </message>
    <message>
        <source>Gepland huisbezoek van %1.</source>
        <translation>Home visit planned for %1.</translation>
    </message>
    <message>
        <source>Huisbezoek van %1: %2.</source>
        <translation>Home visit on %1: %2.</translation>
    </message>
    <message>
        <source>Kies of de cliënt toestemming gaf om binnen te komen.</source>
        <translation>Choose whether the client consented to entry.</translation>
    </message>
    <message>
        <source>Bij een handhavingsbezoek moet u zich legitimeren en het doel noemen.</source>
        <translation>On an enforcement visit you must show identification and state the purpose.</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <source>Navigatie</source>
        <translation>Navigation</translation>
    </message>
    <message>
        <source>Vandaag</source>
        <translation>Today</translation>
    </message>
    <message>
        <source>Cliënten</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>Synchronisatie</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>Conflicten</source>
        <translation>Conflicts</translation>
    </message>
    <message>
        <source>Naar %1</source>
        <translation>Go to %1</translation>
    </message>
    <message>
        <source>Synchroniseren stoppen</source>
        <translation>Stop syncing</translation>
    </message>
    <message>
        <source>Verbinding onbekend</source>
        <translation>Connection unknown</translation>
    </message>
    <message>
        <source>Conflicten oplossen</source>
        <translation>Resolve conflicts</translation>
    </message>
    <message>
        <source>Nu synchroniseren</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Instellingen</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Vergrendelen</source>
        <translation>Lock</translation>
    </message>
    <message>
        <source>Terug</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>1 wijziging in de wachtrij</source>
        <translation>1 pending change</translation>
    </message>
    <message numerus="yes">
        <source>%n wijzigingen in de wachtrij</source>
        <translation>
            <numerusform>%n pending change</numerusform>
            <numerusform>%n pending changes</numerusform>
        </translation>
    </message>
    <message>
        <source>Laatst gesynchroniseerd %1</source>
        <translation>Last synced %1</translation>
    </message>
    <message>
        <source>Nog niet gesynchroniseerd</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>Conflicten: %1</source>
        <translation>Conflicts: %1</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Server antwoordt niet</source>
        <translation>Server not answering</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>Er ging iets mis. Uw werk is bewaard; probeer het opnieuw.</source>
        <translation>Something went wrong. Your work has been saved; please try again.</translation>
    </message>
</context>
<context>
    <name>operations</name>
    <message>
        <source>Dat is niet gelukt</source>
        <translation>That did not work</translation>
    </message>
</context>
<context>
    <name>passphrase_strength</name>
    <message>
        <source>Zeer zwak</source>
        <translation>Very weak</translation>
    </message>
    <message>
        <source>Zwak</source>
        <translation>Weak</translation>
    </message>
    <message>
        <source>Redelijk</source>
        <translation>Fair</translation>
    </message>
    <message>
        <source>Sterk</source>
        <translation>Strong</translation>
    </message>
    <message>
        <source>Zeer sterk</source>
        <translation>Very strong</translation>
    </message>
</context>
</TS>
