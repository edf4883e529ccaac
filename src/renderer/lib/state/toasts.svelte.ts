// Transient messages in the corner: errors use the main side's message (IpcError.message).
import { toApiError } from '../api.js';

export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'success';
  title: string;
  message: string;
  /** Shown but not announced: a status line on screen already says it (read once, not twice). */
  quiet?: boolean;
}

class Toasts {
  items = $state<Toast[]>([]);
  private nextId = 1;

  push(kind: Toast['kind'], title: string, message = '', ms = kind === 'error' ? 8000 : 4000, quiet = false): void {
    // The same words already showing (several requests of one view failing alike) are said once.
    if (this.items.some((t) => t.kind === kind && t.title === title && t.message === message)) return;
    const id = this.nextId++;
    this.items = [...this.items, { id, kind, title, message, quiet }];
    setTimeout(() => this.dismiss(id), ms);
  }

  /** Shows a failed request: the error code picks the title, the message comes from the main side. */
  error(err: unknown, title?: string): void {
    const e = toApiError(err);
    const titles: Record<string, string> = {
      NO_PROJECT: 'No project open',
      NOT_FOUND: 'Not found',
      INVALID_FILE: 'Invalid file',
      CONFLICT: 'Conflict',
      MISSING_BACKBONE: 'Backbone missing',
      BUSY: 'Busy',
      DISCONNECTED: 'Disconnected',
      BAD_ARGUMENTS: 'Invalid input',
      FORBIDDEN: 'Not allowed',
      TOO_LARGE: 'Reply too large',
      DISK_FULL: 'Disk full',
      DRIVE_ERROR: 'Drive error',
    };
    // A cancel is not a failure: not "Import failed — Cancelled.", whatever title the caller had for failures.
    if (e.code === 'CANCELLED') return this.push('info', 'Cancelled', e.message === 'Cancelled.' ? '' : e.message);
    this.push('error', title ?? titles[e.code] ?? 'Something went wrong', withLogNote(e.message, e.details));
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();

/** An unexpected error's reply names the diagnostics log that holds its stack (`details.log`): say so. */
export function withLogNote(message: string, details: unknown): string {
  const log = details && typeof details === 'object' ? (details as { log?: unknown }).log : undefined;
  return typeof log === 'string' ? `${message} — this looks like a bug; the details are in ${log}.` : message;
}

/** Runs an action and reports its failure as a toast; returns undefined when it failed. */
export async function attempt<T>(fn: () => Promise<T>, title?: string): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    toasts.error(err, title);
    return undefined;
  }
}
