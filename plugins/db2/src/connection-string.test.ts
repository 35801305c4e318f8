import { describe, expect, it } from 'vitest';
import { hasCredentials, odbcValue, scrubSecrets, withCredentials } from './connection-string.ts';

describe('connection strings', () => {
  it.each([
    ['DRIVER={IBM DB2 ODBC DRIVER};DATABASE=MAXDB76;HOSTNAME=db;PORT=50000;PROTOCOL=TCPIP', false],
    ['DATABASE=MAXDB76;UID=maximo', true],
    ['DATABASE=MAXDB76; pwd = x', true],
    ['Password=x;DATABASE=MAXDB76', true],
    ['DATABASE=MAXDB76;User=maximo', true],
    ['DATABASE=USERS;AUTHENTICATION=SERVER_ENCRYPT', false],
  ])('%s holds credentials: %s', (text, expected) => {
    expect(hasCredentials(text)).toBe(expected);
  });

  it('appends credentials, bracing values that could add keys', () => {
    expect(withCredentials('DSN=MAXDB76;', { user: 'maximo', password: 'p;DATABASE=other}' })).toBe(
      'DSN=MAXDB76;UID=maximo;PWD={p;DATABASE=other}}}',
    );
    expect(withCredentials('DSN=MAXDB76', {})).toBe('DSN=MAXDB76');
    expect(odbcValue(' lead')).toBe('{ lead}');
  });

  it('replaces each secret with its reference, the longer first', () => {
    const secrets = [
      { ref: 'secret:user', value: 'maximo' },
      { ref: 'secret:pw', value: 'maximo;1}' },
    ];
    expect(scrubSecrets('login maximo with maximo;1} failed', secrets)).toBe(
      'login secret:user with secret:pw failed',
    );
    expect(scrubSecrets('echo PWD={maximo;1}}}', secrets)).toBe('echo PWD=secret:pw');
    expect(scrubSecrets('nothing here', [{ ref: 'secret:empty', value: '' }])).toBe('nothing here');
  });
});
