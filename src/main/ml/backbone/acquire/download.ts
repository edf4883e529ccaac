// Resumable HTTP(S) download into `<dest>.part`: a cut connection (or a later run) continues with an
// HTTP Range request from the bytes already on disk; the file appears under `dest` only when complete.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { AppError } from '../../../../shared/errors.js';
import { isAbortError } from '../../../jobs/abort.js';

export interface DownloadOptions {
  onProgress?(received: number, total: number): void;
  signal?: AbortSignal;
  /** Attempts in one call (each resumes where the previous stopped). */
  attempts?: number;
  /** Delay before a retry, grows linearly. */
  retryDelayMs?: number;
}

export interface FileDigest {
  bytes: number;
  md5: string;
  sha256: string;
}

function partSize(part: string): number {
  return existsSync(part) ? statSync(part).size : 0;
}

/** One request: appends to `part` from `start`; returns the expected total size (or -1 if unknown). */
async function fetchInto(url: string, part: string, start: number, opts: DownloadOptions): Promise<number> {
  const headers: Record<string, string> = start > 0 ? { Range: `bytes=${start}-` } : {};
  const res = await fetch(url, { headers, signal: opts.signal, redirect: 'follow' });
  if (res.status === 416 && start > 0) {
    // Nothing left to send, or the .part is longer than the file: start over.
    await res.body?.cancel();
    rmSync(part, { force: true });
    throw new Error('server refused the resume range; restarting');
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.body?.cancel();
    const code = res.status === 404 ? 'NOT_FOUND' : 'INTERNAL';
    throw new AppError(code, `Download failed: ${url} answered HTTP ${res.status} ${res.statusText}.`);
  }
  let offset = start;
  if (res.status === 200) offset = 0; // server ignored Range: rewrite from scratch
  const length = Number(res.headers.get('content-length') ?? -1);
  const total = length >= 0 ? offset + length : -1;
  if (res.status === 206) {
    const m = /bytes (\d+)-/.exec(res.headers.get('content-range') ?? '');
    if (!m || Number(m[1]) !== start) {
      await res.body?.cancel();
      rmSync(part, { force: true });
      throw new Error(`server resumed at the wrong offset (${res.headers.get('content-range')}); restarting`);
    }
  }
  const out = createWriteStream(part, { flags: offset === 0 ? 'w' : 'a' });
  let received = offset;
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      received += chunk.length;
      opts.onProgress?.(received, total);
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  return total;
}

/**
 * Downloads `url` to `dest` with resume. Throws AbortError when `signal` aborts (the .part stays for
 * a later resume); a persistent failure throws an AppError naming the URL and the bytes kept.
 */
export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<FileDigest> {
  const part = `${dest}.part`;
  const attempts = opts.attempts ?? 6;
  let lastErr: unknown = null;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    opts.signal?.throwIfAborted();
    const start = partSize(part);
    try {
      const total = await fetchInto(url, part, start, opts);
      const have = partSize(part);
      if (total >= 0 && have !== total) throw new Error(`connection ended at ${have} of ${total} bytes`);
      renameSync(part, dest);
      return await digestFile(dest);
    } catch (err) {
      if (isAbortError(err) || opts.signal?.aborted) throw err;
      if (err instanceof AppError) throw err; // HTTP errors do not get better by retrying
      lastErr = err;
      const code = ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code;
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') break; // no DNS (offline): retrying will not help
      await new Promise((r) => setTimeout(r, (opts.retryDelayMs ?? 250) * attempt));
    }
  }
  const msg = lastErr instanceof Error ? `${lastErr.message}${lastErr.cause ? ` (${(lastErr.cause as Error).message})` : ''}` : String(lastErr);
  throw new AppError(
    'INTERNAL',
    `Download of ${url} failed: ${msg}.` +
      (partSize(part) > 0 ? ` ${partSize(part)} bytes are kept in ${part}; run the same command again to resume.` : ''),
  );
}

/** md5 (what Keras publishes) and sha256 of a file, in one pass. */
export async function digestFile(path: string): Promise<FileDigest> {
  const md5 = createHash('md5');
  const sha = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    md5.update(chunk);
    sha.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, md5: md5.digest('hex'), sha256: sha.digest('hex') };
}
