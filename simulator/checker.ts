/**
 * A generic checker for hand-written YAML: typed reads of plain values (mapping, list, string,
 * whole number, boolean, duration, one of a list) that collect every problem with its key path and
 * line instead of stopping at the first one. The scenario parser (scenario.ts) is built on it.
 */
import { parseDurationSeconds } from './duration';

export type PathPart = string | number;

export function formatPath(parts: PathPart[]): string {
  let out = '';
  for (const part of parts) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out === '' ? '(top level)' : out;
}

/** Collects problems with their location in the file. */
export class Checker {
  readonly problems: string[] = [];
  constructor(
    private readonly file: string,
    private readonly locate: (parts: PathPart[]) => number | undefined
  ) {}

  problem(parts: PathPart[], message: string): void {
    const line = this.locate(parts);
    const where = line === undefined ? this.file : `${this.file}:${line}`;
    this.problems.push(`${where}: ${formatPath(parts)}: ${message}`);
  }

  /** Reports keys the format does not know (typos must not be silently ignored). */
  knownKeys(value: Record<string, unknown>, parts: PathPart[], known: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        this.problem([...parts, key], `unknown key "${key}" (expected one of ${known.join(', ')})`);
      }
    }
  }

  mapping(value: unknown, parts: PathPart[]): Record<string, unknown> | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.problem(parts, `expected a mapping, got ${describe(value)}`);
      return undefined;
    }
    return value as Record<string, unknown>;
  }

  list(value: unknown, parts: PathPart[]): unknown[] | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (!Array.isArray(value)) {
      this.problem(parts, `expected a list, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  string(value: unknown, parts: PathPart[]): string | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string') {
      this.problem(parts, `expected a string, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  integer(value: unknown, parts: PathPart[], min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problem(parts, `expected a whole number from ${min} to ${max}, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  boolean(value: unknown, parts: PathPart[]): boolean | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'boolean') {
      this.problem(parts, `expected true or false, got ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  duration(value: unknown, parts: PathPart[]): number | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    const seconds = parseDurationSeconds(value);
    if (seconds === undefined) {
      this.problem(parts, `expected a duration like 30s, 10m or 1h30m, got ${describe(value)}`);
    }
    return seconds;
  }

  oneOf<T extends string>(value: unknown, parts: PathPart[], allowed: readonly T[], what: string): T | undefined {
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.problem(parts, `unknown ${what} ${describe(value)} (expected one of ${allowed.join(', ')})`);
      return undefined;
    }
    return value as T;
  }
}

/** A value as a message shows it: strings quoted, lists and mappings named. */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (value === null) {
    return 'null';
  }
  if (typeof value === 'object') {
    return 'a mapping';
  }
  return String(value);
}
