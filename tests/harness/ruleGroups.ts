/**
 * Recording rules backfilled group by group, as Prometheus evaluates them: a group may read what
 * an earlier group recorded (FluxGrid's hourly reconciles read its reconcile events), which a
 * backfill of all groups at once against the raw history (promtool, vmalert's replay) cannot see.
 */
import { readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { parse, stringify } from 'yaml';

/** Every group of `files` in a file of its own in `dir`, in order. */
export function ruleGroupFiles(files: string[], dir: string): string[] {
  return files.flatMap((file, i) => {
    const groups: unknown[] = parse(readFileSync(file, 'utf8'))?.groups ?? [];
    return groups.map((group, j) => {
      const out = path.join(dir, `rules-${i}-group-${j}.yaml`);
      writeFileSync(out, stringify({ groups: [group] }));
      return out;
    });
  });
}
