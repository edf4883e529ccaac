// The one validating entry point between a transport (Electron IPC, browser-mode WebSocket) and
// StudioService, in the spirit of VS Code's validatedIpcMain: every call is checked for a known
// channel, a trusted sender and well-formed arguments (the zod schemas in REQUESTS) before any
// handler runs, and every outcome — including handler exceptions — comes back as an Envelope.
import type { z } from 'zod';
import { AppError } from '../../shared/errors.js';
import {
  REQUESTS,
  type Envelope,
  type IpcError,
  type Replies,
  type RequestName,
  type ServiceArgs,
  type StudioServiceApi,
} from '../../shared/ipc.js';
import { isTrustedSender } from '../host-policy/urls.js';
import { reportedError, type ErrorLog } from '../util/diagnostics-log.js';
import { absoluteOrRefuse, PathGrants, type Access } from './path-grants.js';

/** Who sent a request, as far as the transport can tell. */
export type SenderInfo =
  | {
      transport: 'electron';
      /** URL of the sending frame (event.senderFrame.url); null when the frame is gone. */
      frameUrl: string | null;
      /** Whether the frame is the main frame of its page. */
      isMainFrame: boolean;
      /** Whether the sending webContents is the one of our window. */
      fromOurWindow: boolean;
    }
  | { transport: 'socket'; authenticated: boolean };

/** Requests the host answers itself (native dialogs in Electron, null in browser mode). */
export interface DialogHost {
  pickFolder(args: ServiceArgs<'pickFolder'>): Promise<string | null>;
  pickFile(args: ServiceArgs<'pickFile'>): Promise<string | null>;
  /** Browser mode's folder browser; absent where the host has native dialogs (Electron). */
  listDir?(args: ServiceArgs<'listDir'>): Promise<Replies['listDir']>;
}

export interface Dispatcher {
  dispatch(name: string, args: unknown, sender: SenderInfo): Promise<Envelope<unknown>>;
  /** Paths the user picked in this session (the only places outside the project that requests write to). */
  readonly grants: PathGrants;
}

const fail = (code: IpcError['code'], message: string, details?: unknown): Envelope<never> => ({
  ok: false,
  error: { code, message, ...(details === undefined ? {} : { details }) },
});

export function isKnownRequest(name: unknown): name is RequestName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(REQUESTS, name);
}

/** Whether the transport vouches for this sender (see SenderInfo). */
export function senderAllowed(sender: SenderInfo): boolean {
  if (sender.transport === 'socket') return sender.authenticated === true;
  if (sender.transport === 'electron') return sender.fromOurWindow === true && isTrustedSender(sender.frameUrl, sender.isMainFrame);
  return false;
}

