// The words for jobs, shared by the app's progress bars and stop-job question and the desktop
// shell's question on quitting: what a kind of job is called, and what stopping it keeps.
import type { JobKind } from './types.js';

const JOB_LABELS: Record<JobKind, string> = {
  'import-images': 'Importing images',
  'import-triplets': 'Importing triplets',
  embed: 'Computing features',
  train: 'Training',
  evaluate: 'Evaluating',
  download: 'Downloading',
  suggest: 'Finding suggestions',
  audit: 'Auditing labels',
  map: 'Computing the map',
  export: 'Exporting',
};

/** What a job kind is called in progress bars. */
export function jobLabel(kind: string): string {
  return JOB_LABELS[kind as JobKind] ?? kind;
}

/** What stopping each kind of job keeps (the rest is lost and can be started again). */
const KEPT: Partial<Record<JobKind, string>> = {
  train: 'The run keeps the epochs it has finished.',
  embed: 'The features computed so far stay cached.',
  'import-images': 'The images imported so far stay in the project; importing the folder again finishes it.',
};

export interface StopJobQuestion {
  title: string;
  text: string;
  /** The answer that stops the job and goes on ("Stop and open"). */
  confirm: string;
  /** The safe answer, which keeps the job ("Keep training"). */
  cancel: string;
}

/**
 * The question asked before `doing` ("Opening p2", "Quitting") stops a running job of `kind`;
 * `go` is the answer that does both ("Stop and open"). `others` running jobs stop too.
 */
export function stopJobQuestion(kind: string, doing: string, go: string, others = 0): StopJobQuestion {
  const label = jobLabel(kind);
  const more = others > 0 ? ` ${others === 1 ? 'Another job stops' : `${others} other jobs stop`} too.` : '';
  return {
    title: `${label} is still running`,
    text: `${doing} stops it first. ${KEPT[kind as JobKind] ?? 'What it has not finished is lost; you can start it again later.'}${more}`,
    confirm: go,
    cancel: `Keep ${label.toLowerCase()}`,
  };
}
