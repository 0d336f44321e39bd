; Inno Setup script for the Windows installer: a per-machine install of the one-folder bundle
; with a Start-menu entry. It cannot be built on the Linux machines of this project; on Windows,
; with Python 3.11+, the project installed (pip install -c constraints.txt -e ".[installer]")
; and Inno Setup 6 (https://jrsoftware.org/isinfo.php) installed:
;
;   python -m PyInstaller --noconfirm --distpath build\installer\dist installer\veldwerk.spec
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=0.1.0 installer\veldwerk.iss
;
; AppVersion is the version in pyproject.toml. The installer lands in build\installer\.
; Then check the installed copy:  "C:\Program Files\Veldwerk\veldwerk-cli.exe" --selftest
; (veldwerk.exe is the program without a console window; veldwerk-cli.exe the same with one).

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z installer\veldwerk.iss
#endif

[Setup]
; One identity for every version, so a new version replaces the old in place.
AppId={{6A1C3F52-2E57-4C4B-9B8E-5B1C0E7A4D21}
AppName=Veldwerk
AppVersion={#AppVersion}
AppPublisher=Veldwerk central office
DefaultDirName={autopf}\Veldwerk
DefaultGroupName=Veldwerk
DisableProgramGroupPage=yes
; Per machine: municipal laptops are set up by their administrators, not by each caseworker.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\build\installer
OutputBaseFilename=veldwerk-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
UninstallDisplayIcon={app}\veldwerk.exe
WizardStyle=modern

[Languages]
Name: "dutch"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\build\installer\dist\veldwerk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Veldwerk"; Filename: "{app}\veldwerk.exe"
Name: "{group}\{cm:UninstallProgram,Veldwerk}"; Filename: "{uninstallexe}"

[Run]
; The installation checks itself before it reports success (no window; it exits by itself).
Filename: "{app}\veldwerk-cli.exe"; Parameters: "--selftest"; Flags: runhidden waituntilterminated; StatusMsg: "Veldwerk controleert de installatie..."
