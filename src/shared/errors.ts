// The one error type that crosses process and transport boundaries: a code the UI can act on
// plus a message a user understands. Anything else thrown is reported as INTERNAL.
import type { ErrorCode, IpcError } from './ipc.js';

export type { ErrorCode, IpcError };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
  toJSON(): IpcError {
    return { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) };
  }
}

/** Turns anything thrown into the wire form; unexpected errors keep their message but not their stack. */
export function toIpcError(err: unknown): IpcError {
  if (err instanceof AppError) return err.toJSON();
  if (err && typeof err === 'object' && 'name' in err && (err as Error).name === 'AbortError') {
    return { code: 'CANCELLED', message: 'Cancelled.' };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: message || 'Unexpected error.' };
}
