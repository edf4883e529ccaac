// The service behind the server tests. The server tests exercise the transport, so a minimal fake
// answering the few requests they call keeps them fast and independent of the project code.
import { AppError } from '../../../src/shared/errors.js';
import type { EmitFn, HostedService } from '../../../src/main/server/index.js';

export function makeService(_opts: { dataDir: string; emit: EmitFn }, media: { thumb?: Record<number, string>; image?: Record<number, string> }): HostedService {
  const impl: Partial<HostedService> = {
    recentProjects: () => [],
    projectInfo: () => null,
    mediaPath: (kind, id) => media[kind]?.[id] ?? null,
  };
  return new Proxy(impl as HostedService, {
    get(t, name) {
      if (name in t) return t[name as keyof HostedService];
      if (name === 'dispose' || name === 'then' || typeof name !== 'string') return undefined;
      return () => {
        throw new AppError('INTERNAL', `fake service: ${name} not implemented`);
      };
    },
  });
}
