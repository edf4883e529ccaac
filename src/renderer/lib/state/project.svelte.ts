// The open project (or none) and the recent-projects list.
import type { ProjectInfo } from '../../../shared/types.js';
import { api, call } from '../api.js';

class ProjectState {
  info = $state<ProjectInfo | null>(null);
  recent = $state<string[]>([]);
  loaded = $state(false);
  /** Bumped whenever the project's data changes, so views can reload what they show. */
  version = $state({ images: 0, triplets: 0, runs: 0, project: 0, backbones: 0 });

  constructor() {
    api.on('project:changed', ({ what }) => {
      this.version[what]++;
      void this.refresh();
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
    this.touch();
  }

  async open(dir: string): Promise<void> {
    this.info = await call('openProject', { dir });
    this.recent = await call('recentProjects', {});
    this.touch();
  }

  async close(): Promise<void> {
    await call('closeProject', {});
    this.info = null;
    this.touch();
  }

  /** Marks parts of the project stale (all of it after opening another project) and refreshes the counts. */
  touch(...what: (keyof ProjectState['version'])[]): void {
    // Mutated in place: the deep $state proxy tracks each counter separately, so a view that
    // reloads on `version.runs` does not reload on a triplet edit.
    for (const k of what.length ? what : (['images', 'triplets', 'runs', 'project'] as const)) this.version[k]++;
    if (what.length) void this.refresh().catch(() => {});
  }
}

export const project = new ProjectState();
