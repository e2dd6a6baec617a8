/** The load loop shared by the benchmarks, and the HTTP client process the API benchmark runs. */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

export type DriveResult = {
  operations: number;
  failures: number;
  /** The first failure's message, so a run with failures says why. */
  firstFailure?: string | undefined;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU per operation: the process driving the load, and the local PostgreSQL server (null when not on this machine). */
  cpuMsPerOp: { driver: number; database: number | null };
};

/** CPU time (ms) of every `postgres` process on this machine, or null when none can be read. */
export const databaseCpuMs = (): number | null => {
  let ticks = 0;
  let found = false;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) continue;
      const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      found = true;
    } catch {
      // The process ended meanwhile.
    }
  }
  // Linux reports in clock ticks of 10 ms.
  return found ? ticks * 10 : null;
};

export const processCpuMs = (since?: NodeJS.CpuUsage) => {
  const usage = process.cpuUsage(since);
  return (usage.user + usage.system) / 1000;
};

const perOp = (ms: number, operations: number) => +(ms / Math.max(1, operations)).toFixed(3);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

/** Runs `work` on `clients` concurrent loops for `seconds`; throughput and latency percentiles. */
export const drive = async (clients: number, seconds: number, work: (client: number) => Promise<void>): Promise<DriveResult> => {
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const until = Date.now() + seconds * 1000;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const databaseBefore = databaseCpuMs();
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (Date.now() < until) {
        const t0 = performance.now();
        try {
          await work(client);
          latencies.push(performance.now() - t0);
        } catch (error) {
          failures++;
          firstFailure ??= error instanceof Error ? error.message.slice(0, 300) : String(error);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const driverMs = processCpuMs(cpuBefore);
  const databaseAfter = databaseCpuMs();
  latencies.sort((a, b) => a - b);
  return {
    operations: latencies.length,
    failures,
    firstFailure,
    perSecond: Math.round(latencies.length / elapsed),
    p50Ms: +percentile(latencies, 50).toFixed(2),
    p99Ms: +percentile(latencies, 99).toFixed(2),
    cpuMsPerOp: {
      driver: perOp(driverMs, latencies.length),
      database: databaseBefore === null || databaseAfter === null ? null : perOp(databaseAfter - databaseBefore, latencies.length),
    },
  };
};

export type HttpLoad = { address: string; headers: Record<string, string>; customers: string[]; clients: number; seconds: number };

/** The points-earn HTTP load, run in a child process; resolves with its figures and the server's CPU per operation. */
export const httpLoad = async (load: HttpLoad): Promise<DriveResult & { serverCpuMsPerOp: number }> => {
  const before = process.cpuUsage();
  const result = await runChild(load);
  return { ...result, serverCpuMsPerOp: perOp(processCpuMs(before), result.operations) };
};

const runChild = (load: HttpLoad): Promise<DriveResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output) as DriveResult) : reject(new Error(`HTTP load client exited with ${code}`))));
    child.stdin.end(JSON.stringify(load));
  });

const runClient = async () => {
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const load = JSON.parse(input) as HttpLoad;
  // node:http with a keep-alive agent: a lighter client than fetch, so the load generator takes
  // as little of the machine as it can from the server under test.
  const agent = new http.Agent({ keepAlive: true, maxSockets: load.clients });
  const target = new URL(load.address);
  const body = JSON.stringify({ points: 10, reason: '压测' });
  let next = 0;
  const post = (customer: string) =>
    new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: `/api/v1/customers/${customer}/points/adjustments`,
          headers: {
            ...load.headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'idempotency-key': `bench-${randomUUID()}`,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const result = await drive(load.clients, load.seconds, async () => {
    const status = await post(load.customers[next++ % load.customers.length] ?? '');
    if (status !== 201) throw new Error(String(status));
  });
  agent.destroy();
  process.stdout.write(JSON.stringify(result));
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await runClient();
