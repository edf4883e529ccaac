// The open project (or none) and the recent-projects list.
import { READ_ONLY_DRIVE_ERROR, READ_ONLY_PROJECT } from '../../../shared/left-out.js';
import type { ProjectInfo } from '../../../shared/types.js';
import { api, ApiError, call } from '../api.js';
import { folderName } from '../format.js';
import { Refresher } from './refresh.js';
import { stoppingJobs } from './stop-jobs.js';
import { toasts } from './toasts.svelte.js';

class ProjectState {
  #info = $state<ProjectInfo | null>(null);
  /** The folder of the project last shown: another one (or none) makes the views' states start over. */
  private shownDir: string | null = null;
  private readonly switched = new Set<() => void>();
  recent = $state<string[]>([]);
  loaded = $state(false);
  /** The open project cannot be written here: actions that would change it are disabled, saying why. */
  readonly readOnly = $derived(!!this.info?.readOnly);
  /** Why it is read-only, for the badge, the disabled controls' tooltips and the toasts. */
  readonly readOnlyText = $derived(this.info?.readOnlyBecause === 'drive-error' ? READ_ONLY_DRIVE_ERROR : READ_ONLY_PROJECT);
  /** The counts (sidebar, headers) follow every change: one projectInfo per burst of events. */
  private readonly counts = new Refresher(['images', 'triplets', 'runs'], () => this.refresh());

  constructor() {
    this.counts.watch(false); // always on; the first fetch is load()'s
    // Another project opened, or this one closed (also by the service: its folder moved): the
    // recent list may have changed too.
    api.on('project:changed', ({ what, closed, readOnly }) => {
      if (what === 'project') this.fetchRecent();
      // Said whichever request found the folder gone (a thumbnail, a refresh that shows no toast);
      // the failing requests of that moment get the same toast, shown once.
      if (closed) toasts.error(new ApiError('NO_PROJECT', closed));
      // Its folder stopped taking writes: the counts' refresh brings the badge and the disabled controls.
      if (readOnly) toasts.push('error', 'Project now read-only', readOnly, 15_000);
    });
    // Coming back to the window: a folder moved or renamed meanwhile (in a file manager) is said
    // now, not at the next click (by the event above); counts changed by the CLI in another process
    // show too. Its own failure is not said: a lost connection has its own banner.
    window.addEventListener('focus', () => {
      if (this.info) void this.refresh().catch(() => undefined);
    });
  }

  get info(): ProjectInfo | null {
    return this.#info;
  }

  set info(next: ProjectInfo | null) {
    const dir = next?.dir ?? null;
    const left = this.shownDir !== null && dir !== this.shownDir;
    this.shownDir = dir;
    this.#info = next;
    if (left) for (const fn of this.switched) fn();
  }

  /**
   * `fn` runs when the window leaves a project (another one opened, here or in another tab, or it
   * closed): what a state kept for it (filters, a selection, image ids) means nothing in the next.
   */
  onSwitch(fn: () => void): void {
    this.switched.add(fn);
  }

  /** The tooltip of a control that changes the project: why it is disabled when read-only, else `title`. */
  writeTitle(title?: string): string | undefined {
    return this.readOnly ? this.readOnlyText : title;
  }

  /**
   * For keys and menu commands that would change the project (their buttons are disabled): true when
   * the project is read-only, said at once instead of a request the main side would refuse.
   */
  refusesWrites(): boolean {
    if (this.readOnly) toasts.push('info', 'Read-only', this.readOnlyText);
    return this.readOnly;
  }

  async load(): Promise<void> {
    const [info, recent] = await Promise.all([call('projectInfo', {}), call('recentProjects', {})]);
    this.info = info;
    this.recent = recent;
    this.loaded = true;
  }

  async refresh(): Promise<void> {
    this.info = await call('projectInfo', {});
  }

  // Each of these asks before stopping a job that is in the way; false when the user kept it.
  async create(dir: string): Promise<boolean> {
    const info = await stoppingJobs(() => call('createProject', { dir }), 'Creating a project', 'Stop and create');
    if (!info) return false;
    this.info = info;
    this.fetchRecent();
    return true;
  }

  async open(dir: string): Promise<boolean> {
    const info = await stoppingJobs(() => call('openProject', { dir }), `Opening ${folderName(dir)}`, 'Stop and open');
    if (!info) return false;
    this.info = info;
    // Said once on opening; the sidebar's badge keeps saying it.
    if (info.readOnly) toasts.push('info', 'Opened read-only', this.readOnlyText, 10_000);
    this.fetchRecent();
    return true;
  }

  /**
   * The recent list, fetched without waiting: the caller shows the project's Library as soon as it is
   * open, so a view the user clicks meanwhile is not replaced by the Library when the list arrives.
   */
  private fetchRecent(): void {
    void call('recentProjects', {}).then((r) => (this.recent = r), () => undefined);
  }

  async close(): Promise<boolean> {
    const closed = await stoppingJobs(async () => (await call('closeProject', {}), true), 'Closing the project', 'Stop and close');
    if (closed) this.info = null;
    return !!closed;
  }
}

export const project = new ProjectState();
