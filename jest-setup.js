// Jest setup provided by Grafana scaffolding. It patches DOM globals (HTMLCanvasElement,
// matchMedia), so only load it where there is a DOM: unit tests that declare
// `@jest-environment node` (sockets, child processes) run without it.
if (typeof window !== 'undefined') {
  require('./.config/jest-setup');
}
