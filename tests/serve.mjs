// A static file server for the end-to-end tests: serves a trunk build on 127.0.0.1 under a
// path prefix ("/" or a GitHub Pages-style sub-path such as "/hashhalo/").
//
// usage: node serve.mjs <dist folder> <port> [prefix]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const [dist, portArg, prefix = '/'] = process.argv.slice(2);
if (!dist || !portArg || !prefix.startsWith('/') || !prefix.endsWith('/')) {
  console.error('usage: node serve.mjs <dist folder> <port> [/prefix/]');
  process.exit(2);
}
const root = path.resolve(dist);
if (!fs.existsSync(path.join(root, 'index.html'))) {
  console.error(`${root}/index.html is missing: run \`cargo xtask test --only build\` first`);
  process.exit(2);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  let pathname = decodeURIComponent(url.pathname);
  if (pathname === prefix.slice(0, -1)) pathname = prefix;
  if (!pathname.startsWith(prefix)) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`not under ${prefix}`);
    return;
  }
  let rel = pathname.slice(prefix.length);
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const file = path.resolve(root, rel);
  if (!file.startsWith(root + path.sep)) {
    res.writeHead(403).end();
    return;
  }
  fs.readFile(file, (err, body) => {
    if (err) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
  });
});

server.listen(Number(portArg), '127.0.0.1', () => {
  console.log(`serving ${root} at http://127.0.0.1:${portArg}${prefix}`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
