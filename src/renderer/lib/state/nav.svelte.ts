// Which view is shown. Views without an open project fall back to Projects.
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

class Nav {
  view = $state<View>('projects');
  helpOpen = $state(false);
  go(v: View): void {
    this.view = v;
  }
}

export const nav = new Nav();
