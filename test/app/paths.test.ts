import { describe, expect, it } from 'vitest';
import { appPaths } from '../../src-main/app/paths';

describe('appPaths', () => {
  const facts = { mainDir: '/repo/out/main', resourcesPath: '/opt/lab/resources', devServerUrl: undefined };

  it('uses the repository layout when unpackaged', () => {
    expect(appPaths({ ...facts, isPackaged: false })).toEqual({
      preload: '/repo/out/preload/index.cjs',
      engine: '/repo/out/main/engine.js',
      resources: '/repo/resources',
      renderer: { kind: 'file', path: '/repo/out/renderer/index.html' },
    });
  });

  it('uses extraResources when packaged, and ignores a dev-server URL there', () => {
    const paths = appPaths({ ...facts, isPackaged: true, devServerUrl: 'http://localhost:5173' });
    expect(paths.resources).toBe('/opt/lab/resources/resources');
    expect(paths.renderer).toEqual({ kind: 'file', path: '/repo/out/renderer/index.html' });
  });

  it('loads the dev server during development', () => {
    const paths = appPaths({ ...facts, isPackaged: false, devServerUrl: 'http://localhost:5173' });
    expect(paths.renderer).toEqual({ kind: 'dev-server', url: 'http://localhost:5173' });
  });
});
