// Which view is shown. Views without an open project fall back to Projects.
import { status } from './status.svelte.js';
export type View = 'projects' | 'library' | 'triplets' | 'train' | 'review' | 'map' | 'suggest' | 'audit';
export const VIEWS: { id: View; label: string; key: string }[] = [
  { id: 'projects', label: 'Projects', key: '1' },
  { id: 'library', label: 'Library', key: '2' },
  { id: 'triplets', label: 'Triplets', key: '3' },
  { id: 'train', label: 'Train', key: '4' },
  { id: 'review', label: 'Review', key: '5' },
  { id: 'map', label: 'Map', key: '6' },
  { id: 'suggest', label: 'Suggest', key: '7' },
  { id: 'audit', label: 'Audit', key: '8' },
];

/** sessionStorage key: the view this tab showed, so a reload comes back to it. */
const VIEW_KEY = 'triplet-studio.view';

class Nav {
  view = $state<View>('projects');
  helpOpen = $state(false);
  go(v: View): void {
    // The status line says what the last key did in the view shown: another view starts without it.
    if (v !== this.view) status.clear();
    this.view = v;
    try {
      sessionStorage.setItem(VIEW_KEY, v);
    } catch {
      // storage disabled: a reload starts on Projects
    }
  }

  /** The view this tab showed before a reload (null: none or unknown). */
  saved(): View | null {
    try {
      const v = sessionStorage.getItem(VIEW_KEY);
      return VIEWS.some((x) => x.id === v) ? (v as View) : null;
    } catch {
      return null;
    }
  }
}

export const nav = new Nav();
