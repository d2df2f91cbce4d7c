// PostgreSQL reports a unique-index violation as SQLSTATE 23505; Drizzle wraps the driver's
// error, so look at the cause as well.
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    const pgError = current as Error & {
      code?: unknown;
      constraint?: unknown;
      constraint_name?: unknown;
    };
    if (pgError.code === '23505') {
      const name = pgError.constraint ?? pgError.constraint_name;
      return constraint === undefined || name === undefined || name === constraint;
    }
  }
  return false;
}
