/**
 * Runs the real `koyalite` CLI as a child process (as a user would), on 127.0.0.1 and a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/koyalite.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface Running {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function pollUntil<T>(fn: () => Promise<T | undefined>, deadlineMs: number, what: string): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await fn().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function run(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, url: `http://127.0.0.1:${env.PORT ?? '4000'}`, output: () => out, exited };
}

/** Starts `koyalite serve` and resolves once /readyz answers 200. */
export async function serve(env: Record<string, string>): Promise<Running> {
  const port = String(await freePort());
  const r = run(['serve'], { ...env, PORT: port });
  let exitedEarly = false;
  void r.exited.then(() => (exitedEarly = true));
  await pollUntil(
    async () => {
      if (exitedEarly) throw new Error(`server exited during start:\n${r.output()}`);
      const res = await fetch(`${r.url}/readyz`);
      return res.status === 200 ? true : undefined;
    },
    60_000,
    'readyz',
  ).catch((err) => {
    r.child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${r.output()}`);
  });
  return r;
}
