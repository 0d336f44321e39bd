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
    <name>ActionDialog</name>
    <message>
        <source>Actie toevoegen</source>
        <translation>Add action</translation>
    </message>
    <message>
        <source>Actie wijzigen</source>
        <translation>Edit action</translation>
    </message>
    <message>
        <source>&amp;Wat</source>
        <translation>&amp;What</translation>
    </message>
    <message>
        <source>Wat gaat er gebeuren?</source>
        <translation>What is going to happen?</translation>
    </message>
    <message>
        <source>W&amp;ie</source>
        <translation>W&amp;ho</translation>
    </message>
    <message>
        <source>Partnerorganisatie</source>
        <translation>Partner organisation</translation>
    </message>
    <message>
        <source>&amp;Naam organisatie</source>
        <translation>Organisation &amp;name</translation>
    </message>
    <message>
        <source>Bijvoorbeeld Schuldhulp Noord-Groningen</source>
        <translation>For example Schuldhulp Noord-Groningen</translation>
    </message>
    <message>
        <source>Wann&amp;eer</source>
        <translation>Wh&amp;en</translation>
    </message>
    <message>
        <source>&amp;Status</source>
        <translation>S&amp;tatus</translation>
    </message>
    <message>
        <source>Dit plan is ondertekend: alleen de status van de actie verandert hier. Voor een andere afspraak maakt u een nieuwe versie.</source>
        <translation>This plan has been signed: only the status of the action can change here. For a different agreement, make a new version.</translation>
    </message>
    <message>
        <source>&amp;Toevoegen</source>
        <translation>&amp;Add</translation>
    </message>
    <message>
        <source>&amp;Opslaan</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>Annuleren</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Beschrijf de actie.</source>
        <translation>Describe the action.</translation>
    </message>
    <message>
        <source>Welke organisatie voert de actie uit?</source>
        <translation>Which organisation carries out the action?</translation>
    </message>
</context>
<context>
    <name>ActionTableModel</name>
    <message>
        <source>Klantmanager</source>
        <translation>Caseworker</translation>
    </message>
    <message>
        <source>Cliënt</source>
        <translation>Client</translation>
    </message>
</context>
<context>
    <name>ActionsPane</name>
    <message>
        <source>Actie toevoegen</source>
        <translation>Add action</translation>
    </message>
    <message>
        <source>Wijzigen…</source>
        <translation>Edit…</translation>
    </message>
    <message>
        <source>Verwijderen</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Omhoog</source>
        <translation>Move up</translation>
    </message>
    <message>
        <source>Omlaag</source>
        <translation>Move down</translation>
    </message>
    <message>
        <source>Acties</source>
        <translation>Actions</translation>
    </message>
    <message>
        <source>Status bijwerken: F2 op de status</source>
        <translation>Update the status: F2 on the status</translation>
    </message>
    <message>
        <source>Nog geen acties. Voeg een actie toe met %1.</source>
        <translation>No actions yet. Add an action with %1.</translation>
    </message>
    <message>
        <source>Geen acties in deze versie.</source>
        <translation>No actions in this version.</translation>
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
        <source>Termijn</source>
        <translation>Term</translation>
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
        <source>vandaag</source>
        <translation>today</translation>
    </message>
    <message>
        <source>nog 1 dag</source>
        <translation>1 day left</translation>
    </message>
    <message>
        <source>nog {count} dagen</source>
        <translation>{count} days left</translation>
    </message>
    <message>
        <source>1 dag te laat</source>
        <translation>1 day overdue</translation>
    </message>
    <message>
        <source>{count} dagen te laat</source>
        <translation>{count} days overdue</translation>
    </message>
    <message>
        <source>{term}: {status}, uiterlijk {due} ({source})</source>
        <translation>{term}: {status}, due by {due} ({source})</translation>
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
        <source>Termijn loopt af</source>
        <translation>Term due</translation>
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
        <source>Alleen cliënten met een wettelijke termijn die verstreken is of binnen {days} dagen afloopt</source>
        <translation>Only clients with a statutory term that has passed or ends within {days} days</translation>
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
    <name>ChangeTableModel</name>
    <message>
        <source>Actie toegevoegd</source>
        <translation>Action added</translation>
    </message>
    <message>
        <source>Actie vervallen</source>
        <translation>Action removed</translation>
    </message>
    <message>
        <source>Actie gewijzigd</source>
        <translation>Action changed</translation>
    </message>
    <message>
        <source>Wat</source>
        <translation>What</translation>
    </message>
    <message>
        <source>Was</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>Nu</source>
        <translation>Now</translation>
    </message>
</context>
<context>
    <name>ChangesList</name>
    <message>
        <source>%1
Was: %2
Nu: %3</source>
        <translation>%1
Was: %2
Now: %3</translation>
    </message>
    <message>
        <source>&amp;Wat is er veranderd sinds ronde %1</source>
        <translation>&amp;What has changed since round %1</translation>
    </message>
    <message>
        <source>Wat is er veranderd sinds ronde %1</source>
        <translation>What has changed since round %1</translation>
    </message>
    <message>
        <source>Naar het veld in het formulier</source>
        <translation>Go to the field in the form</translation>
    </message>
    <message>
        <source>Er is niets veranderd sinds ronde %1.</source>
        <translation>Nothing has changed since round %1.</translation>
    </message>
