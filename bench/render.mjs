#!/usr/bin/env node
// Attribute-building cost of the big map layers, measured in Chromium (the renderer's engine):
// 100k and 1M incidents to typed arrays, and 10,000 units all moving once per update. This is
// main-thread JS time; drawing (GPU) is not included and not meaningful here, where WebGL is
// software-rendered. Targets: 1M incidents ≤ 500 ms, a 10k-unit update ≤ 16 ms. Memory: JS heap
// per layer size (CDP Performance.getMetrics after a forced GC) plus the typed arrays' bytes.
import path from 'node:path';
import { build } from 'esbuild';
import { launchChromium, root } from './browser.mjs';

const bundle = await build({ entryPoints: [path.join(root, 'bench', 'renderWork.ts')], bundle: true, write: false, format: 'iife', target: 'chrome120', logLevel: 'silent' });
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setContent('<!doctype html><title>render bench</title>');
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  const result = await page.evaluate(() => window.runRenderBench());
  const round = (x) => Math.round(x * 10) / 10;

  // Memory per layer size: the JS heap (V8's JSHeapUsedSize over CDP, after a forced GC) taken by
  // the items as the store holds them, then by building the layer's attributes; the typed arrays
  // themselves are outside the JS heap, so their bytes are given apart.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize').value;
  };
  const mb = (bytes) => round(bytes / 2 ** 20);
  const memory = {};
  for (const [kind, n, label] of [['incidents', 100_000, 'incidents100k'], ['incidents', 1_000_000, 'incidents1M'], ['units', 10_000, 'units10k']]) {
    const before = await heap();
    await page.evaluate(([k, size]) => window.memoryStep(k, size, 'data'), [kind, n]);
    const withData = await heap();
    const typedBytes = await page.evaluate(([k, size]) => window.memoryStep(k, size, 'attributes'), [kind, n]);
    const withAttributes = await heap();
    await page.evaluate(() => window.memoryStep('incidents', 0, 'clear'));
    memory[label] = { storeObjectsHeapMB: mb(withData - before), attributesHeapMB: mb(withAttributes - withData), attributesTypedArrayMB: mb(typedBytes), bytesPerItem: Math.round((withAttributes - before + typedBytes) / n) };
  }
  memory.jsHeapAfterMB = mb(await heap());
  console.log(
    JSON.stringify({
      bench: 'render',
      engine: `Chromium ${browser.version()}`,
      incidents100kBuildMs: round(result.incidents100k.medianBuildMs),
      incidents1MBuildMs: round(result.incidents1M.medianBuildMs),
      incidents1MTypedArrayMB: round(result.incidents1M.typedArrayBytes / 2 ** 20),
      clusters1MAtZoom11Ms: round(result.incidents1M.clusterMsAtZoom11),
      units10kUpdateMedianMs: round(result.units10k.medianUpdateMs),
      units10kUpdateP95Ms: round(result.units10k.p95UpdateMs),
      memory,
      targets: { incidents1MBuildMs: 500, units10kUpdateMs: 16 },
    }),
  );
} finally {
  await browser.close();
}
