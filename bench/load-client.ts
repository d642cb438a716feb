/**
 * The load tool of bench/tracker-api.ts, run as its own process so that generating load
 * and reading responses does not share the server's event loop (a load tool "on
 * loopback", as issue 3 asks). Reads its settings as JSON from argv[2]; prints the
 * latencies' percentiles and the request rate as JSON on stdout.
 */
import autocannon from 'autocannon';

interface LoadSettings {
  url: string;
  cookie: string;
  paths: string[];
  connections: number;
  seconds: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

const s = JSON.parse(process.argv[2] ?? '{}') as LoadSettings;
const times: number[] = [];
let non2xx = 0;
let next = 0;
const result = await autocannon({
  url: s.url,
  connections: s.connections,
  duration: s.seconds,
  // As the web app's browser asks (Chromium sends this Accept-Encoding): the server answers
  // with its ready-made gzip bytes.
  headers: { cookie: s.cookie, 'accept-encoding': 'gzip, deflate, br, zstd' },
  requests: [
    {
      setupRequest: (req) => ({ ...req, method: 'GET', path: s.paths[next++ % s.paths.length] as string }),
    },
  ],
  setupClient: (client) => {
    client.on('response', (statusCode: number, _bytes: number, responseTime: number) => {
      times.push(responseTime);
      if (statusCode < 200 || statusCode > 299) non2xx++;
    });
  },
});
times.sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({
    requests: times.length,
    non2xx,
    requestsPerSecond: +result.requests.average.toFixed(1),
    p50Ms: +percentile(times, 50).toFixed(1),
    p95Ms: +percentile(times, 95).toFixed(1),
    p99Ms: +percentile(times, 99).toFixed(1),
  }),
);
