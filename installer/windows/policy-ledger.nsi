; 清单台账 — Windows installer (NSIS 3, Modern UI 2, Simplified Chinese).
;
; A per-user install: no administrator rights, program files in
; %LOCALAPPDATA%\Programs\PolicyLedger, uninstall entry under HKCU. The office's data lives
; apart from the program in %LOCALAPPDATA%\PolicyLedger (the first version used
; %APPDATA%\PolicyLedger, in the roaming profile; the program moves it on its first start),
; or in data\ beside the program when a portable.txt marker is there (this installer never
; creates one), so an upgrade only replaces program files: the program backs the database
; up and migrates it on its next start.
; The uninstaller keeps the data unless the user ticks "同时删除本机数据（不可恢复）".
;
; Only 64-bit Windows 10 1809 (build 17763) or newer: PySide6 is 64-bit only and Qt 6.11
; needs Windows 10 1809. A folder the user cannot write to (Program Files without
; administrator rights) is refused on the directory page, and in a silent install.
;
; Code signing: when build.ps1 is given a certificate (see installer/windows/sign.ps1) it
; passes SIGN_SCRIPT, and makensis signs the uninstaller as it writes it and the installer
; once it is finished.
;
; Built by installer/windows/build.ps1 (Windows) or installer/smoke.sh (compile check on
; Linux). Name and version come from pyproject.toml through /D defines
; (python installer/project_meta.py nsis-defines):
;   makensis -INPUTCHARSET UTF8 /DAPP_VERSION=0.1.0 ... /DDIST_DIR=<frozen folder> policy-ledger.nsi

Unicode true
ManifestDPIAware true
RequestExecutionLevel user

!ifndef APP_VERSION
  !error "APP_VERSION is not defined: pass the defines of installer/project_meta.py nsis-defines"
!endif
!ifndef APP_NUMERIC_VERSION
  !define APP_NUMERIC_VERSION "0.0.0.0"
!endif
!ifndef APP_NAME
  !define APP_NAME "清单台账"
!endif
!ifndef APP_ID
  !define APP_ID "PolicyLedger"
!endif
!ifndef PKG_NAME
  !define PKG_NAME "policy-ledger"
!endif
!ifndef APP_PUBLISHER
  !define APP_PUBLISHER "清单台账项目组"
!endif
!ifndef GUI_EXE
  !define GUI_EXE "PolicyLedger.exe"
!endif
!ifndef CLI_EXE
  !define CLI_EXE "policy-ledger.exe"
!endif
!ifndef DIST_DIR
  !define DIST_DIR "..\..\dist\PolicyLedger"
!endif
!ifndef ICON_FILE
  !define ICON_FILE "..\..\resources\icons\app.ico"
!endif
!ifndef OUTPUT_DIR
  !define OUTPUT_DIR "..\..\dist"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "${APP_ID}-Setup-${APP_VERSION}.exe"
!endif

!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define APP_KEY "Software\${APP_ID}"
!define UNINSTALLER "uninstall.exe"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "nsDialogs.nsh"
!include "x64.nsh"
!include "WinVer.nsh"

!define MIN_WINDOWS_BUILD 17763  ; Windows 10 1809

!ifdef SIGN_SCRIPT
  ; %1 is the file makensis has just written; a non-zero exit stops the build
  !uninstfinalize 'powershell -NoProfile -ExecutionPolicy Bypass -File "${SIGN_SCRIPT}" "%1"' = 0
  !finalize 'powershell -NoProfile -ExecutionPolicy Bypass -File "${SIGN_SCRIPT}" "%1"' = 0
!endif

