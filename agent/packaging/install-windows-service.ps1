# Installs the esmon agent as a Windows service (run in an elevated PowerShell).
#   .\install-windows-service.ps1 -Server https://monitor:4000 -Token esm_e_… [-BinaryPath C:\Program Files\esmon\esmon-agent.exe]
# The Windows binary is built the same way as the Linux one (npm run build:agent on a Windows
# build machine); the service runs it with a config and a data directory under ProgramData.
param(
  [Parameter(Mandatory = $true)][string]$Server,
  [Parameter(Mandatory = $true)][string]$Token,
  [string]$BinaryPath = "$env:ProgramFiles\esmon\esmon-agent.exe",
  [string]$ServiceName = 'esmon-agent'
)
$ErrorActionPreference = 'Stop'
$config = Join-Path $env:ProgramData 'esmon-agent'
$data = Join-Path $config 'data'
New-Item -ItemType Directory -Force -Path $config, $data | Out-Null
# only SYSTEM and Administrators may read the agent key
icacls $config /inheritance:r /grant:r 'SYSTEM:(OI)(CI)F' 'Administrators:(OI)(CI)F' | Out-Null

& $BinaryPath enroll --server $Server --token $Token --config $config
if ($LASTEXITCODE -ne 0) { throw "enrolment failed (exit $LASTEXITCODE)" }

$command = "`"$BinaryPath`" run --config `"$config`" --data-dir `"$data`""
if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
  Stop-Service -Name $ServiceName -Force
  sc.exe config $ServiceName binPath= $command | Out-Null
} else {
  New-Service -Name $ServiceName -BinaryPathName $command -DisplayName 'esmon agent' -StartupType Automatic | Out-Null
}
# restart after a crash: 5 s, 5 s, then every 30 s
sc.exe failure $ServiceName reset= 86400 actions= restart/5000/restart/5000/restart/30000 | Out-Null
Start-Service -Name $ServiceName
Get-Service -Name $ServiceName
