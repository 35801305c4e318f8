// GraphiQL's page, rendered once at start: assets from this server (no CDN, no favicon from
// GitHub) and the sha256 of each inline script, which GraphiQL's Content-Security-Policy allows
// by name, so the page runs its own two scripts and nothing injected.
import { createHash } from 'node:crypto';
import { renderGraphiQL, type GraphiQLOptions } from 'graphql-yoga';

const CDN = /https:\/\/unpkg\.com\/@graphql-yoga\/graphiql@[^/]+\/dist\//g;
const FAVICON = /<link rel=icon href=[^>]*>/;
const INLINE_SCRIPT = /<script>([\s\S]*?)<\/script>/g;

export interface GraphiQLPage {
  html: string;
  /** 'sha256-…' of every inline <script> of html */
  scriptHashes: string[];
}

export function renderGraphiQLPage(options: GraphiQLOptions): GraphiQLPage {
  const html = renderGraphiQL(options).replace(CDN, '/graphiql/assets/').replace(FAVICON, '<link rel=icon href="data:,">');
  const scriptHashes = [...html.matchAll(INLINE_SCRIPT)].map((m) => `sha256-${createHash('sha256').update(m[1]!, 'utf8').digest('base64')}`);
  return { html, scriptHashes };
}
