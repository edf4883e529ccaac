// One AbortError shape for every cancellable call: the DOMException that fetch, timers and
// AbortSignal.throwIfAborted() throw too (toIpcError maps the name 'AbortError' to CANCELLED).
// To check a signal, call `signal?.throwIfAborted()`.

export function abortError(): Error {
  return new DOMException('The operation was aborted.', 'AbortError') as unknown as Error;
}

export function isAbortError(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as Error).name === 'AbortError';
}
