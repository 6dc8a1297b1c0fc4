/**
 * Jest's node environment for the simulator's unit tests. The unit project's shared setup file
 * (jest-setup.js, from the Grafana scaffold) patches HTMLCanvasElement, which only jsdom defines:
 * give it a stand-in so node-environment tests (sockets, child processes) can run in that project.
 */
const { TestEnvironment } = require('jest-environment-node');

class SimulatorNodeEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    if (typeof this.global.HTMLCanvasElement === 'undefined') {
      this.global.HTMLCanvasElement = class HTMLCanvasElement {};
    }
  }
}

module.exports = SimulatorNodeEnvironment;
