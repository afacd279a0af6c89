// Types of scripts/bundleDeps.mjs, for the tests that import it.
export declare const NOT_BUNDLED: Record<string, string>;
export declare function packageOf(spec: string): string;
export declare function unsatisfiedExternals(metafile: { outputs: Record<string, { imports?: { path: string; kind: string; external?: boolean }[] }> }, dependencies: Record<string, string>): string[];
