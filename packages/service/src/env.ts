// Environment parsing shared by every deployable's own environment module: every problem is
// listed at once, then the process stops before it serves anything.
import { z } from 'zod';

export function parseEnv<TShape extends z.ZodRawShape>(
  shape: TShape,
  source: NodeJS.ProcessEnv,
): z.infer<z.ZodObject<TShape>> {
  const result = z.object(shape).safeParse(source);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('\n');
    throw new Error(`Invalid environment:\n${problems}`);
  }
  return result.data;
}

export const port = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/** Optional URL: an empty string counts as unset. */
export const optionalUrl = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined))
  .pipe(z.url().optional());

/** `true` or `false`, as an environment variable spells them. */
export const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export { z };

/**
 * The environment variable that configures `suffix` for one subgraph, for example
 * `subgraphVariable('housing', 'URL')` → `HOUSING_URL`. The start script, the stack and the
 * gateway all name per-subgraph settings this way.
 */
export const subgraphVariable = (name: string, suffix: string) =>
  `${name.toUpperCase().replaceAll('-', '_')}_${suffix}`;
