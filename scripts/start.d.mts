// Types for scripts/start.mjs (imported by the Electron launch test).
export function electronBinary(): { path: string; reason: null } | { path: null; reason: string };
