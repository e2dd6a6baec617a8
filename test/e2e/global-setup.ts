import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const e2eResultsDir = path.join(repoDir, 'test-results', 'e2e');
const port = Number(process.env.YUEHUI_E2E_PORT ?? 3917);
const baseUrl = `http://127.0.0.1:${port}`;
/** The first start builds the web apps and seeds the demo clinic: on a busy machine, give it longer with YUEHUI_E2E_START_TIMEOUT_S. */
const startTimeoutMs = Number(process.env.YUEHUI_E2E_START_TIMEOUT_S ?? 180) * 1000;

const isHealthy = async (url = baseUrl) => {
  try {
    const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false;
  }
};

const logTail = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).split('\n').slice(-40).join('\n');

const waitForHealth = async (server: ChildProcess, logFile: string, url = baseUrl) => {
  const deadline = Date.now() + startTimeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`the server exited (${server.exitCode ?? server.signalCode}) before it was healthy:\n${await logTail(logFile)}`);
    }
    if (await isHealthy(url)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`GET /api/health did not answer 200 within ${startTimeoutMs / 1000} s:\n${await logTail(logFile)}`);
};

const stop = async (server: ChildProcess) => {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
};

/**
 * A second server for journeys that need their own database (e.g. the first start on an empty
 * one): `src/main.ts serve` as `npm start` runs it, with the web apps the global setup built.
 * Resolves once /api/health answers; `stop` ends it and removes its data.
 */
export const startExtraServer = async (options: { port: number; env: Record<string, string>; name: string }) => {
  const url = `http://127.0.0.1:${options.port}`;
  if (await isHealthy(url)) throw new Error(`something already answers on ${url}`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `yuehui-e2e-${options.name}-`));
  const logFile = path.join(e2eResultsDir, `server-${options.name}.log`);
  const log = createWriteStream(logFile);
  const { NODE_ENV: _nodeEnv, ...env } = process.env;
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: repoDir,
    env: { ...env, PORT: String(options.port), HOST: '127.0.0.1', YUEHUI_DATA_DIR: dataDir, YUEHUI_SKIP_WEB_BUILD: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  const stopServer = async () => {
    await stop(server);
    log.end();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(server, logFile, url);
  } catch (error) {
    await stopServer();
    throw error;
  }
  return { baseUrl: url, stop: stopServer };
};

/** Starts `src/main.ts serve` on a fresh embedded database, as `npm start` would, and stops it afterwards. */
export default async function setup(project: TestProject) {
  if (await isHealthy()) throw new Error(`something already answers on ${baseUrl}; stop it or set YUEHUI_E2E_PORT`);
  await mkdir(e2eResultsDir, { recursive: true });
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'yuehui-e2e-'));
  const logFile = path.join(e2eResultsDir, 'server.log');
  const log = createWriteStream(logFile);

  // The server's own defaults (NODE_ENV development, demo clinic), not vitest's NODE_ENV=test.
  const { NODE_ENV: _nodeEnv, ...env } = process.env;
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: repoDir,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', YUEHUI_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);
  // If vitest is interrupted before the teardown runs, do not leave the server behind.
  const killOnExit = () => server.kill('SIGKILL');
  process.once('exit', killOnExit);

  try {
    await waitForHealth(server, logFile);
  } catch (error) {
    process.off('exit', killOnExit);
    await stop(server);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide('baseUrl', baseUrl);

  return async () => {
    process.off('exit', killOnExit);
    await stop(server);
    log.end();
    await rm(dataDir, { recursive: true, force: true });
  };
}