</context>
<context>
    <name>CodePage</name>
    <message>
        <source>Koppelcode</source>
        <translation>Enrollment code</translation>
    </message>
    <message>
        <source>De eenmalige code voor dit apparaat, van de centrale administratie (bijvoorbeeld ABCD-EFGH-JKLM).</source>
        <translation>The one-time code for this device, from the central office (for example ABCD-EFGH-JKLM).</translation>
    </message>
    <message>
        <source>&amp;Koppelcode</source>
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
    <name>DateField</name>
    <message>
        <source>dd-mm-jjjj</source>
        <translation>dd-mm-yyyy</translation>
    </message>
    <message>
        <source>Kalender (Alt+Omlaag)</source>
        <translation>Calendar (Alt+Down)</translation>
    </message>
    <message>
        <source>Kalender</source>
        <translation>Calendar</translation>
    </message>
    <message>
        <source>Vul een datum in als dd-mm-jjjj, bijvoorbeeld 12-03-2026.</source>
        <translation>Enter a date as dd-mm-yyyy, for example 12-03-2026.</translation>
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
        <source>Intake</source>
        <translation>Intake</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Plan</translation>
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
        <source>&lt; V&amp;orige</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <source>De gebruikersnaam, het wachtwoord of de koppelcode is onjuist. Een koppelcode werkt één keer en verloopt; vraag zo nodig de centrale administratie om een nieuwe code.</source>
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
        <source>Uitkomst</source>
        <translation>Outcome</translation>
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
    <name>GoalsEditor</name>
    <message>
        <source>Doel toe&amp;voegen</source>
        <translation>A&amp;dd goal</translation>
    </message>
    <message>
        <source>Doel verwi&amp;jderen</source>
        <translation>Dele&amp;te goal</translation>
    </message>
    <message>
        <source>Doelen</source>
        <translation>Goals</translation>
    </message>
    <message>
        <source>Insert voegt een doel toe, Delete verwijdert het, F2 wijzigt het.</source>
        <translation>Insert adds a goal, Delete removes it, F2 edits it.</translation>
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
    <name>IntakeForm</name>
    <message>
        <source>Nog niet gescoord</source>
        <translation>Not scored yet</translation>
    </message>
    <message>
        <source>Nog niet gekozen</source>
        <translation>Not chosen yet</translation>
    </message>
    <message>
        <source>Ja</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>Nee</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Nog niet gevraagd</source>
        <translation>Not asked yet</translation>
    </message>
    <message>
        <source>Niet beoordeeld</source>
        <translation>Not assessed</translation>
    </message>
    <message>
        <source>Onbekend</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>Geen lopende regeling: er is geen toestemming nodig.</source>
        <translation>No current scheme: no consent is needed.</translation>
    </message>
    <message>
        <source>Toelichting</source>
        <translation>Explanation</translation>
    </message>
    <message>
        <source>Gewijzigd sinds de vorige ronde</source>
        <translation>Changed since the previous round</translation>
    </message>
</context>
<context>
    <name>IntakeTab</name>
    <message>
        <source>Intake &amp;starten</source>
        <translation>Start &amp;intake</translation>
    </message>
    <message>
        <source>&amp;Indienen</source>
        <translation>&amp;Submit</translation>
    </message>
    <message>
        <source>Wmo-verslag…</source>
        <translation>Wmo report…</translation>
    </message>
    <message>
        <source>Sl&amp;uiten</source>
        <translation>Clos&amp;e</translation>
    </message>
    <message>
        <source>Nog in te vullen</source>
        <translation>Still to fill in</translation>
    </message>
    <message>
        <source>&amp;Rondes</source>
        <translation>&amp;Rounds</translation>
    </message>
    <message>
        <source>Rondes van deze intake</source>
        <translation>Rounds of this intake</translation>
    </message>
    <message>
        <source>Deze intake is nog niet ingediend.</source>
        <translation>This intake has not been submitted yet.</translation>
    </message>
    <message>
        <source>Intake laden…</source>
        <translation>Loading the intake…</translation>
    </message>
    <message>
        <source>Nog geen intake voor deze cliënt. Start een intake met %1.</source>
        <translation>No intake for this client yet. Start an intake with %1.</translation>
    </message>
    <message>
        <source>Concept</source>
        <translation>Draft</translation>
    </message>
    <message>
        <source>Ingediend op %1 — wacht op beoordeling</source>
        <translation>Submitted on %1 — waiting for review</translation>
    </message>
    <message>
        <source>Teruggestuurd door %1 op %2</source>
        <translation>Returned by %1 on %2</translation>
    </message>
    <message>
        <source>1 open opmerking</source>
        <translation>1 open comment</translation>
    </message>
    <message>
        <source>%1 open opmerkingen</source>
        <translation>%1 open comments</translation>
    </message>
    <message>
        <source>alle opmerkingen opgelost</source>
        <translation>all comments resolved</translation>
    </message>
    <message>
        <source>Goedgekeurd door %1 op %2</source>
        <translation>Approved by %1 on %2</translation>
    </message>
    <message>
        <source>Ronde %1</source>
        <translation>Round %1</translation>
    </message>
    <message>
        <source>Nu</source>
        <translation>Now</translation>
    </message>
    <message>
        <source>Vorige intake (%1)</source>
        <translation>Previous intake (%1)</translation>
    </message>
    <message>
        <source>Trede op de participatieladder</source>
        <translation>Participation ladder step</translation>
    </message>
    <message>
        <source>Gemiddelde zelfredzaamheid</source>
        <translation>Average self-sufficiency</translation>
    </message>
    <message>
        <source>Alles is ingevuld. U kunt de intake indienen met %1.</source>
        <translation>Everything is filled in. You can submit the intake with %1.</translation>
    </message>
    <message>
        <source>Nog 1 antwoord nodig voor het indienen:</source>
        <translation>1 more answer needed before submitting:</translation>
    </message>
    <message>
        <source>Nog %1 antwoorden nodig voor het indienen:</source>
        <translation>%1 more answers needed before submitting:</translation>
    </message>
    <message>
        <source>Naar dit veld</source>
        <translation>Go to this field</translation>
    </message>
    <message>
        <source>Voorbeeld — verslag Wmo-onderzoek</source>
        <translation>Preview — Wmo assessment report</translation>
    </message>
    <message>
        <source>Verslag Wmo-onderzoek afdrukken</source>
        <translation>Print Wmo assessment report</translation>
    </message>
    <message>
        <source>Afdrukken is niet gelukt</source>
        <translation>Printing did not work</translation>
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
    <name>OrphanListModel</name>
    <message>
        <source>nieuw</source>
        <translation>new</translation>
    </message>
    <message>
        <source>gewijzigd</source>
        <translation>changed</translation>
    </message>
    <message>
        <source>verwijderd</source>
        <translation>deleted</translation>
    </message>
    <message>
        <source>handeling</source>
        <translation>action</translation>
    </message>
    <message>
        <source>onbekend apparaat</source>
        <translation>unknown device</translation>
    </message>
    <message>
        <source>{text} (afgehandeld)</source>
        <translation>{text} (handled)</translation>
    </message>
    <message>
        <source>Geen velden</source>
        <translation>No fields</translation>
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
    <name>PdfPreview</name>
    <message>
        <source>Voorbeeld</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>Dit PDF-bestand kan niet worden getoond.</source>
        <translation>This PDF file cannot be shown.</translation>
    </message>
    <message>
        <source>Vorige pagina</source>
        <translation>Previous page</translation>
    </message>
    <message>
        <source>Volgende pagina</source>
        <translation>Next page</translation>
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
        <source>Paginabreedte</source>
        <translation>Page width</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>Afdrukken…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>Sluiten</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Pagina {page} van {count}</source>
        <translation>Page {page} of {count}</translation>
    </message>
