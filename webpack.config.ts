import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import { merge } from 'webpack-merge';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

/**
 * The stock config copies only the app's own logos. Nested plugins (panel, datasource) keep
 * their logos in their own img/ folders: copy those too, or Grafana shows a broken image.
 */
const config = async (env: Env): Promise<Configuration> =>
  merge(await grafanaConfig(env), {
    plugins: [
      new CopyWebpackPlugin({
        patterns: [{ from: '*/img/**', to: '.', noErrorOnMissing: true }],
      }),
    ],
  });

export default config;
