/** Some browser libraries read `process.env.X` / `process.browser`: give them an empty Node process. */
const processShim = {
  env: { NODE_ENV: 'production' },
  browser: true,
  version: '',
  versions: {},
  nextTick: (fn: () => void) => queueMicrotask(fn),
};
export default processShim;
