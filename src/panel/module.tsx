import { PanelPlugin } from '@grafana/data';
const Placeholder = () => null;
export const plugin = new PanelPlugin(Placeholder);
