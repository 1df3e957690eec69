# Signs one file (an .exe of the program, the installer or its uninstaller) with the office's
# code-signing certificate, when one is configured; build.ps1 and makensis call it.
#
# Signed programs are not stopped by SmartScreen ("Windows 已保护你的电脑") once the
# certificate has a reputation, and antivirus (360, 火绒, Defender) quarantines them far
# less often. Nothing is signed unless one of these environment variables is set:
#
#   POLICY_LEDGER_SIGN_PFX         path to the certificate file (.pfx / .p12). Keep it
#                                  outside the project folder (never commit it), e.g.
#                                  D:\证书\office-codesign.pfx or a USB key.
#   POLICY_LEDGER_SIGN_PASSWORD    the .pfx password (set it in the session or as a CI
#                                  secret, never in a file)
# or
#   POLICY_LEDGER_SIGN_THUMBPRINT  the SHA-1 thumbprint of a certificate already in the
#                                  current user's certificate store (Personal), e.g. on a
#                                  hardware token (EV certificates live on one)
#
#   POLICY_LEDGER_SIGN_TIMESTAMP   RFC 3161 time-stamp server
#                                  (default http://timestamp.digicert.com): a time-stamped
#                                  signature stays valid after the certificate expires
#   POLICY_LEDGER_SIGNTOOL         path to signtool.exe (default: found on PATH, else the
#                                  newest Windows SDK under Program Files (x86)\Windows Kits)
#
# Usage: powershell -ExecutionPolicy Bypass -File installer\windows\sign.ps1 <file> [<file> ...]
# Exit code 0 when every file was signed and verified; 1 otherwise; 0 with a note when no
# certificate is configured (callers check Test-SigningConfigured first).
param([Parameter(ValueFromRemainingArguments = $true)][string[]]$Files)
$ErrorActionPreference = "Stop"

$pfx = $env:POLICY_LEDGER_SIGN_PFX
$thumbprint = $env:POLICY_LEDGER_SIGN_THUMBPRINT
if (-not $pfx -and -not $thumbprint) {
    Write-Host "No code-signing certificate configured (POLICY_LEDGER_SIGN_PFX or _THUMBPRINT): not signed."
    exit 0
}

$signtool = $env:POLICY_LEDGER_SIGNTOOL
if (-not $signtool) {
    $found = Get-Command signtool.exe -ErrorAction SilentlyContinue
    if ($found) {
        $signtool = $found.Source
    } else {
        $kits = Join-Path ${env:ProgramFiles(x86)} "Windows Kits\10\bin"
        $signtool = Get-ChildItem -Path $kits -Recurse -Filter signtool.exe -ErrorAction SilentlyContinue |
            Where-Object { $_.FullName -match "\\x64\\" } | Sort-Object FullName -Descending |
            Select-Object -First 1 -ExpandProperty FullName
    }
}
if (-not $signtool -or -not (Test-Path $signtool)) {
    Write-Error "signtool.exe not found: install the Windows SDK or set POLICY_LEDGER_SIGNTOOL"
    exit 1
}

$timestamp = if ($env:POLICY_LEDGER_SIGN_TIMESTAMP) { $env:POLICY_LEDGER_SIGN_TIMESTAMP } else { "http://timestamp.digicert.com" }
$identity = if ($pfx) {
    if (-not (Test-Path $pfx)) { Write-Error "certificate file not found: $pfx"; exit 1 }
    @("/f", $pfx) + $(if ($env:POLICY_LEDGER_SIGN_PASSWORD) { @("/p", $env:POLICY_LEDGER_SIGN_PASSWORD) } else { @() })
} else {
    @("/sha1", $thumbprint)
}

foreach ($file in $Files) {
    & $signtool sign /fd SHA256 /tr $timestamp /td SHA256 /d "清单台账" @identity $file
    if ($LASTEXITCODE -ne 0) { Write-Error "signing $file failed"; exit 1 }
    & $signtool verify /pa /q $file
    if ($LASTEXITCODE -ne 0) { Write-Error "the signature of $file does not verify"; exit 1 }
    Write-Host "Signed: $file"
}
exit 0
