// The open project (or none) and the recent-projects list.
import type { ProjectInfo } from '../../../shared/types.js';
import { api, call } from '../api.js';
import { Refresher } from './refresh.js';

class ProjectState {
  info = $state<ProjectInfo | null>(null);
  recent = $state<string[]>([]);
  loaded = $state(false);
  /**
   * Bumped on each `project:changed` event, for views that still reload on it (Train). New lists use
   * a Refresher (refresh.ts) instead.
   */
  version = $state({ images: 0, triplets: 0, runs: 0, project: 0, backbones: 0 });
  /** The counts (sidebar, headers) follow every change: one projectInfo per burst of events. */
  private readonly counts = new Refresher(['images', 'triplets', 'runs'], () => this.refresh());

  constructor() {
    this.counts.watch(false); // always on; the first fetch is load()'s
    api.on('project:changed', ({ what }) => {
      // Mutated in place: the deep $state proxy tracks each counter separately, so a view that
      // reloads on `version.runs` does not reload on a triplet edit.
      this.version[what]++;
    });
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

  async create(dir: string): Promise<void> {
    this.info = await call('createProject', { dir });
    this.recent = await call('recentProjects', {});
  }

  async open(dir: string): Promise<void> {
    this.info = await call('openProject', { dir });
    this.recent = await call('recentProjects', {});
  }

  async close(): Promise<void> {
    await call('closeProject', {});
    this.info = null;
  }
}

export const project = new ProjectState();
