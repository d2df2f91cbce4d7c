// Input validation for mutations: a zod schema per input, its issues turned into the schema's
// typed `InputError`s, so a client can show each problem next to the field that caused it.
import { z } from 'zod';

export type InputErrorCode =
  | 'REQUIRED'
  | 'INVALID'
  | 'TOO_LONG'
  | 'OUT_OF_RANGE'
  | 'NOT_FOUND'
  | 'DUPLICATE'
  | 'NOT_ALLOWED'
  | 'FULL';

export interface InputError {
  field: string;
  code: InputErrorCode;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: InputError[] };

function codeOf(issue: z.core.$ZodIssue): InputErrorCode {
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string' || issue.origin === 'array' ? 'TOO_LONG' : 'OUT_OF_RANGE';
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 ? 'REQUIRED' : 'OUT_OF_RANGE';
    case 'invalid_type':
      return issue.input === undefined || issue.input === null ? 'REQUIRED' : 'INVALID';
    default:
      return 'INVALID';
  }
}

export function validate<T>(schema: z.ZodType<T>, input: unknown, prefix = 'input'): Validated<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((issue) => ({
      field: [prefix, ...issue.path.map(String)].join('.'),
      code: codeOf(issue),
      message: issue.message,
    })),
  };
}

export function inputError(field: string, code: InputErrorCode, message: string): InputError {
  return { field, code, message };
}

/** Text a person typed: trimmed, no control characters, bounded. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Required')
    .max(max, `At most ${max} characters`)
    // Control characters (other than tab and line breaks) have no place in text people read.
    // eslint-disable-next-line no-control-regex
    .refine((value) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(value), {
      message: 'Contains control characters',
    });

/** An ISO 639-1 language code. */
export const languageCode = z.string().regex(/^[a-z]{2}$/, 'Use a two-letter ISO 639-1 code');

export const uuid = z.uuid('Not a valid id');

/**
 * Entity ids are UUIDs. A representation or argument carrying anything else names no record:
 * resolvers answer null and never send it to SQL, where it would fail as a bad cast.
 */
export function isUuid(id: unknown): id is string {
  return typeof id === 'string' && uuid.safeParse(id).success;
}