</context>
<context>
    <name>PlanForm</name>
    <message>
        <source>Aanbod</source>
        <translation>Offer</translation>
    </message>
    <message>
        <source>Verplichtingen</source>
        <translation>Obligations</translation>
    </message>
    <message>
        <source>Doelen en acties</source>
        <translation>Goals and actions</translation>
    </message>
    <message>
        <source>Afspraken en participatie</source>
        <translation>Agreements and participation</translation>
    </message>
    <message>
        <source>Evaluatie</source>
        <translation>Evaluation</translation>
    </message>
    <message>
        <source>Acties</source>
        <translation>Actions</translation>
    </message>
    <message>
        <source>De ondersteuning die wij bieden: wat, hoe vaak, wie.</source>
        <translation>The support we offer: what, how often, who.</translation>
    </message>
    <message>
        <source>In de woorden van de cliënt.</source>
        <translation>In the client&apos;s own words.</translation>
    </message>
    <message>
        <source>Leeg: standaard 12 maanden na ondertekening, 6 bij vrijstelling art. 9a.</source>
        <translation>Empty: by default 12 months after signing, 6 with the art. 9a exemption.</translation>
    </message>
</context>
<context>
    <name>PlanTab</name>
    <message>
        <source>Als &amp;cliënt…</source>
        <translation>As &amp;client…</translation>
    </message>
    <message>
        <source>Als &amp;klantmanager…</source>
        <translation>As case&amp;worker…</translation>
    </message>
    <message>
        <source>Voorbeeld</source>
        <translation>Preview</translation>
    </message>
    <message>
        <source>Afdrukken…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <source>Opslaan als PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <source>&amp;Tekenen</source>
        <translation>Sig&amp;n</translation>
    </message>
    <message>
        <source>Bezig</source>
        <translation>Working</translation>
    </message>
    <message>
        <source>Ver&amp;sies</source>
        <translation>&amp;Versions</translation>
    </message>
    <message>
        <source>Versies van het plan</source>
        <translation>Versions of the plan</translation>
    </message>
    <message>
        <source>Nog geen versies.</source>
        <translation>No versions yet.</translation>
    </message>
    <message>
        <source>Plan laden…</source>
        <translation>Loading the plan…</translation>
    </message>
    <message>
        <source>Nog geen plan van aanpak voor deze cliënt. Start het plan met %1.</source>
        <translation>This client has no client plan yet. Start the plan with %1.</translation>
    </message>
    <message>
        <source>Nieuwe versie</source>
        <translation>New version</translation>
    </message>
    <message>
        <source>Plan starten</source>
        <translation>Start plan</translation>
    </message>
    <message>
        <source>Wijzigen kan alleen met een nieuwe versie (%1).</source>
        <translation>To make changes, start a new version (%1).</translation>
    </message>
    <message>
        <source>Wijzigingen staan in de conceptversie (versie %1).</source>
        <translation>Changes go into the draft version (version %1).</translation>
    </message>
    <message>
        <source>Deze versie is ondertekend; de inhoud ligt vast.</source>
        <translation>This version has been signed; its content is fixed.</translation>
    </message>
    <message>
        <source>Na de tweede handtekening is dit het actieve plan; daarna wijzigt u het met een nieuwe versie (%1).</source>
        <translation>After the second signature this is the active plan; from then on, you change it with a new version (%1).</translation>
    </message>
    <message>
        <source>Dit is het actieve plan; het is ondertekend en verandert niet meer.</source>
        <translation>This is the active plan; it has been signed and no longer changes.</translation>
    </message>
    <message>
        <source>De status van een actie kunt u wel bijwerken.</source>
        <translation>You can still update the status of an action.</translation>
    </message>
    <message>
        <source>Deze versie is afgesloten op %1.</source>
        <translation>This version was closed on %1.</translation>
    </message>
    <message>
        <source>Wij&amp;zigingen</source>
        <translation>Ch&amp;anges</translation>
    </message>
    <message>
        <source>Dit is de eerste versie van het plan.</source>
        <translation>This is the first version of the plan.</translation>
    </message>
    <message>
        <source>Wij&amp;zigingen sinds versie %1</source>
        <translation>Ch&amp;anges since version %1</translation>
    </message>
    <message>
        <source>Niets gewijzigd sinds versie %1.</source>
        <translation>Nothing changed since version %1.</translation>
    </message>
    <message>
        <source>Actie verwijderen</source>
        <translation>Delete action</translation>
    </message>
    <message>
        <source>De actie „%1” uit het plan verwijderen?</source>
        <translation>Delete the action “%1” from the plan?</translation>
    </message>
    <message>
        <source>Verwijderen</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Cliënt</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Klantmanager</source>
        <translation>Caseworker</translation>
    </message>
    <message>
        <source>Ondertekenen…</source>
        <translation>Signing…</translation>
    </message>
    <message>
        <source>Beide handtekeningen staan erop: versie %1 is nu het actieve plan.</source>
        <translation>Both signatures are in place: version %1 is now the active plan.</translation>
    </message>
    <message>
        <source>Evaluatie op %1.</source>
        <translation>Evaluation on %1.</translation>
    </message>
    <message>
        <source>Ondertekend door de klantmanager. Nu tekent de cliënt.</source>
        <translation>Signed by the caseworker. Now the client signs.</translation>
    </message>
    <message>
        <source>De handtekening van de cliënt staat erop. Nu tekent de klantmanager.</source>
        <translation>The client has signed. Now the caseworker signs.</translation>
    </message>
    <message>
        <source>Voorbeeld maken…</source>
        <translation>Making the preview…</translation>
    </message>
    <message>
        <source>Voorbeeld — plan van aanpak, versie %1</source>
        <translation>Preview — client plan, version %1</translation>
    </message>
    <message>
        <source>Afdrukken voorbereiden…</source>
        <translation>Preparing to print…</translation>
    </message>
    <message>
        <source>Plan van aanpak afdrukken</source>
        <translation>Print client plan</translation>
    </message>
    <message>
        <source>Bezig met afdrukken…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>Afdrukken… pagina %1 van %2</source>
        <translation>Printing… page %1 of %2</translation>
    </message>
    <message>
        <source>Afgedrukt: 1 pagina.</source>
        <translation>Printed: 1 page.</translation>
    </message>
    <message>
        <source>Afgedrukt: %1 pagina&apos;s.</source>
        <translation>Printed: %1 pages.</translation>
    </message>
    <message>
        <source>Afdrukken is niet gelukt</source>
        <translation>Printing did not succeed</translation>
    </message>
    <message>
        <source>Plan van aanpak opslaan als PDF</source>
        <translation>Save client plan as PDF</translation>
    </message>
    <message>
        <source>PDF-bestanden (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>PDF maken…</source>
        <translation>Making the PDF…</translation>
    </message>
    <message>
        <source>Opgeslagen als %1.</source>
        <translation>Saved as %1.</translation>
    </message>
</context>
<context>
    <name>PlanVersions</name>
    <message>
        <source>Versie %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>de cliënt tekent niet; wacht op de klantmanager</source>
        <translation>the client declines to sign; waiting for the caseworker</translation>
    </message>
    <message>
        <source>ondertekend door de cliënt; wacht op de klantmanager</source>
        <translation>signed by the client; waiting for the caseworker</translation>
    </message>
    <message>
        <source>ondertekend door de klantmanager; wacht op de cliënt</source>
        <translation>signed by the caseworker; waiting for the client</translation>
    </message>
    <message>
        <source>concept</source>
        <translation>draft</translation>
    </message>
    <message>
        <source>concept, ondertekend</source>
        <translation>draft, signed</translation>
    </message>
    <message>
        <source>actief</source>
        <translation>active</translation>
    </message>
    <message>
        <source>actief sinds %1</source>
        <translation>active since %1</translation>
    </message>
    <message>
        <source>evaluatie op %1</source>
        <translation>evaluation on %1</translation>
    </message>
    <message>
        <source>afgesloten</source>
        <translation>closed</translation>
    </message>
    <message>
        <source>afgesloten op %1</source>
        <translation>closed on %1</translation>
    </message>
    <message>
        <source>sinds %1</source>
        <translation>since %1</translation>
    </message>
    <message>
        <source>tot %1</source>
        <translation>until %1</translation>
    </message>
    <message>
        <source>getekend %1</source>
        <translation>signed %1</translation>
    </message>
    <message>
        <source>Ja</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>Nee</source>
        <translation>No</translation>
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
    <name>QueueModel</name>
    <message>
        <source>1 dag</source>
        <translation>1 day</translation>
    </message>
    <message>
        <source>%1 dagen</source>
        <translation>%1 days</translation>
    </message>
    <message>
        <source>Cliënt</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Woonplaats</source>
        <translation>Town</translation>
    </message>
    <message>
        <source>Klantmanager</source>
        <translation>Caseworker</translation>
    </message>
    <message>
        <source>Ingediend</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>Wacht</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Ronde</source>
        <translation>Round</translation>
    </message>
    <message>
        <source>Termijn</source>
        <translation>Term</translation>
    </message>
    <message>
        <source>Open opmerkingen</source>
        <translation>Open comments</translation>
    </message>
</context>
<context>
    <name>RadarChart</name>
    <message>
        <source>Zelfredzaamheid, radardiagram</source>
        <translation>Self-sufficiency, radar chart</translation>
    </message>
    <message>
        <source>Nog geen scores ingevuld</source>
        <translation>No scores entered yet</translation>
    </message>
    <message>
        <source>geen score</source>
        <translation>no score</translation>
    </message>
    <message>
        <source>{label}: {score}</source>
        <translation>{label}: {score}</translation>
    </message>
    <message>
        <source>{label}: {score} (vorige intake: {previous})</source>
        <translation>{label}: {score} (previous intake: {previous})</translation>
    </message>
</context>
<context>
    <name>ReplyBox</name>
    <message>
        <source>&amp;Versturen</source>
        <translation>Se&amp;nd</translation>
    </message>
    <message>
        <source>&amp;Annuleren</source>
        <translation>&amp;Cancel</translation>
    </message>
    <message>
        <source>Ctrl+Enter verstuurt</source>
        <translation>Ctrl+Enter sends</translation>
    </message>
    <message>
        <source>%1 (Ctrl+Enter verstuurt)</source>
        <translation>%1 (Ctrl+Enter sends)</translation>
    </message>
</context>
<context>
    <name>ReviewQueuePage</name>
    <message>
        <source>Beoordelen</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>Ingediende intakes van uw team, de langst wachtende bovenaan. Open een intake met Enter of een dubbelklik.</source>
        <translation>Submitted intakes from your team, the longest waiting at the top. Open an intake with Enter or a double-click.</translation>
    </message>
    <message>
        <source>&amp;Wachtende intakes</source>
        <translation>&amp;Waiting intakes</translation>
    </message>
    <message>
        <source>Wachtende intakes</source>
        <translation>Waiting intakes</translation>
    </message>
    <message>
        <source>Intake beoordelen</source>
        <translation>Review intake</translation>
    </message>
    <message>
        <source>Naar de lijst</source>
        <translation>Go to the list</translation>
    </message>
    <message>
        <source>Er wachten geen intakes op beoordeling. Nieuwe intakes komen binnen bij het synchroniseren.</source>
        <translation>No intakes are waiting for review. New intakes come in when you sync.</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>Deze intake staat niet (meer) op dit apparaat.</source>
        <translation>This intake is not (or no longer) on this device.</translation>
    </message>
    <message>
        <source>Klantmanager %1</source>
        <translation>Caseworker %1</translation>
    </message>
    <message>
        <source>Ronde %1</source>
        <translation>Round %1</translation>
    </message>
    <message>
        <source>Ingediend %1</source>
        <translation>Submitted %1</translation>
    </message>
    <message>
        <source>Geen wettelijke termijn</source>
        <translation>No statutory term</translation>
    </message>
    <message>
        <source>wacht 1 dag</source>
        <translation>waiting 1 day</translation>
    </message>
    <message>
        <source>wacht %1 dagen</source>
        <translation>waiting %1 days</translation>
    </message>
    <message>
        <source>Deze intake (%1)</source>
        <translation>This intake (%1)</translation>
    </message>
    <message>
        <source>Vorige goedgekeurde intake (%1)</source>
        <translation>Previous approved intake (%1)</translation>
    </message>
    <message>
        <source>Deze intake wacht niet meer op beoordeling.</source>
        <translation>This intake is no longer waiting for review.</translation>
    </message>
    <message>
        <source>U kunt uw eigen intake niet beoordelen.</source>
        <translation>You cannot review your own intake.</translation>
    </message>
    <message>
        <source>Los eerst de open opmerkingen op of stuur de intake terug</source>
        <translation>First resolve the open comments, or return the intake</translation>
    </message>
    <message>
        <source>Plaats eerst een opmerking bij het onderdeel dat moet veranderen</source>
        <translation>First post a comment on the section that needs to change</translation>
    </message>
    <message>
        <source>Intake goedkeuren</source>
        <translation>Approve intake</translation>
    </message>
    <message>
        <source>De intake van %1 (ronde %2) goedkeuren? Daarna kan hij niet meer worden gewijzigd.</source>
        <translation>Approve the intake of %1 (round %2)? After that it can no longer be changed.</translation>
    </message>
    <message>
        <source>Goedkeuren</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>Intake terugsturen</source>
        <translation>Return intake</translation>
    </message>
    <message>
        <source>De intake van %1 terugsturen met 1 open opmerking?</source>
        <translation>Return the intake of %1 with 1 open comment?</translation>
    </message>
    <message>
        <source>De intake van %1 terugsturen met %2 open opmerkingen?</source>
        <translation>Return the intake of %1 with %2 open comments?</translation>
    </message>
    <message>
        <source>Terugsturen</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>Goedgekeurd. De klantmanager ziet het na de volgende synchronisatie.</source>
        <translation>Approved. The caseworker will see this after the next sync.</translation>
    </message>
    <message>
        <source>Teruggestuurd met 1 opmerking. De klantmanager ziet die na de volgende synchronisatie.</source>
        <translation>Returned with 1 comment. The caseworker will see it after the next sync.</translation>
    </message>
    <message>
        <source>Teruggestuurd met %2 opmerkingen. De klantmanager ziet ze na de volgende synchronisatie.</source>
        <translation>Returned with %2 comments. The caseworker will see them after the next sync.</translation>
    </message>
    <message>
        <source>Terug naar de lijst</source>
        <translation>Back to the list</translation>
    </message>
    <message>
        <source>Zelfredzaamheid</source>
        <translation>Self-sufficiency</translation>
    </message>
    <message>
        <source>&amp;Rondes</source>
        <translation>&amp;Rounds</translation>
    </message>
    <message>
        <source>&amp;Intake</source>
        <translation>&amp;Intake</translation>
    </message>
    <message>
        <source>&amp;Overzicht: wijzigingen, scores en rondes</source>
        <translation>&amp;Overview: changes, scores and rounds</translation>
    </message>
</context>
<context>
    <name>RoundTableModel</name>
    <message>
        <source>Ronde</source>
        <translation>Round</translation>
    </message>
    <message>
        <source>Ingediend op</source>
        <translation>Submitted on</translation>
    </message>
    <message>
        <source>Besluit</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>Beoordelaar</source>
        <translation>Reviewer</translation>
    </message>
    <message>
        <source>Besloten op</source>
        <translation>Decided on</translation>
    </message>
    <message>
        <source>Goedgekeurd</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>Teruggestuurd</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>Wacht op beoordeling</source>
        <translation>Waiting for review</translation>
    </message>
</context>
<context>
    <name>RoundsTable</name>
    <message>
        <source>Goedgekeurd</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>Teruggestuurd</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>Wacht op beoordeling</source>
        <translation>Waiting for review</translation>
    </message>
    <message>
        <source>Ronde</source>
        <translation>Round</translation>
    </message>
    <message>
        <source>Ingediend</source>
        <translation>Submitted</translation>
    </message>
    <message>
        <source>Besluit</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>Door</source>
        <translation>By</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>On</translation>
    </message>
    <message>
        <source>Rondes</source>
        <translation>Rounds</translation>
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
    <name>SignatureDialog</name>
    <message>
        <source>Tekenen — {role}</source>
        <translation>Sign — {role}</translation>
    </message>
    <message>
        <source>Ondertekenaar: {name}</source>
        <translation>Signer: {name}</translation>
    </message>
    <message>
        <source>&amp;Hier tekenen</source>
        <translation>Sign &amp;here</translation>
    </message>
    <message>
        <source>Getekend op &amp;papier</source>
        <translation>Signed on &amp;paper</translation>
    </message>
    <message>
        <source>Cliënt wil &amp;niet tekenen</source>
        <translation>Client d&amp;eclines to sign</translation>
    </message>
    <message>
        <source>&amp;Datum</source>
        <translation>Da&amp;te</translation>
    </message>
    <message>
        <source>&amp;Reden</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <source>Waarom tekent de cliënt niet?</source>
        <translation>Why is the client not signing?</translation>
    </message>
    <message>
        <source>&amp;Wissen</source>
        <translation>&amp;Clear</translation>
    </message>
    <message>
        <source>&amp;Laatste streek weg</source>
        <translation>&amp;Undo last stroke</translation>
    </message>
    <message>
        <source>&amp;Gereed</source>
        <translation>&amp;Done</translation>
    </message>
    <message>
        <source>Annuleren</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Het vak is vol: er kan niets meer bij. Wis het of kies Gereed.</source>
        <translation>The box is full: nothing more fits. Clear it or choose Done.</translation>
    </message>
    <message>
        <source>Teken met muis, pen of vinger in het vak.</source>
        <translation>Sign in the box with a mouse, pen or finger.</translation>
    </message>
    <message>
        <source>Vul de reden in.</source>
        <translation>Please enter the reason.</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <source>Handtekening</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>Nog niet getekend.</source>
        <translation>Not signed yet.</translation>
    </message>
    <message>
        <source>Getekend, één streek.</source>
        <translation>Signed, one stroke.</translation>
    </message>
    <message>
        <source>Getekend, {count} streken.</source>
        <translation>Signed, {count} strokes.</translation>
    </message>
    <message>
        <source>Teken met muis, pen of vinger. Delete of Backspace wist; Ctrl+Z haalt de laatste streek weg.</source>
        <translation>Sign with a mouse, pen or finger. Delete or Backspace clears; Ctrl+Z removes the last stroke.</translation>
    </message>
    <message>
        <source>Het vak is vol: er kan niets meer bij.</source>
        <translation>The box is full: nothing more fits.</translation>
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
        <source>Wacht op verbinding… Opnieuw proberen over {seconds} s. U kunt doorwerken of stoppen (Esc); uw wijzigingen blijven bewaard.</source>
        <translation>Waiting for the network… Trying again in {seconds} s. You can keep working or stop (Esc); your changes are kept.</translation>
    </message>
    <message>
        <source>Wacht op verbinding…</source>
        <translation>Waiting for the network…</translation>
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
    <name>TeamBars</name>
    <message>
        <source>Wacht op beoordeling</source>
        <translation>Waiting for review</translation>
    </message>
    <message>
        <source>Teruggestuurd</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>Goedgekeurd deze maand</source>
        <translation>Approved this month</translation>
    </message>
    <message>
        <source>Nog geen klantmanagers in dit team</source>
        <translation>No caseworkers in this team yet</translation>
    </message>
    <message>
        <source>{name}: {waiting} wacht op beoordeling, {returned} teruggestuurd, {approved} goedgekeurd deze maand</source>
        <translation>{name}: {waiting} waiting for review, {returned} returned, {approved} approved this month</translation>
    </message>
    <message>
        <source>Intakes per klantmanager, staafdiagram</source>
        <translation>Intakes per caseworker, bar chart</translation>
    </message>
</context>
<context>
    <name>TeamFiguresTableModel</name>
    <message>
        <source>Cliënten in zorg</source>
        <translation>Clients in care</translation>
    </message>
    <message>
        <source>Instroom</source>
        <translation>Inflow</translation>
    </message>
    <message>
        <source>Uitstroom</source>
        <translation>Outflow</translation>
    </message>
    <message>
        <source>Trede omhoog</source>
        <translation>Step up</translation>
    </message>
    <message>
        <source>Trede gelijk</source>
        <translation>Step the same</translation>
    </message>
    <message>
        <source>Trede omlaag</source>
        <translation>Step down</translation>
    </message>
    <message>
        <source>Doeltrede bereikt</source>
        <translation>Target step reached</translation>
    </message>
    <message>
        <source>Huisbezoeken afgelegd</source>
        <translation>Home visits made</translation>
    </message>
    <message>
        <source>Thuis bezocht</source>
        <translation>Seen at home</translation>
    </message>
    <message>
        <source>Wmo-onderzoek binnen termijn</source>
        <translation>Wmo assessment within the term</translation>
    </message>
    <message>
        <source>Wmo-beschikking binnen termijn</source>
        <translation>Wmo decision within the term</translation>
    </message>
    <message>
        <source>Beslissing Participatiewet binnen termijn</source>
        <translation>Participation Act decision within the term</translation>
    </message>
    <message>
        <source>Plannen van aanpak actief</source>
        <translation>Client plans active</translation>
    </message>
    <message>
        <source>Evaluaties op tijd</source>
        <translation>Evaluations on time</translation>
    </message>
    <message>
        <source>Conflicten ontstaan</source>
        <translation>Conflicts arisen</translation>
    </message>
    <message>
        <source>Verweesde wijzigingen open</source>
        <translation>Orphaned changes open</translation>
    </message>
    <message>
        <source>Cliënten met een toegekende voorziening in de periode</source>
        <translation>Clients with a granted provision in the period</translation>
    </message>
    <message>
        <source>In zorg in deze periode, niet in de vorige</source>
        <translation>In care in this period, not in the one before</translation>
    </message>
    <message>
        <source>In zorg in deze periode, niet meer in de volgende of na de peildatum</source>
        <translation>In care in this period, no longer in the next or after the reference day</translation>
    </message>
    <message>
        <source>Hogere trede dan bij de vorige goedgekeurde intake</source>
        <translation>Higher step than at the previous approved intake</translation>
    </message>
    <message>
        <source>Dezelfde trede als bij de vorige goedgekeurde intake</source>
        <translation>The same step as at the previous approved intake</translation>
    </message>
    <message>
        <source>Lagere trede dan bij de vorige goedgekeurde intake</source>
        <translation>Lower step than at the previous approved intake</translation>
    </message>
    <message>
        <source>Deel van de vergeleken cliënten dat de doeltrede haalde</source>
        <translation>Share of the clients compared who reached their target step</translation>
    </message>
    <message>
        <source>Alle soorten; geannuleerd of niemand thuis telt niet mee</source>
        <translation>All kinds; cancelled or nobody home does not count</translation>
    </message>
    <message>
        <source>Deel van de cliënten in zorg met ten minste één huisbezoek</source>
        <translation>Share of the clients in care with at least one home visit</translation>
    </message>
    <message>
        <source>Van melding tot onderzoek; deel van de afgeronde termijnen</source>
        <translation>From report to assessment; share of the terms completed</translation>
    </message>
    <message>
        <source>Van aanvraag tot beslissing; deel van de afgeronde termijnen</source>
        <translation>From application to decision; share of the terms completed</translation>
    </message>
    <message>
        <source>Plannen van aanpak die in de periode liepen</source>
        <translation>Client plans running in the period</translation>
    </message>
    <message>
        <source>Deel van de evaluaties die in de periode gepland waren</source>
        <translation>Share of the evaluations due in the period</translation>
    </message>
    <message>
        <source>Wijzigingen die botsten met een andere wijziging</source>
        <translation>Changes that clashed with another change</translation>
    </message>
    <message>
        <source>Binnengekomen na overdracht van de cliënt, aan het eind niet afgehandeld</source>
        <translation>Arrived after the client was handed over, unhandled at the end</translation>
    </message>
    <message>
        <source>Cijfer</source>
        <translation>Figure</translation>
    </message>
    <message>
        <source>{period} t/m {day}</source>
        <translation>{period} up to {day}</translation>
    </message>
    <message>
        <source>Wat telt mee</source>
        <translation>What counts</translation>
    </message>
    <message>
        <source>weggelaten</source>
        <translation>withheld</translation>
    </message>
    <message>
        <source>Weggelaten: het percentage rust op aantallen die zijn weggelaten (minder dan 10, of terug te rekenen uit de andere cijfers).</source>
        <translation>Withheld: the percentage rests on numbers that were withheld (fewer than 10, or could be worked out from the other figures).</translation>
    </message>
    <message>
        <source>Weggelaten: minder dan 10, of weggelaten zodat een klein aantal niet uit de andere cijfers is terug te rekenen.</source>
        <translation>Withheld: fewer than 10, or withheld so that a small number cannot be worked out from the other figures.</translation>
    </message>
</context>
<context>
    <name>TeamPage</name>
    <message>
        <source>Geteld: {period}, naast {previous}.</source>
        <translation>Counted: {period}, beside {previous}.</translation>
    </message>
    <message>
        <source>x = weggelaten. Zoals in de raadsinformatie: aantallen kleiner dan 10 zijn weggelaten, net als aantallen waaruit die terug te rekenen zijn; de andere zijn afgerond op 5. Een percentage staat er alleen als de aantallen waarop het rust gepubliceerd zijn.</source>
        <translation>x = withheld. As in the council report: numbers below 10 are withheld, as are numbers they could be worked out from; the others are rounded to 5. A percentage is shown only when the numbers it rests on are published.</translation>
    </message>
    <message>
        <source>{team} · opgehaald {when}</source>
        <translation>{team} · fetched {when}</translation>
    </message>
    <message>
        <source>Het teamoverzicht komt van de centrale server. Maak verbinding en kies Vernieuwen.</source>
        <translation>The team overview comes from the central office server. Connect and choose Refresh.</translation>
    </message>
    <message>
        <source>Laatst opgehaald: {when}.</source>
        <translation>Last fetched: {when}.</translation>
    </message>
    <message>
        <source>Ontvangen: {when}</source>
        <translation>Received: {when}</translation>
    </message>
    <message>
        <source>Verstuurd door: {who}</source>
        <translation>Sent by: {who}</translation>
    </message>
    <message>
        <source>onbekend apparaat</source>
        <translation>unknown device</translation>
    </message>
    <message>
        <source>Cliënt: {name}</source>
        <translation>Client: {name}</translation>
    </message>
    <message>
        <source>Klantmanager nu: {who}</source>
        <translation>Caseworker now: {who}</translation>
    </message>
    <message>
        <source>Soort gegevens: {kind} ({op})</source>
        <translation>Kind of record: {kind} ({op})</translation>
    </message>
    <message>
        <source>Velden:</source>
        <translation>Fields:</translation>
    </message>
    <message>
        <source>De waarden van dit soort gegevens worden aan teamleiders niet getoond.</source>
        <translation>Values of this kind of record are not shown to team leads.</translation>
    </message>
    <message>
        <source>Afgehandeld op {when}</source>
        <translation>Handled on {when}</translation>
    </message>
    <message>
        <source>Markeren als afgehandeld</source>
        <translation>Mark as handled</translation>
    </message>
    <message>
        <source>De wijziging van {who} voor {client} ({kind}) als afgehandeld markeren?</source>
        <translation>Mark the change by {who} for {client} ({kind}) as handled?</translation>
    </message>
    <message>
        <source>De wijziging wordt niet toegepast. Neem wat nodig is eerst over in het dossier of bespreek het met de klantmanager.</source>
        <translation>The change is not applied. Take over what is needed in the dossier first, or discuss it with the caseworker.</translation>
    </message>
    <message>
        <source>Annuleren</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Gemarkeerd als afgehandeld.</source>
        <translation>Marked as handled.</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>&amp;Vernieuwen</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Teamoverzicht ophalen</source>
        <translation>Fetching the team overview</translation>
    </message>
    <message>
        <source>Teamoverzicht ophalen…</source>
        <translation>Fetching the team overview…</translation>
    </message>
    <message>
        <source>&amp;Klantmanagers</source>
        <translation>&amp;Caseworkers</translation>
    </message>
    <message>
        <source>Klantmanagers</source>
        <translation>Caseworkers</translation>
    </message>
    <message>
        <source>Er zijn nog geen klantmanagers in uw team.</source>
        <translation>There are no caseworkers in your team yet.</translation>
    </message>
    <message>
        <source>Cijfers van het team</source>
        <translation>Team figures</translation>
    </message>
    <message>
        <source>De server levert (nog) geen cijfers van het team als geheel.</source>
        <translation>The server does not (yet) provide figures for the team as a whole.</translation>
    </message>
    <message>
        <source>Geteld: {period}.</source>
        <translation>Counted: {period}.</translation>
    </message>
    <message>
        <source>Volgende tab</source>
        <translation>Next tab</translation>
    </message>
    <message>
        <source>Vorige tab</source>
        <translation>Previous tab</translation>
    </message>
    <message>
        <source>Werkverdeling</source>
        <translation>Workload</translation>
    </message>
    <message>
        <source>Verweesde &amp;wijzigingen</source>
        <translation>&amp;Orphaned changes</translation>
    </message>
    <message>
        <source>Verweesde wijzigingen</source>
        <translation>Orphaned changes</translation>
    </message>
    <message>
        <source>Er zijn geen verweesde wijzigingen. Stuurt een apparaat een wijziging voor een cliënt die inmiddels bij een andere klantmanager hoort, dan verschijnt die hier.</source>
        <translation>There are no orphaned changes. When a device sends a change for a client who has meanwhile moved to another caseworker, it appears here.</translation>
    </message>
    <message>
        <source>&amp;Markeren als afgehandeld</source>
        <translation>&amp;Mark as handled</translation>
    </message>
</context>
<context>
    <name>TeamTableModel</name>
    <message>
        <source>Klantmanager</source>
        <translation>Caseworker</translation>
    </message>
    <message>
        <source>Wacht op beoordeling</source>
        <translation>Waiting for review</translation>
    </message>
    <message>
        <source>Teruggestuurd</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>Goedgekeurd deze maand</source>
        <translation>Approved this month</translation>
    </message>
    <message>
        <source>Termijn bijna verlopen</source>
        <translation>Term due soon</translation>
    </message>
    <message>
        <source>Termijn verlopen</source>
        <translation>Term overdue</translation>
    </message>
    <message>
        <source>Apparaten &gt; 3 dagen niet gesynchroniseerd</source>
        <translation>Devices not synced &gt; 3 days</translation>
    </message>
    <message>
        <source>Open conflicten</source>
        <translation>Open conflicts</translation>
    </message>
    <message>
        <source>Verweesde wijzigingen</source>
        <translation>Orphaned changes</translation>
    </message>
    <message>
        <source>De klantmanager en het aantal cliënten dat aan hem of haar is toegewezen</source>
        <translation>The caseworker and the number of clients assigned to them</translation>
    </message>
    <message>
        <source>Ingediende intakes die op uw beoordeling wachten</source>
        <translation>Submitted intakes waiting for your review</translation>
    </message>
    <message>
        <source>Intakes die u hebt teruggestuurd en die nog niet opnieuw zijn ingediend</source>
        <translation>Intakes you returned that have not been submitted again</translation>
    </message>
    <message>
        <source>Intakes die deze kalendermaand zijn goedgekeurd</source>
        <translation>Intakes approved this calendar month</translation>
    </message>
    <message>
        <source>Intakes die nog niet zijn goedgekeurd en waarvan een wettelijke termijn binnen vijf dagen verloopt</source>
        <translation>Intakes not yet approved with a statutory term ending within five days</translation>
    </message>
    <message>
        <source>Intakes die nog niet zijn goedgekeurd en waarvan een wettelijke termijn al verlopen is</source>
        <translation>Intakes not yet approved with a statutory term already past</translation>
    </message>
    <message>
        <source>Apparaten van de klantmanager die al meer dan drie dagen geen contact met de server hadden</source>
        <translation>The caseworker&apos;s devices that have not contacted the server for more than three days</translation>
    </message>
    <message>
        <source>Conflicten op de apparaten van de klantmanager die nog niet zijn opgelost</source>
        <translation>Conflicts on the caseworker&apos;s devices that are not yet resolved</translation>
    </message>
    <message>
        <source>Wijzigingen die binnenkwamen nadat de cliënt naar een andere klantmanager was overgedragen, en nog niet zijn afgehandeld</source>
        <translation>Changes that arrived after the client moved to another caseworker and are not yet handled</translation>
    </message>
    <message>
        <source>1 cliënt</source>
        <translation>1 client</translation>
    </message>
    <message>
        <source>{count} cliënten</source>
        <translation>{count} clients</translation>
    </message>
    <message>
        <source>Apparaten: {count}, waarvan {stale} al meer dan 14 dagen zonder contact</source>
        <translation>Devices: {count}, of which {stale} without contact for more than 14 days</translation>
    </message>
    <message>
        <source>Laatste contact {when}</source>
        <translation>Last contact {when}</translation>
    </message>
</context>
<context>
    <name>ThreadPanel</name>
    <message>
        <source>Opmerkingen bij de intake</source>
        <translation>Comments on the intake</translation>
    </message>
    <message>
        <source>Opmerkingen bij %1</source>
        <translation>Comments on %1</translation>
    </message>
    <message>
        <source>Opmerking &amp;plaatsen</source>
        <translation>&amp;Post comment</translation>
    </message>
    <message>
        <source>Opmerking plaatsen bij %1</source>
        <translation>Post a comment on %1</translation>
    </message>
    <message>
        <source>Nieuwe opmerking bij %1</source>
        <translation>New comment on %1</translation>
    </message>
    <message>
        <source>Wat moet er aan dit onderdeel veranderen?</source>
        <translation>What needs to change in this section?</translation>
    </message>
</context>
<context>
    <name>ThreadView</name>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Opgelost door %1 op %2</source>
        <translation>Resolved by %1 on %2</translation>
    </message>
    <message>
        <source>Opmerking bij %1: %2</source>
        <translation>Comment on %1: %2</translation>
    </message>
    <message>
        <source>&amp;Beantwoorden</source>
        <translation>Repl&amp;y</translation>
    </message>
    <message>
        <source>&amp;Oplossen</source>
        <translation>Resol&amp;ve</translation>
    </message>
    <message>
        <source>&amp;Heropenen</source>
        <translation>Re&amp;open</translation>
    </message>
    <message>
        <source>Een antwoord op deze opmerking</source>
        <translation>A reply to this comment</translation>
    </message>
    <message>
        <source>Antwoord</source>
        <translation>Reply</translation>
    </message>
    <message>
        <source>Uw antwoord op deze opmerking</source>
        <translation>Your reply to this comment</translation>
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
        <source>Evaluaties plan van aanpak ({count})</source>
        <translation>Client plan evaluations ({count})</translation>
    </message>
    <message>
        <source>Wettelijke termijnen ({count})</source>
        <translation>Statutory terms ({count})</translation>
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
        <source>Gepland op {due}</source>
        <translation>Planned for {due}</translation>
    </message>
    <message>
        <source>Loopt af op {due}</source>
        <translation>Ends on {due}</translation>
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
        <source>Binnenkort: {title}, {client}, {detail}, {late}</source>
        <translation>Due soon: {title}, {client}, {detail}, {late}</translation>
    </message>
    <message>
        <source>Achterstallig: {title}, {client}, {detail}, {late}</source>
        <translation>Overdue: {title}, {client}, {detail}, {late}</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <source>Nog geen eerdere intakes</source>
        <translation>No earlier intakes yet</translation>
    </message>
    <message>
        <source>{date}: {value}</source>
        <translation>{date}: {value}</translation>
    </message>
    <message>
        <source>{title}, lijndiagram</source>
        <translation>{title}, line chart</translation>
    </message>
    <message>
        <source>Lijndiagram</source>
        <translation>Line chart</translation>
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
    <name>VersionTableModel</name>
    <message>
        <source>Versie</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Periode</source>
        <translation>Period</translation>
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
        <source>Verslag…</source>
        <translation>Report…</translation>
    </message>
    <message>
        <source>Niet vastgelegde invoer is teruggezet.</source>
        <translation>What was typed but not recorded has been put back.</translation>
    </message>
    <message>
        <source>Voorbeeld — verslag huisbezoek %1</source>
        <translation>Preview — home visit report %1</translation>
    </message>
    <message>
        <source>Verslag huisbezoek afdrukken</source>
        <translation>Print home visit report</translation>
    </message>
    <message>
        <source>Afdrukken is niet gelukt</source>
        <translation>Printing did not work</translation>
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
        <source>Beoordelen</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
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
    <message>
        <source>Wacht op verbinding…</source>
        <translation>Waiting for the network…</translation>
    </message>
</context>
<context>
    <name>_CommentView</name>
    <message>
        <source>%1 (u)</source>
        <translation>%1 (you)</translation>
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
<context>
    <name>printing</name>
    <message>
        <source>Afdrukken</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>Het document kan niet worden gelezen.</source>
        <translation>The document cannot be read.</translation>
    </message>
    <message>
        <source>De printer kan niet worden geopend.</source>
        <translation>The printer cannot be opened.</translation>
    </message>
    <message>
        <source>Het afdrukken is mislukt.</source>
        <translation>Printing failed.</translation>
    </message>
    <message>
        <source>Pagina {page} kan niet worden gemaakt.</source>
        <translation>Page {page} cannot be made.</translation>
    </message>
</context>
</TS>
