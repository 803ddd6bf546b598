; Inno Setup 6 script: the Windows installer of the high-risk operations cockpit.
;
; Build the bundle first on a Windows machine (python -m PyInstaller --noconfirm installer\cockpit.spec),
; then: iscc installer\windows\cockpit.iss  ->  dist\hazwork-cockpit-setup-<version>.exe
; Silent install for software distribution: hazwork-cockpit-setup-<version>.exe /VERYSILENT /NORESTART
;
; Installs to Program Files for all users, adds Start-menu entries (the cockpit, its self-test, and
; the uninstaller), and uninstalls cleanly: every installed file and the shortcuts go. Each user's data
; and settings (%LOCALAPPDATA%\hazwork-cockpit: database, layouts, logs, config.toml) and the passwords
; in Windows Credential Manager stay, unless the user says so when uninstalling interactively.

#define AppName "High-risk Operations Cockpit"
#define AppNameZh "高危作业驾驶舱"
#define AppExe "hazwork-cockpit.exe"
#define CliExe "hazwork-cockpit-cli.exe"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define BundleDir "..\..\dist\hazwork-cockpit"

[Setup]
; Keep this id for every version: it is how an upgrade finds the installation to replace.
AppId={{6B0E4A5C-2F7D-4C39-9A61-3D8E2B7F4C10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=hazwork
DefaultDirName={autopf}\HazWork Cockpit
DefaultGroupName={#AppNameZh}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=hazwork-cockpit-setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\cockpit.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} ({#AppNameZh})
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running cockpit holds its files open: ask Windows to close it before files are replaced or removed.
CloseApplications=yes
RestartApplications=no
LicenseFile=..\LICENSES.md

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
; The whole one-folder bundle. An upgrade first removes the old program files (below), so no module
; of an older version lingers next to the new ones.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppNameZh}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "{#AppName}"
Name: "{autoprograms}\{#AppNameZh} 自检 (self-test)"; Filename: "{cmd}"; \
  Parameters: "/k ""{app}\{#CliExe}"" --self-test"; WorkingDir: "{app}"; IconFilename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppNameZh}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppNameZh}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder (in case something was left in it); never the users' data folders.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"

[Code]
// Removing user data is the user's choice, asked once, default No, never in a silent uninstall.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  DataDir := ExpandConstant('{localappdata}\hazwork-cockpit');
  if UninstallSilent or not DirExists(DataDir) then
    exit;
  if MsgBox('Also delete your cockpit data and settings in ' + DataDir + '?' + #13#10 +
            '(local database, screen layouts, logs, config.toml; other Windows users keep theirs)' + #13#10 + #13#10 +
            '同时删除本用户的驾驶舱数据和设置吗？',
            mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
    DelTree(DataDir, True, True, True);
end;
