// Static files: the workbench build at / and GraphiQL's assets, served from this machine (no CDN).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Serves files under `root` for paths under `mount`; `fallback` (e.g. index.html) for paths that
 * name no file and look like a page (no extension), so /hosts/7 opens the app but a missing
 * /assets/x.js is a 404, not HTML. Files under assets/ carry a content hash: cached for a year.
 */
export function createStaticHandler(root: string, mount: string, fallback?: string) {
  return async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const relative = decodeURIComponent(pathname.slice(mount.length)).replace(/^\/+/, '');
    const target = normalize(join(root, relative));
    if (target !== root && !target.startsWith(root.endsWith(sep) ? root : root + sep)) return false;
    let file = target;
    let info = await stat(file).catch(() => undefined);
    if ((!info || info.isDirectory()) && fallback && !extname(relative)) {
      file = join(root, fallback);
      info = await stat(file).catch(() => undefined);
    }
    if (!info || !info.isFile()) return false;
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'x-content-type-options': 'nosniff',
      'cache-control': file.endsWith('.html') ? 'no-cache' : relative.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}