/** `log` takes the stack of a request that fails unexpectedly where the service runs in this process (browser mode). */
export function createDispatcher(service: StudioServiceApi, host: DialogHost, log?: ErrorLog): Dispatcher {
  const grants = new PathGrants();

  /** A dialog's answer (native, or typed and confirmed) is a path the user picked: record it. */
  async function pick(answer: Promise<string | null> | string | null, access: Access): Promise<string | null> {
    const path = await answer;
    return path ? grants.grant(path, access) : null;
  }

  async function projectDir(name: RequestName): Promise<string | null> {
    if (!PathGrants.needsProject(name)) return null;
    try {
      return (await service.projectInfo({}))?.dir ?? null;
    } catch {
      return null; // no project open: only picked paths are writable
    }
  }

  async function run(name: RequestName, args: unknown, sender: SenderInfo): Promise<unknown> {
    if (name === 'pickFolder' || name === 'pickFile') {
      const a = args as ServiceArgs<'pickFile'> & ServiceArgs<'pickFolder'>;
      const native = (x: typeof a) => (name === 'pickFolder' ? host.pickFolder(x) : host.pickFile(x));
      // A save dialog's answer, or a folder picked to write into, may be written; any other only read.
      const access: Access = (name === 'pickFile' ? a.save : a.write) ? 'write' : 'read';
      if (!a.typed) return pick(native(a), access);
      // A relative path would resolve against the app's own folder: refused, with how to say it.
      const typed = absoluteOrRefuse(a.typed);
      // The desktop app grants only what its native dialog picked: a typed path not picked yet (or one
      // a compromised page makes up) opens that dialog on it, for the user to confirm there.
      if (sender.transport === 'electron' && !grants.has(typed, access)) return pick(native({ ...a, typed }), access);
      return pick(typed, access);
    }
    if (name === 'listDir') {
      if (!host.listDir) throw new AppError('FORBIDDEN', 'The folder browser is for browser mode; the desktop app uses its own dialogs.');
      return host.listDir(args as ServiceArgs<'listDir'>);
    }
    grants.check(name, args, await projectDir(name));
    const method = service[name] as ((a: unknown) => unknown) | undefined;
    if (typeof method !== 'function') throw new AppError('INTERNAL', `The service does not implement "${name}".`);
    return method.call(service, args);
  }

  return {
    grants,
    async dispatch(name, args, sender) {
      try {
        if (!isKnownRequest(name)) return fail('UNKNOWN_CHANNEL', `Unknown request "${String(name).slice(0, 100)}".`);
        if (!senderAllowed(sender)) return fail('FORBIDDEN', `Request "${name}" refused: the sender is not the Triplet Studio window.`);
        const parsed = parseArgs(name, args);
        if (!parsed.ok) return parsed;
        const value = await run(name, parsed.value, sender);
        return { ok: true, value: value === undefined ? null : value };
      } catch (err) {
        return { ok: false, error: reportedError(err, `request ${String(name).slice(0, 100)}`, log) };
      }
    },
  };
}

/** Validates `args` against the request's schema; a missing argument object counts as `{}`. */
export function parseArgs(name: RequestName, args: unknown): Envelope<unknown> {
  const schema = REQUESTS[name] as z.ZodType;
  const result = schema.safeParse(args === undefined || args === null ? {} : args);
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((i) => describeIssue(i as Issue));
  return fail('BAD_ARGUMENTS', `${name}: ${issues.join('; ')}`, { issues });
}

type Issue = {
  code: string;
  path: PropertyKey[];
  message: string;
  values?: unknown[];
  options?: unknown[];
  expected?: string;
  input?: unknown;
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  /** false for an open bound (positive(): more than 0, not at least 0). */
  inclusive?: boolean;
  keys?: string[];
};

const quote = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : String(v));

/** "a or b", "a, b or c". */
function either(values: unknown[]): string {
  const q = values.map(quote);
  return q.length <= 1 ? (q[0] ?? 'nothing') : `${q.slice(0, -1).join(', ')} or ${q.at(-1)}`;
}

/** One readable line per zod issue, naming the field: "split: expected 'train' or 'test'". */
export function describeIssue(issue: Issue): string {
  const field = issue.path.length ? issue.path.map(String).join('.') : 'arguments';
  switch (issue.code) {
    case 'invalid_value':
      return `${field}: expected ${either(issue.values ?? [])}`;
    case 'invalid_union':
      if (issue.options) return `${field}: expected ${either(issue.options)}`;
      return `${field}: ${issue.message}`;
    case 'invalid_type': {
      const received = / received (\w+)/.exec(issue.message)?.[1];
      const expected = issue.expected === 'int' ? 'an integer' : `a${/^[aeiou]/.test(issue.expected ?? '') ? 'n' : ''} ${issue.expected}`;
      return received === 'undefined' ? `${field}: required (${expected})` : `${field}: expected ${expected}${received ? `, got ${received}` : ''}`;
    }
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) === 1
        ? `${field}: must not be empty`
        : `${field}: must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : ''}`;
    case 'too_big':
      return `${field}: must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}${issue.origin === 'string' ? ' characters' : ''}`;
    case 'unrecognized_keys':
      return `${field}: unknown field(s) ${(issue.keys ?? []).join(', ')}`;
    default:
      return `${field}: ${issue.message}`;
  }
}
