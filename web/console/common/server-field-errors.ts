import type { ApiErrorDetail } from '../../shared/api';

export type FieldPath = readonly (string | number)[];

export type MappedFieldErrors<Path extends FieldPath> = {
  /** Errors for fields the form shows, grouped by field. */
  fields: { name: Path; errors: string[] }[];
  /** Errors no field of the form matches; show them above the form. */
  unmatched: ApiErrorDetail[];
};

const samePath = (a: FieldPath, b: FieldPath) => a.length === b.length && a.every((part, index) => part === b[index]);

const startsWith = (path: FieldPath, prefix: FieldPath) => prefix.length <= path.length && prefix.every((part, index) => part === path[index]);

/**
 * Puts server validation details (`body.phone`, `body.birthday.year`, `body.tags.2`) on the form
 * field they belong to: the longest known field the path starts with, or else the first known
 * field under it (`body.birthday` → `birthday.calendar`).
 */
export const mapServerFieldErrors = <Path extends FieldPath>(details: readonly ApiErrorDetail[], knownFields: readonly Path[]): MappedFieldErrors<Path> => {
  const fields: MappedFieldErrors<Path>['fields'] = [];
  const unmatched: ApiErrorDetail[] = [];
  for (const detail of details) {
    const parts = detail.path.split('.').filter(Boolean);
    if (parts[0] !== 'body') {
      unmatched.push(detail);
      continue;
    }
    const path = parts.slice(1);
    const field =
      [...knownFields].filter((known) => startsWith(path, known)).sort((a, b) => b.length - a.length)[0] ??
      knownFields.find((known) => path.length > 0 && startsWith(known, path));
    if (!field) {
      unmatched.push(detail);
      continue;
    }
    const existing = fields.find((entry) => samePath(entry.name, field));
    if (existing) existing.errors.push(detail.message);
    else fields.push({ name: field, errors: [detail.message] });
  }
  return { fields, unmatched };
};
