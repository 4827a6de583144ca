import { spawnScan, floorOf, apiTotals, DEFAULT_LATENCY_MS } from './scanner/run';
void (async () => {
  const n = Number(process.argv[2] ?? 5000);
  for (let i = 0; i < Number(process.argv[3] ?? 3); i += 1) {
    const r = await spawnScan({ resources: n, latencyMs: DEFAULT_LATENCY_MS, serial: false, maxAttempts: 20, label: 'x' });
    const f = floorOf(r.lanes, DEFAULT_LATENCY_MS);
    const t = apiTotals(r.apis);
    console.log(`${n}: wall ${(r.wallMs / 1000).toFixed(1)} s cpu ${(r.cpuMs / 1000).toFixed(1)} s floor ${f.seconds.toFixed(1)} (${f.api}) ${(r.wallMs / 1000 / f.seconds).toFixed(2)}x calls ${t.ok}+${t.throttled} peak ${(r.peakRssKiB / 1024).toFixed(0)} MiB mism ${r.mismatches.length}`);
  }
})();
