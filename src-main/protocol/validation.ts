import type { z } from 'zod';

/** Outcome of validating untrusted data: the typed value, or a one-line reason naming the field. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Formats a zod error as "field.path: what is wrong" lines joined by "; ". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length ? issue.path.join('.') : '(root)';
      if (issue.code === 'unrecognized_keys') {
        const where = issue.path.length ? `${path}.` : '';
        return issue.keys.map((k) => `${where}${k}: unknown field`).join('; ');
      }
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

/** Validates `data` against `schema` without throwing. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown): Parsed<z.infer<S>> {
  const result = schema.safeParse(data);
  return result.success ? { ok: true, value: result.data } : { ok: false, error: describeIssues(result.error) };
}
