import { describe, expect, it } from 'vitest';
import { linuxCommand, psQuote, serverUrl, shQuote, windowsCommand } from './install-commands.ts';

describe('enrolment commands', () => {
  const t = { server: 'http://monitor.example:4000', token: 'esm_e_AbC-123_x' };
  it('gives the Linux enrol command of esmon-agent.service, with the hostname a bound token needs', () => {
    expect(linuxCommand(t)).toBe(
      'sudo -u esmon-agent esmon-agent enroll --server http://monitor.example:4000 --token esm_e_AbC-123_x --config /etc/esmon-agent && sudo systemctl enable --now esmon-agent',
    );
    expect(linuxCommand({ ...t, hostname: 'web-01' })).toContain('--token esm_e_AbC-123_x --hostname web-01 --config');
  });
  it('gives the Windows service installer with its parameters', () => {
    expect(windowsCommand(t)).toBe(".\\install-windows-service.ps1 -Server 'http://monitor.example:4000' -Token 'esm_e_AbC-123_x'");
  });
  it('quotes for each shell', () => {
    expect(shQuote('plain-1.2')).toBe('plain-1.2');
    expect(shQuote("it's $x")).toBe(`'it'\\''s $x'`);
    expect(psQuote("it's")).toBe("'it''s'");
  });
  it('takes an http(s) server address, without a trailing slash', () => {
    expect(serverUrl(' http://127.0.0.1:4000/ ')).toBe('http://127.0.0.1:4000');
    expect(serverUrl('https://mon.example/esmon/')).toBe('https://mon.example/esmon');
    expect(serverUrl('ftp://x')).toBeNull();
    expect(serverUrl('monitor:4000')).toBeNull();
    expect(serverUrl('http://u:p@x')).toBeNull();
  });
});
