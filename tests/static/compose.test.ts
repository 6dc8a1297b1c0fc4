/**
 * docker-compose.yaml: no Docker engine runs here, so the file is validated by docker-compose 1.29
 * (`config -q` rejects unknown keys and bad values) and its wiring is checked against the repo.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import semver from 'semver';

import { listFiles, readJson, readText, readYaml, repoPath, requireCommand, resolvedCompose, ROOT } from './lib';

const PLUGIN_DIR_IN_GRAFANA = '/var/lib/grafana/plugins/fluxgrid-status-app';

/** Every plugin the build produces: src/plugin.json and nested src/<x>/plugin.json. */
function pluginIds(): string[] {
  return listFiles(repoPath('src'), (f) => path.basename(f) === 'plugin.json').map((f) => readJson(f).id);
}

/** Bind mounts of a service in `docker-compose config` output (short syntax, absolute sources). */
function bindMounts(service: any): Array<{ source: string; target: string; readOnly: boolean }> {
  return (service.volumes ?? [])
    .map((v: any) => (typeof v === 'string' ? v.split(':') : [v.source, v.target, v.read_only ? 'ro' : 'rw']))
    .filter(([source]: string[]) => source.startsWith('/'))
    .map(([source, target, mode]: string[]) => ({ source, target, readOnly: mode === 'ro' }));
}

/** Every mount of a service (bind mounts and named volumes) with its container path. */
function allMounts(service: any): Array<{ source: string; target: string; bind: boolean; readOnly: boolean }> {
  return (service.volumes ?? []).map((v: any) => {
    const [source, target, mode] =
      typeof v === 'string' ? v.split(':') : [v.source, v.target, v.read_only ? 'ro' : 'rw'];
    return { source, target, bind: String(source).startsWith('/'), readOnly: mode === 'ro' };
  });
}

