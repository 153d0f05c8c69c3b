import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type http from 'node:http';
import type { GraphiQLOptions } from 'graphql-yoga';
import { GRAPHIQL_ASSETS_PATH, pathOf } from './paths.js';

// GraphiQL's page and assets come from this server (server/assets/graphiql/, refreshed by
// scripts/vendor-graphiql.sh), so the playground works offline. The page is yoga's own, with
// the CDN addresses replaced by ours.

const ASSETS_DIR = new URL('../../assets/graphiql/', import.meta.url);
const ASSETS: Record<string, string> = {
  'yoga-graphiql.umd.js': 'application/javascript; charset=utf-8',
  'graphiql.css': 'text/css; charset=utf-8',
  'editor.worker.bundle.js': 'application/javascript; charset=utf-8',
  'json.worker.bundle.js': 'application/javascript; charset=utf-8',
  'graphql.worker.bundle.js': 'application/javascript; charset=utf-8',
};
const cache = new Map<string, Buffer>();

/** Serves a GraphiQL asset; false when the request is for something else. */
export async function serveGraphiqlAsset(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> {
  const path = pathOf(req.url);
  if (!path.startsWith(GRAPHIQL_ASSETS_PATH)) return false;
  const name = path.slice(GRAPHIQL_ASSETS_PATH.length);
  const type = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
  if (!type || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('No such GraphiQL asset');
    return true;
  }
  let gzipped = cache.get(name);
  if (!gzipped) {
    gzipped = await readFile(new URL(`${name}.gz`, ASSETS_DIR));
    cache.set(name, gzipped);
  }
  const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = acceptsGzip ? gzipped : gunzipSync(gzipped);
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'public, max-age=86400',
    vary: 'accept-encoding',
    ...(acceptsGzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : body);
  return true;
}

const asset = (name: string) => `${GRAPHIQL_ASSETS_PATH}${name}`;

/** yoga's GraphiQL page, loading everything from this server. */
export function renderLocalGraphiQL(options?: GraphiQLOptions): string {
  const title = escapeHtml(options?.title ?? 'GraphiQL');
  const workers = JSON.stringify({ editorWorkerService: asset('editor.worker.bundle.js'), json: asset('json.worker.bundle.js'), graphql: asset('graphql.worker.bundle.js') });
  // `</` cannot end the inline script early once escaped.
  const opts = JSON.stringify(options ?? {}).replace(/</g, '\\u003c');
  return `<!doctype html><html lang=en><head><meta charset=utf-8><title>${title}</title>
<link rel=stylesheet href=${asset('graphiql.css')}></head>
<body id=body class=no-focus-outline><noscript>You need to enable JavaScript to run this app.</noscript><div id=root>Loading ${title}…</div>
<script>const workers={},workerUrls=${workers};
function prepareWorkers(){return Promise.all(Object.entries(workerUrls).map(async([k,u])=>{const r=await fetch(u);workers[k]=URL.createObjectURL(new Blob([await r.text()],{type:"application/javascript"}))}))}
self.MonacoEnvironment={globalAPI:false,getWorkerUrl:function(_m,label){return workers[label]}}</script>
<script src=${asset('yoga-graphiql.umd.js')}></script>
<script>prepareWorkers().finally(()=>{YogaGraphiQL.renderYogaGraphiQL(root,${opts})})</script></body></html>`;
}

function escapeHtml(text: string) {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