Name "${APP_NAME}"
Caption "${APP_NAME} ${APP_VERSION} 安装"
UninstallCaption "${APP_NAME} 卸载"
OutFile "${OUTPUT_DIR}\${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
InstallDirRegKey HKCU "${APP_KEY}" "InstallDir"
SetCompressor /SOLID lzma
BrandingText "${APP_NAME} ${APP_VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${APP_NUMERIC_VERSION}"
VIFileVersion "${APP_NUMERIC_VERSION}"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${APP_VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${APP_VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "InternalName" "${PKG_NAME}-setup"
VIAddVersionKey /LANG=2052 "CompanyName" "${APP_PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${APP_PUBLISHER}"

; ---------------------------------------------------------------- pages

!define MUI_ICON "${ICON_FILE}"
!define MUI_UNICON "${ICON_FILE}"
!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING

!define MUI_WELCOMEPAGE_TITLE "欢迎安装${APP_NAME} ${APP_VERSION}"
!define MUI_WELCOMEPAGE_TEXT "${APP_NAME}把上级文件分解为本级年度重点工作清单，跟踪进展，打印工作台账，逐级上报汇总。$\r$\n$\r$\n本程序只为当前 Windows 用户安装，不需要管理员权限。$\r$\n$\r$\n如果这台电脑上已经装有旧版本，将直接升级：已有的清单、台账和备份都会保留，程序首次启动时先自动备份数据库再升级。$\r$\n$\r$\n安装前请先关闭正在运行的${APP_NAME}。"
!insertmacro MUI_PAGE_WELCOME
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE DirectoryLeave
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "现在启动${APP_NAME}"
!insertmacro MUI_PAGE_FINISH

UninstPage custom un.DataPageCreate un.DataPageLeave
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

; ---------------------------------------------------------------- a running program

; A running executable cannot be opened for writing: that is how we tell that the program
; (window or command line) still runs from $INSTDIR, without any plug-in.
!macro CHECK_NOT_RUNNING FILE
  ${If} ${FileExists} "$INSTDIR\${FILE}"
    ${Do}
      ClearErrors
      FileOpen $0 "$INSTDIR\${FILE}" a
      ${IfNot} ${Errors}
        FileClose $0
        ${Break}
      ${EndIf}
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP_NAME}正在运行。$\r$\n$\r$\n请先保存工作并关闭${APP_NAME}（包括命令行窗口中的${APP_NAME}），然后点“重试”。" /SD IDCANCEL IDRETRY +2
      Quit
    ${Loop}
  ${EndIf}
!macroend

!macro ENSURE_NOT_RUNNING_FUNCTION PREFIX
  Function ${PREFIX}EnsureNotRunning
    !insertmacro CHECK_NOT_RUNNING "${GUI_EXE}"
    !insertmacro CHECK_NOT_RUNNING "${CLI_EXE}"
  FunctionEnd
!macroend
!insertmacro ENSURE_NOT_RUNNING_FUNCTION ""
!insertmacro ENSURE_NOT_RUNNING_FUNCTION "un."

; ---------------------------------------------------------------- install

Function .onInit
  SetShellVarContext current
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME}需要 64 位的 Windows 10（1809 版）或更新版本。$\r$\n$\r$\n这台电脑的 Windows 是 32 位的，无法安装。" /SD IDOK
    SetErrorLevel 3
    Quit
  ${EndIf}
  ${IfNot} ${AtLeastBuild} ${MIN_WINDOWS_BUILD}
    MessageBox MB_OK|MB_ICONSTOP "${APP_NAME}需要 Windows 10（1809 版）或更新版本（Windows 11 也可以）。$\r$\n$\r$\n这台电脑的 Windows 版本较旧，无法安装。请先升级 Windows。" /SD IDOK
    SetErrorLevel 3
    Quit
  ${EndIf}
  Call EnsureNotRunning  ; early, for an upgrade ($INSTDIR comes from the registry)
FunctionEnd

; Can the current user write to $INSTDIR? Without administrator rights Program Files is
; read-only, and the files would fail to copy one by one. $0 = 1 when writable.
Function CheckWritable
  StrCpy $0 0
  ClearErrors
  CreateDirectory "$INSTDIR"
  ${IfNot} ${Errors}
    FileOpen $1 "$INSTDIR\.${PKG_NAME}-write-test" w
    ${IfNot} ${Errors}
      FileClose $1
      Delete "$INSTDIR\.${PKG_NAME}-write-test"
      StrCpy $0 1
    ${EndIf}
  ${EndIf}