/** Whether git creates `rel` (a tracked file, or a folder holding one) in a fresh clone. */
function gitCreates(rel: string): boolean {
  return execFileSync('git', ['ls-files', '--', rel], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
}

/**
 * Mount points nested inside a read-only bind mount of the repository that a fresh clone lacks:
 * Docker must create them inside a read-only file system, fails, and the service never starts.
 */
function nestedMountPointsGitDoesNotCreate(
  services: Record<string, any>
): Array<{ service: string; target: string; inside: string }> {
  const found: Array<{ service: string; target: string; inside: string }> = [];
  for (const [name, service] of Object.entries(services)) {
    const mounts = allMounts(service);
    for (const outer of mounts.filter((m) => m.bind && m.readOnly)) {
      for (const inner of mounts) {
        const rel = path.posix.relative(outer.target, inner.target);
        if (inner === outer || rel === '' || rel.startsWith('..') || path.posix.isAbsolute(rel)) {
          continue;
        }
        const inRepo = path.relative(ROOT, path.join(outer.source, rel));
        if (inRepo.startsWith('..') || !gitCreates(inRepo)) {
          found.push({ service: name, target: inner.target, inside: `${outer.source}:${outer.target}:ro` });
        }
      }
    }
  }
  return found;
}

/** Host addresses a service publishes on, from `ip:host:container/proto`. */
function publishedHostIps(service: any): string[] {
  return (service.ports ?? []).map((p: any) =>
    typeof p === 'string' ? (p.split(':').length === 3 ? p.split(':')[0] : '0.0.0.0') : (p.host_ip ?? '0.0.0.0')
  );
}

describe('docker-compose.yaml', () => {
  let compose: any;
  beforeAll(() => {
    compose = resolvedCompose();
  }, 60_000);

  it('passes `docker-compose config -q`', () => {
    requireCommand('docker-compose');
    // Throws (with docker-compose's message on stderr) when the file is invalid.
    execFileSync('docker-compose', ['-f', 'docker-compose.yaml', 'config', '-q'], { cwd: ROOT, stdio: 'pipe' });
  }, 60_000);

  it('has the four services', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['grafana', 'plugin-build', 'prometheus', 'simulator']);
  });

  it('pins Grafana to a version the plugin supports, overridable with GRAFANA_VERSION', () => {
    const image: string = compose.services.grafana.image;
    const match = /^grafana\/grafana(?:-enterprise)?:(\d+\.\d+\.\d+)$/.exec(image);
    expect(match).not.toBeNull();
    const dependency = readJson('src/plugin.json').dependencies.grafanaDependency;
    expect(semver.satisfies(match![1], dependency, { includePrerelease: true })).toBe(true);
    expect(resolvedCompose({ GRAFANA_VERSION: '12.3.0' }).services.grafana.image).toBe('grafana/grafana:12.3.0');
  }, 60_000);

  it('pins the Prometheus and node images', () => {
    const services = compose.services;
    expect(services.prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(services['plugin-build'].image).toMatch(/^node:\d+\.\d+\.\d+-bookworm$/);
    expect(services.simulator.image).toMatch(/^node:\d+\.\d+\.\d+-bookworm$/);
  });

  it('builds the plugin into ./dist before Grafana starts', () => {
    const services = compose.services;
    const build = services['plugin-build'];
    expect(build.command.join(' ')).toMatch(/npm ci .*&& npm run build/);
    expect(bindMounts(build)).toContainEqual({ source: ROOT, target: build.working_dir, readOnly: false });
    expect(services.grafana.depends_on['plugin-build']).toEqual({ condition: 'service_completed_successfully' });
  });

  it('mounts dist/ as the app plugin and provisioning/ and src/dashboards/ into Grafana', () => {
    const mounts = bindMounts(compose.services.grafana);
    expect(mounts).toContainEqual({ source: repoPath('dist'), target: PLUGIN_DIR_IN_GRAFANA, readOnly: true });
    expect(mounts).toContainEqual({
      source: repoPath('provisioning'),
      target: '/etc/grafana/provisioning',
      readOnly: true,
    });
    const dashboards = mounts.find((m) => m.source === repoPath('src', 'dashboards'));
    expect(dashboards).toBeDefined();
    // The dashboard provider reads the same directory.
    const providers = readYaml('provisioning/dashboards/fluxgrid.yaml').providers;
    expect(providers.map((p: any) => p.options.path)).toContain(dashboards!.target);
    // ...and the home dashboard is one of those files.
    const home: string = compose.services.grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    expect(home.startsWith(dashboards!.target + '/')).toBe(true);
    expect(fs.existsSync(path.join(repoPath('src', 'dashboards'), home.slice(dashboards!.target.length + 1)))).toBe(
      true
    );
  });

  it('allows exactly our plugin ids to load unsigned', () => {
    const allowed = String(compose.services.grafana.environment.GF_PLUGINS_ALLOW_LOADING_UNSIGNED_PLUGINS).split(',');
    expect(allowed.sort()).toEqual(pluginIds().sort());
    expect(pluginIds()).toContain('fluxgrid-status-app');
  });

  it('runs anonymous Admin only on the loopback interface', () => {
    const grafana = compose.services.grafana;
    expect(grafana.environment.GF_AUTH_ANONYMOUS_ENABLED).toBe('true');
    expect(grafana.environment.GF_AUTH_ANONYMOUS_ORG_ROLE).toBe('Admin');
    for (const service of Object.values<any>(compose.services)) {
      for (const hostIp of publishedHostIps(service)) {
        expect(hostIp).toBe('127.0.0.1');
      }
    }
    expect(fs.readFileSync(repoPath('README.md'), 'utf8')).toMatch(/anonymous/i);
  });

  it('runs the simulator on the port Prometheus scrapes, with a scenario that exists', () => {
    const services = compose.services;
    const simulator = services.simulator;
    const command: string = simulator.command.join(' ');
    expect(command).toMatch(/npm ci .*&& exec npm run simulate -- --scenario "\$\$\{FLUXGRID_SCENARIO\}"/);
    const port = /--port (\d+)/.exec(command)![1];
    const scenario: string = simulator.environment.FLUXGRID_SCENARIO;
    expect(fs.existsSync(repoPath(scenario))).toBe(true);

    const prometheusConfigMount = bindMounts(services.prometheus).find(
      (m) => m.target === '/etc/prometheus/prometheus.yml'
    );
    expect(prometheusConfigMount?.source).toBe(repoPath('provisioning', 'prometheus', 'prometheus.yml'));
    const targets = readYaml('provisioning/prometheus/prometheus.yml').scrape_configs.flatMap((c: any) =>
      c.static_configs.flatMap((s: any) => s.targets)
    );
    expect(targets).toContain(`simulator:${port}`);
  });

  it('mounts only paths that exist in the repository (besides dist/, which the build creates)', () => {
    for (const [name, service] of Object.entries<any>(compose.services)) {
      for (const mount of bindMounts(service)) {
        if (mount.source === repoPath('dist')) {
          continue;
        }
        expect({ service: name, source: mount.source, exists: fs.existsSync(mount.source) }).toEqual({
          service: name,
          source: mount.source,
          exists: true,
        });
      }
    }
  });

  it('nests no mount point inside a read-only bind mount unless git creates it', () => {
    expect(nestedMountPointsGitDoesNotCreate(compose.services)).toEqual([]);
  });

  it('would catch a node_modules volume nested in a read-only mount of the checkout (the fresh-clone stall)', () => {
    // The shape the simulator service had: ./node_modules does not exist in a fresh clone.
    const stalls = {
      simulator: { volumes: [`${ROOT}:/src:ro`, 'simulator-node-modules:/src/node_modules'] },
      // Read-write: Docker can create the mount point. Tracked folder: git creates it.
      writable: { volumes: [`${ROOT}:/src`, 'x:/src/node_modules'] },
      tracked: { volumes: [`${ROOT}:/src:ro`, `${repoPath('alerts')}:/src/simulator:ro`] },
    };
    expect(nestedMountPointsGitDoesNotCreate(stalls)).toEqual([
      { service: 'simulator', target: '/src/node_modules', inside: `${ROOT}:/src:ro` },
    ]);
  });

  it('runs Node from .nvmrc (an LTS line) in the compose services', () => {
    const nvmrc = readText('.nvmrc').trim();
    expect(nvmrc).toMatch(/^\d+\.\d+\.\d+$/);
    // Even majors become LTS; 20 reached its end of life in April 2026.
    expect(Number(nvmrc.split('.')[0]) % 2).toBe(0);
    expect(Number(nvmrc.split('.')[0])).toBeGreaterThan(20);
    for (const name of ['plugin-build', 'simulator']) {
      expect({ name, image: compose.services[name].image }).toEqual({ name, image: `node:${nvmrc}-bookworm` });
    }
  });

  it('points the Prometheus datasource at the prometheus service', () => {
    const services = compose.services;
    const prometheus = readYaml('provisioning/datasources/fluxgrid.yaml').datasources.find(
      (d: any) => d.type === 'prometheus'
    );
    const url = new URL(prometheus.url);
    expect(services[url.hostname]).toBe(services.prometheus);
    expect(url.port).toBe('9090');
  });
});
