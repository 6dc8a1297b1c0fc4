import { FieldConfigProperty, PanelPlugin } from '@grafana/data';

import { FluxGridPanel } from './FluxGridPanel';
import { migrateFluxGridPanel } from './migrations';
import { buildPanelOptions } from './optionsEditor';
import type { FluxGridOptions } from './types';

export const plugin = new PanelPlugin<FluxGridOptions>(FluxGridPanel)
  // Only data links: they are built per object (see links.ts for the variables they can use).
  .useFieldConfig({
    disableStandardOptions: Object.values(FieldConfigProperty).filter(
      (property) => property !== FieldConfigProperty.Links
    ),
  })
  .setPanelOptions(buildPanelOptions)
  .setMigrationHandler(migrateFluxGridPanel);
