// npm run build:agent — the agent as one executable for linux-x64 (Node's single executable
// application): esbuild bundles the agent into one CommonJS file, Node writes the SEA blob, and
// postject injects it into a copy of this node binary. Output: dist/agent/esmon-agent (+ the
// systemd unit and the Windows service script beside it). Native addons (odbc for the DB2 plugin)
// cannot live inside the blob: the DB2 plugin reports itself unsupported in the binary unless
// `odbc` is installed next to it (see README).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(root, 'dist', 'agent');
const step = (what: string) => process.stdout.write(`build:agent: ${what}\n`);

const version = (JSON.parse(readFileSync(join(root, 'agent', 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';

/**
 * zod re-exports every translation of its messages as `locales`; a namespace re-export esbuild
 * cannot drop, ~50 modules the agent never uses (its messages are zod's English ones, which zod
 * imports apart). The re-export is pointed at an empty module.
 */
const zodWithoutLocales: Plugin = {
  name: 'zod-without-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'empty' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

async function main() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`build:agent makes a linux-x64 binary and must run on linux-x64 (this is ${process.platform}-${process.arch})`);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  step('bundling with esbuild');
  const bundle = join(out, 'esmon-agent.cjs');
  await build({
    entryPoints: [join(root, 'agent', 'src', 'cli.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: bundle,
    // native addons and optional drivers are loaded at run time if present beside the binary;
    // systeminformation serves only Windows and macOS (this binary is linux-x64, which reads /proc)
    external: ['odbc', 'bufferutil', 'utf-8-validate', 'systeminformation'],
    define: {
      'process.env.ESMON_AGENT_VERSION': JSON.stringify(version),
      // ws would try require('bufferutil') / require('utf-8-validate'), which a single executable
      // cannot load (Node warns on every start): use ws's pure-JS paths
      'process.env.WS_NO_BUFFER_UTIL': '"1"',
      'process.env.WS_NO_UTF_8_VALIDATE': '"1"',
    },
    logLevel: 'warning',
    legalComments: 'none',
    // a smaller script is a smaller string held in the heap for the agent's whole life; names
    // are kept so stack traces still read
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    plugins: [zodWithoutLocales],
  });

  step('writing the SEA blob');
  const seaConfig = join(out, 'sea-config.json');
  const blob = join(out, 'esmon-agent.blob');
  writeFileSync(seaConfig, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false }));
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' });

  step('injecting it into a copy of node');
  const exe = join(out, 'esmon-agent');
  copyFileSync(process.execPath, exe);
  chmodSync(exe, 0o755);
  execFileSync(process.execPath, [
    join(root, 'node_modules', 'postject', 'dist', 'cli.js'),
    exe,
    'NODE_SEA_BLOB',
    blob,
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ], { stdio: 'inherit' });

  for (const f of ['esmon-agent.service', 'install-windows-service.ps1']) copyFileSync(join(here, f), join(out, f));
  rmSync(blob);
  rmSync(seaConfig);
  const mb = (statSync(exe).size / 1e6).toFixed(1);
  step(`done: ${exe} (${mb} MB), version ${version}`);
}

await main();
