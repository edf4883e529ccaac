// Reads a text file line by line from a byte stream, never holding more than one line (and one
// read chunk) in memory: a 600 MB file, or a file that is one 600 MB "line", never becomes one
// string. Line ends are LF, CRLF or a lone CR (as splitLines); a final newline does not start a
// new line; a UTF-8 BOM at the start is dropped. A line longer than `maxLineBytes` is not decoded:
// it is delivered as `{ tooLong: bytes }` so the caller reports it. The bytes are also hashed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export const MAX_LINE_BYTES = 64 * 1024;

export interface LineEvent {
  /** 1-based. */
  line: number;
  text: string | null;
  /** Set instead of text when the line is longer than the limit. */
  tooLong?: number;
}

export interface ReadLinesResult {
  lines: number;
  bytes: number;
  sha256: string;
}

/**
 * Calls `onLines` with batches of lines (awaited, so the consumer sets the pace) and `onBytes`
 * after each chunk. Stops early when `onLines` throws.
 */
export async function readLines(
  path: string,
  onLines: (batch: LineEvent[]) => void | Promise<void>,
  opts: { maxLineBytes?: number; onBytes?: (bytes: number) => void; batch?: number } = {},
): Promise<ReadLinesResult> {
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES;
  const batchSize = opts.batch ?? 2000;
  const hash = createHash('sha256');
  let carry: Buffer[] = [];
  let carryLen = 0;
  let overflow = 0; // bytes of the current line beyond what is kept (line too long)
  let lineNo = 0;
  let bytes = 0;
  let afterCR = false;
  let batch: LineEvent[] = [];
  let open = false; // bytes seen since the last line end

  const endLine = () => {
    lineNo++;
    if (overflow) batch.push({ line: lineNo, text: null, tooLong: carryLen + overflow });
    else {
      const buf = carry.length === 1 ? carry[0] : Buffer.concat(carry, carryLen);
      let text = buf.toString('utf8');
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      batch.push({ line: lineNo, text });
    }
    carry = [];
    carryLen = 0;
    overflow = 0;
    open = false;
  };
  const keep = (chunk: Buffer, from: number, to: number) => {
    if (to <= from) return;
    open = true;
    if (overflow || carryLen + (to - from) > max) overflow += to - from;
    else {
      carry.push(chunk.subarray(from, to));
      carryLen += to - from;
    }
  };

  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
      let start = 0;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i];
        if (b !== 10 && b !== 13) continue;
        if (b === 10 && afterCR && i === start) {
          // The LF of a CRLF split across chunks (or right after the CR).
          afterCR = false;
          start = i + 1;
          continue;
        }
        keep(chunk, start, i);
        endLine();
        if (batch.length >= batchSize) {
          const full = batch;
          batch = [];
          await onLines(full);
        }
        afterCR = b === 13;
        if (afterCR && chunk[i + 1] === 10) {
          i++;
          afterCR = false;
        }
        start = i + 1;
      }
      if (start < chunk.length) afterCR = false;
      keep(chunk, start, chunk.length);
      // Chunks are reused by the stream: copy what is kept across them.
      if (carry.length) carry = [Buffer.concat(carry, carryLen)];
      if (batch.length >= batchSize) {
        const b = batch;
        batch = [];
        await onLines(b);
      }
      opts.onBytes?.(bytes);
    }
    if (open) endLine();
    if (batch.length) await onLines(batch);
  } finally {
    stream.destroy();
  }
  return { lines: lineNo, bytes, sha256: hash.digest('hex') };
}
