// force timezone to UTC to allow tests to work regardless of local timezone
process.env.TZ = 'UTC';

const base = require('./.config/jest.config');

// d3-color and friends ship .mjs only: run them through the same swc transform.
const transform = { ...base.transform, '^.+\\.mjs$': base.transform['^.+\\.(t|j)sx?$'] };

// Grafana's real Prometheus datasource (@grafana/prometheus) loads in node with two modules
// stubbed that only its editors import: the optional peer @grafana/assistant (not installed) and
// the ESM-only monaco-promql (tests/harness/stubs say why each is safe).
const grafanaPrometheusStubs = {
  '^@grafana/assistant$': '<rootDir>/tests/harness/stubs/grafana-assistant.ts',
  '^monaco-promql$': '<rootDir>/tests/harness/stubs/monaco-promql.ts',
};

module.exports = {
  projects: [
    {
      ...base,
      transform,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}', '<rootDir>/simulator/**/*.test.ts'],
    },
    {
      ...base,
      transform,
      displayName: 'integration',
      // Real Prometheus, real sockets: no DOM.
      testEnvironment: 'node',
      setupFilesAfterEnv: [],
      testMatch: ['<rootDir>/tests/**/*.test.ts'],
      moduleNameMapper: { ...base.moduleNameMapper, ...grafanaPrometheusStubs },
    },
    {
      ...base,
      transform,
      displayName: 'bench',
      // Benchmarks print figures; they are never part of `npm test`.
      testEnvironment: 'node',
      setupFilesAfterEnv: [],
      testMatch: ['<rootDir>/bench/**/*.bench.ts'],
      moduleNameMapper: { ...base.moduleNameMapper, ...grafanaPrometheusStubs },
    },
  ],
};
