# Builds the Windows installer of Policy Ledger on a Windows machine:
#   1. PyInstaller (one folder) -> dist\PolicyLedger\PolicyLedger.exe (window)
#                                  dist\PolicyLedger\policy-ledger.exe (command line)
#   2. code signing of the two executables, when a certificate is configured (sign.ps1)
#   3. the frozen program's self-test
#   4. NSIS -> dist\PolicyLedger-Setup-<version>.exe (its uninstaller and the installer
#      itself signed too, when a certificate is configured)
#
# From the project folder, with Python 3.11 and NSIS 3 (https://nsis.sourceforge.io) installed:
#   py -3.11 -m venv .venv; .venv\Scripts\python -m pip install -e ".[test]"
#   powershell -ExecutionPolicy Bypass -File installer\windows\build.ps1
# Options: -Python <python.exe> (default: .venv\Scripts\python.exe, else python),
#          -SkipFreeze (reuse dist\PolicyLedger), -Makensis <path to makensis.exe>.
# Code signing: set POLICY_LEDGER_SIGN_PFX (+ POLICY_LEDGER_SIGN_PASSWORD) or
# POLICY_LEDGER_SIGN_THUMBPRINT first; see installer\windows\sign.ps1. Without them
# nothing is signed and the build says so.
param(
    [string]$Python = "",
    [switch]$SkipFreeze,
    [string]$Makensis = ""
)
$ErrorActionPreference = "Stop"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root

if (-not $Python) {
    $Python = if (Test-Path ".venv\Scripts\python.exe") { ".venv\Scripts\python.exe" } else { "python" }
}

function Invoke-Checked([string]$What, [scriptblock]$Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

$Version = (& $Python installer\project_meta.py version).Trim()
$InstallerName = (& $Python installer\project_meta.py installer-name).Trim()
Write-Host "Policy Ledger $Version"

if (-not $SkipFreeze) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    if (Test-Path build\pyinstaller) { Remove-Item -Recurse -Force build\pyinstaller }
    if (Test-Path dist\PolicyLedger) { Remove-Item -Recurse -Force dist\PolicyLedger }
    Invoke-Checked "PyInstaller" {
        & $Python -m PyInstaller --noconfirm --log-level WARN --distpath dist `
            --workpath build\pyinstaller installer\policy-ledger.spec
    }
    $size = (Get-ChildItem -Recurse -File dist\PolicyLedger | Measure-Object -Sum Length).Sum / 1MB
    Write-Host ("Frozen build: {0:N0} s, {1:N0} MB" -f $sw.Elapsed.TotalSeconds, $size)
}

foreach ($exe in "PolicyLedger.exe", "policy-ledger.exe") {
    if (-not (Test-Path "dist\PolicyLedger\$exe")) { throw "dist\PolicyLedger\$exe is missing" }
}
$Sign = Join-Path $Root "installer\windows\sign.ps1"
$Signing = [bool]($env:POLICY_LEDGER_SIGN_PFX -or $env:POLICY_LEDGER_SIGN_THUMBPRINT)
if ($Signing) {
    Invoke-Checked "code signing" {
        powershell -NoProfile -ExecutionPolicy Bypass -File $Sign `
            dist\PolicyLedger\PolicyLedger.exe dist\PolicyLedger\policy-ledger.exe
    }
} else {
    Write-Host "Not signed: no certificate configured (POLICY_LEDGER_SIGN_PFX or POLICY_LEDGER_SIGN_THUMBPRINT)"
}
Invoke-Checked "selftest" { & dist\PolicyLedger\policy-ledger.exe selftest }

if (-not $Makensis) {
    $found = Get-Command makensis -ErrorAction SilentlyContinue
    $Makensis = if ($found) { $found.Source } else { "${env:ProgramFiles(x86)}\NSIS\makensis.exe" }
}
if (-not (Test-Path $Makensis)) { throw "makensis.exe not found: install NSIS 3 or pass -Makensis" }

# ASCII defines only (the Chinese texts live in the .nsi, saved as UTF-8 with BOM)
$Defines = @(& $Python installer\project_meta.py nsis-defines)
if ($Signing) { $Defines += "-DSIGN_SCRIPT=$Sign" }  # signs the uninstaller and the installer
Invoke-Checked "makensis" {
    & $Makensis -V2 -WX -INPUTCHARSET UTF8 @Defines `
        "-DDIST_DIR=$Root\dist\PolicyLedger" "-DOUTPUT_DIR=$Root\dist" `
        installer\windows\policy-ledger.nsi
}
$Installer = Join-Path $Root "dist\$InstallerName"
if (-not (Test-Path $Installer)) { throw "$Installer was not created" }
Write-Host ("Installer: {0} ({1:N1} MB)" -f $Installer, ((Get-Item $Installer).Length / 1MB))
