// Types for scripts/serve.mjs.
export function ensureRenderer(): void;
export function serve(argv?: string[]): Promise<{ url: string; port: number; token: string; close(): Promise<void> }>;