FunctionEnd

Function DirectoryLeave
  Call CheckWritable
  ${If} $0 != 1
    RMDir "$INSTDIR"  ; only if it was just made and is empty
    MessageBox MB_OK|MB_ICONEXCLAMATION "不能安装到这个文件夹：$\r$\n$\r$\n    $INSTDIR$\r$\n$\r$\n当前用户没有写入它的权限（例如 Program Files 需要管理员权限）。${APP_NAME}只为当前用户安装，不需要管理员权限：请选择自己的文件夹，或使用默认的位置：$\r$\n$\r$\n    $LOCALAPPDATA\Programs\${APP_ID}"
    Abort
  ${EndIf}
FunctionEnd

Section "${APP_NAME}（必需）" SecProgram
  SectionIn RO
  Call EnsureNotRunning
  Call CheckWritable  ; a silent install (/S /D=...) has no directory page
  ${If} $0 != 1
    MessageBox MB_OK|MB_ICONSTOP "不能安装到 $INSTDIR：当前用户没有写入它的权限。" /SD IDOK
    SetErrorLevel 5
    Quit
  ${EndIf}
  SetOutPath "$INSTDIR"
  ; an upgrade replaces the program files; data\ and portable.txt (portable mode) stay
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  File /r "${DIST_DIR}\*.*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateShortcut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0

  WriteRegStr HKCU "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${APP_KEY}" "Version" "${APP_VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${APP_VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${APP_PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE},0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "桌面快捷方式" SecDesktop
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecProgram} "程序文件和开始菜单快捷方式。"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "在桌面上放一个${APP_NAME}的快捷方式。"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; ---------------------------------------------------------------- uninstall

Var DeleteDataCheckbox
Var DeleteData

Function un.onInit
  SetShellVarContext current
  StrCpy $DeleteData ${BST_UNCHECKED}
  Call un.EnsureNotRunning
FunctionEnd

Function un.DataPageCreate
  !insertmacro MUI_HEADER_TEXT "本机数据" "选择卸载后是否保留本机的清单、台账和备份。"
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  ${NSD_CreateLabel} 0 0 100% 64u "${APP_NAME}的数据（本单位的清单、进展、台账和自动备份）保存在：$\r$\n$\r$\n    $LOCALAPPDATA\${APP_ID}$\r$\n    （旧版本：$APPDATA\${APP_ID}）$\r$\n$\r$\n默认保留这些数据：重新安装${APP_NAME}后可以接着使用。"
  Pop $0
  ${NSD_CreateCheckbox} 0 76u 100% 12u "同时删除本机数据（不可恢复）"
  Pop $DeleteDataCheckbox
  ${NSD_SetState} $DeleteDataCheckbox $DeleteData
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $DeleteDataCheckbox $DeleteData
  ${If} $DeleteData == ${BST_CHECKED}
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "确定要删除本机的全部${APP_NAME}数据吗？$\r$\n$\r$\n$LOCALAPPDATA\${APP_ID}$\r$\n$APPDATA\${APP_ID}$\r$\n$\r$\n删除后无法恢复。如需保留，请先在程序中备份或导出上报包。" IDYES confirmed
    Abort
    confirmed:
  ${EndIf}
FunctionEnd

Section "Uninstall"
  Call un.EnsureNotRunning
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  ${If} ${FileExists} "$INSTDIR\${UNINSTALLER}"
    RMDir /r "$INSTDIR\_internal"
    Delete "$INSTDIR\${GUI_EXE}"
    Delete "$INSTDIR\${CLI_EXE}"
    Delete "$INSTDIR\${UNINSTALLER}"
    RMDir "$INSTDIR"  ; stays when it holds a portable data folder
  ${EndIf}
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "${APP_KEY}"
  ${If} $DeleteData == ${BST_CHECKED}
    RMDir /r "$LOCALAPPDATA\${APP_ID}"
    RMDir /r "$APPDATA\${APP_ID}"
  ${EndIf}
SectionEnd
