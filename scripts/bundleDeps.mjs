// The packaging rule (docs/deploy.md §10): the Node bundles in dist/ carry every pure-JS package
// inside them, so the installed app's node_modules holds only what cannot be bundled. A package
// left outside a bundle must be a production dependency, or it is missing on every workstation.
import { builtinModules } from 'node:module';

/** Left outside the Node bundles, each for a reason; everything else is bundled. */
export const NOT_BUNDLED = {
  'better-sqlite3': 'native addon, rebuilt for Electron by the packager: the one real production dependency',
  'world-atlas': 'data, not code: the coastline JSON is read from disk by `vigie pack build` only',
  vite: 'development path only: `vigie serve` builds a missing renderer in a checkout, never in an installed copy',
  bufferutil: 'optional native speed-up of ws, loaded in a try/catch',
  'utf-8-validate': 'optional native speed-up of ws, loaded in a try/catch',
  'pg-native': 'optional native PostgreSQL client, loaded only when asked for',
};

/** Packages that may stay outside a bundle though they are not installed in production. */
const OPTIONAL_OR_DEV_PATH = new Set(['vite', 'bufferutil', 'utf-8-validate', 'pg-native']);
/** Provided by the runtime itself: Electron's main and preload get `electron` from the binary. */
const RUNTIME = new Set(['electron']);

/** The package name of an import specifier ('@scope/name/sub' → '@scope/name'). */
export function packageOf(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The external imports of esbuild outputs (from a metafile) that a production install cannot
 * satisfy: not a Node built-in, not a production dependency, not an optional or dev-path package.
 * Returns one sentence per offending import.
 */
export function unsatisfiedExternals(metafile, dependencies) {
  const problems = new Set();
  for (const [output, meta] of Object.entries(metafile.outputs)) {
    for (const imp of meta.imports ?? []) {
      if (!imp.external) continue;
      const spec = imp.path;
      if (spec.startsWith('node:') || builtinModules.includes(spec) || spec.startsWith('.') || spec.startsWith('/')) continue;
      const pkg = packageOf(spec);
      if (pkg in dependencies || OPTIONAL_OR_DEV_PATH.has(pkg) || RUNTIME.has(pkg)) continue;
      problems.add(
        `${output} imports "${spec}" at run time, but ${pkg} is not a production dependency: bundle it (remove it from the externals in scripts/build.mjs) or, if it cannot be bundled, move it to "dependencies" with its reason in scripts/bundleDeps.mjs.`,
      );
    }
  }
  return [...problems];
}
