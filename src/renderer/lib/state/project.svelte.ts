// The open project (or none) and the recent-projects list.
import type { ProjectInfo } from '../../../shared/types.js';
import { call } from '../api.js';
import { Refresher } from './refresh.js';

class ProjectState {
  info = $state<ProjectInfo | null>(null);
  recent = $state<string[]>([]);
  loaded = $state(false);
  /** The counts (sidebar, headers) follow every change: one projectInfo per burst of events. */
  private readonly counts = new Refresher(['images', 'triplets', 'runs'], () => this.refresh());

  constructor() {
    this.counts.watch(false); // always on; the first fetch is load()'s
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
