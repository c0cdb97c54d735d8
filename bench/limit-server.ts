/**
 * The practical limit: a minimal node:http handler that answers each benchmark operation with
 * one optimal, hand-written SQL statement whose result is already the response body.
 * Usage: tsx bench/limit-server.ts <port> <database url>
 */
import http from 'node:http';
import pg from 'pg';
import { QUERIES } from './queries.js';

const [port, url] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 10 });
const byName = new Map(QUERIES.map((q) => [q.name, q]));

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const { operationName, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const q = byName.get(operationName)!;
      const { rows } = await pool.query({ name: q.name, text: q.sql, values: q.params(variables ?? {}) });
      const body = rows[0].body as string;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    } catch (err) {
      res.writeHead(500);
      res.end(String(err));
    }
  });
});
server.keepAliveTimeout = 30_000;
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
