// The open project (or none) and the recent-projects list.
import type { ProjectInfo } from '../../../shared/types.js';
import { api, call } from '../api.js';

class ProjectState {
  info = $state<ProjectInfo | null>(null);
  recent = $state<string[]>([]);
  loaded = $state(false);
  /** Bumped whenever the project's data changes, so views can reload what they show. */
  version = $state({ images: 0, triplets: 0, runs: 0, project: 0 });

  constructor() {
    api.on('project:changed', ({ what }) => {
      this.version = { ...this.version, [what]: this.version[what] + 1 };
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

  /** Marks everything stale (after opening another project, undo, ...). */
  touch(): void {
    const v = this.version;
    this.version = { images: v.images + 1, triplets: v.triplets + 1, runs: v.runs + 1, project: v.project + 1 };
  }
}

export const project = new ProjectState();
