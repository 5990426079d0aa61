; Hemicycle for Windows: the delegate app and the console, one installer (Inno Setup 6).
;
; Not built by `make package` (that is Linux). On a Windows 10/11 x64 machine with Python 3.11,
; Git and Inno Setup 6, from the top of the source tree (packaging/README.md, "Windows"):
;
;   py -3.11 -m venv .venv
;   .venv\Scripts\python -m pip install --require-hashes -r requirements\dev.txt
;   .venv\Scripts\python -m pip install --no-deps --no-build-isolation -e .
;   .venv\Scripts\python packaging\build.py --frozen-only --only hemicycle
;   iscc /DVersion=<version in pyproject.toml> packaging\windows\hemicycle.iss
;
; build.py builds Hemicycle's wheel, freezes both apps with packaging\pyinstaller\hemicycle.spec
; into build\package\frozen\hemicycle (hemicycle.exe, hemicycle-console.exe, _internal\,
; BUILD-INFO) and checks it against the lock; this script packs that folder as it is into
; dist\hemicycle-<version>-windows-x64-setup.exe. The programs are windowed there (no console),
; so --version prints nothing on Windows: the About box in the apps' menu says the version and
; lists the versions inside, as BUILD-INFO in the installation folder does.

#ifndef Version
  #error Pass the version: iscc /DVersion=0.1.0 packaging\windows\hemicycle.iss
#endif
#define Frozen "..\..\build\package\frozen\hemicycle"

[Setup]
; Never change AppId: Windows finds the installed Hemicycle by it, to upgrade or remove it.
AppId={{6A1C2E57-3F0B-4D59-9B8E-1F4C7D2A9E31}
AppName=Hemicycle
AppVersion={#Version}
AppVerName=Hemicycle {#Version}
AppPublisher=Hemicycle
DefaultDirName={autopf}\Hemicycle
DefaultGroupName=Hemicycle
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=hemicycle-{#Version}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
; For every user of the machine (tablets are set up by IT); an installation for one user
; without administrator rights can be chosen in the dialog.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
WizardStyle=modern
UninstallDisplayIcon={app}\hemicycle.exe
; Running apps are asked to close first (they save their state on the way out). Each
; delegate's profile — keys, offline copy — lives in the user's folder, not here, and survives
; upgrades and removal.
CloseApplications=yes

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; The old version's libraries go first: one the new version no longer has must not stay behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Frozen}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Hemicycle"; Filename: "{app}\hemicycle.exe"
Name: "{autoprograms}\Hemicycle console"; Filename: "{app}\hemicycle-console.exe"
Name: "{autodesktop}\Hemicycle"; Filename: "{app}\hemicycle.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\hemicycle.exe"; Description: "{cm:LaunchProgram,Hemicycle}"; Flags: nowait postinstall skipifsilent
