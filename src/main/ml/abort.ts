// One AbortError shape for every cancellable ML call (toIpcError maps name 'AbortError' to CANCELLED).

export function abortError(message = 'Cancelled.'): Error {
  const err = new Error(message);
  err.name = 'AbortError';
  return err;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw abortError();
}
