// The gateway's environment: where it listens, which supergraph it serves, where each subgraph
// runs and how callers are authenticated.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from '@passerelle/auth';
import { createRemoteJWKSet } from 'jose';
import {
  deriveKey,
  flag,
  GATEWAY_LIMITS,
  limitsEnvShape,
  limitsFrom,
  loadSecret,
  logLevel,
  type Logger,
  parseEnv,
  port,
  subgraphVariable,
  repositoryRoot,
  z,
} from '@passerelle/service';

export function gatewayEnv(source: NodeJS.ProcessEnv) {
  const env = parseEnv(
    {
      NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
      HOST: z.string().default('127.0.0.1'),
      PORT: port(4000),
      LOG_LEVEL: logLevel,
      SUPERGRAPH_PATH: z
        .string()
        .default(path.join(repositoryRoot, 'schema', 'supergraph.graphql')),
      /** Where development secrets are kept when they are not given in the environment. */
      SECRETS_DIR: z.string().default(path.join(repositoryRoot, '.data')),
      /** Development only: the HS256 secret (else one is generated under SECRETS_DIR). */
      JWT_SECRET: z.string().min(32).optional(),
      /** Production: the identity provider's public keys; tokens must be RS256 or ES256. */
      JWKS_URL: z.url().optional(),
      JWT_ISSUER: z.string().optional(),
      JWT_AUDIENCE: z.string().optional(),
      /** Milliseconds a subgraph may take to answer one fetch. */
      SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
      /** Milliseconds a whole client request may take; then 504 GATEWAY_TIMEOUT. */
      REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
      /**
       * How many processes serve the gateway on its port (node:cluster). One by default: on a
       * machine whose cores the subgraphs already keep busy, more only share the same cores.
       */
      GATEWAY_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
      /**
       * `false` runs Apollo's query plans as planned, each entity fetch a request of its own,
       * instead of sending sibling fetches to one subgraph together (ADR 0006).
       */
      GATEWAY_MERGE_FETCHES: flag.default(true),
      /** How long SIGTERM waits for in-flight requests before aborting them. */
      SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10_000),
      /** Overrides of the operation limits (GATEWAY_LIMITS in @passerelle/service). */
      ...limitsEnvShape,
    },
    source,
  );
  const production = env.NODE_ENV === 'production';
  if (production) {
    const missing = (['JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE'] as const).filter(
      (key) => !env[key],
    );
    if (missing.length) {
      throw new Error(
        `Invalid environment:\n${missing.map((key) => `  - ${key}: required in production`).join('\n')}`,
      );
    }
  }
  return {
    ...env,
    production,
    limits: limitsFrom(env, GATEWAY_LIMITS),
    jwt: {
      // Production verifies against the provider's keys only: development tokens never pass.
      secret:
        production && env.JWKS_URL
          ? // The key set is fetched again every minute, so that a withdrawn key stops counting
            // within a minute (and a token verified with it, a minute after that).
            createRemoteJWKSet(new URL(env.JWKS_URL), { cacheMaxAge: 60_000 })
          : loadSecret('dev-jwt-secret', env.JWT_SECRET, env.SECRETS_DIR),
      issuer: env.JWT_ISSUER ?? DEFAULT_ISSUER,
      audience: env.JWT_AUDIENCE ?? DEFAULT_AUDIENCE,
    },
    subgraphUrls: subgraphUrlOverrides(source),
    signingKeyFor: signingKeys(source, env.SECRETS_DIR, env.NODE_ENV === 'production'),
  };
}

/** What either engine (the Apollo gateway, Hive Gateway) is started with, from its environment. */
export function gatewayOptions(env: GatewayEnv, log: Logger) {
  return {
    supergraphSdl: readFileSync(env.SUPERGRAPH_PATH, 'utf8'),
    subgraphUrls: env.subgraphUrls,
    jwt: env.jwt,
    signingKeyFor: env.signingKeyFor,
    log,
    host: env.HOST,
    port: env.PORT,
    production: env.production,
    limits: env.limits,
    subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    mergeSiblingFetches: env.GATEWAY_MERGE_FETCHES,
  };
}

/**
 * The key the gateway signs requests to subgraph `name` with: `<NAME>_SIGNING_SECRET`, or in
 * development a key derived from the master secret under SECRETS_DIR (the subgraphs derive the
 * same one).
 */
function signingKeys(source: NodeJS.ProcessEnv, secretsDir: string, production: boolean) {
  const keys = new Map<string, Uint8Array>();
  let master: Uint8Array | undefined;
  const missing: string[] = [];
  for (const name of subgraphNames()) {
    const given = source[subgraphVariable(name, 'SIGNING_SECRET')];
    if (given) {
      keys.set(name, new Uint8Array(Buffer.from(z.string().min(32).parse(given), 'utf8')));
    } else if (production) {
      missing.push(subgraphVariable(name, 'SIGNING_SECRET'));
    } else {
      master ??= loadSecret('dev-signing-secret', undefined, secretsDir);
      keys.set(name, deriveKey(master, 'gateway', name));
    }
  }
  if (missing.length) {
    throw new Error(
      `Invalid environment:\n${missing.map((key) => `  - ${key}: required in production`).join('\n')}`,
    );
  }
  return (name: string) => keys.get(name);
}

function subgraphNames(): string[] {
  return readdirSync(path.join(repositoryRoot, 'subgraphs'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}
export type GatewayEnv = ReturnType<typeof gatewayEnv>;

/**
 * `<NAME>_URL` (for example `HOUSING_URL`) replaces the URL the supergraph records for subgraph
 * `name`. Only names of subgraphs present in the repository are read.
 */
function subgraphUrlOverrides(source: NodeJS.ProcessEnv): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const name of subgraphNames()) {
    const value = source[subgraphVariable(name, 'URL')];
    if (value) overrides[name] = z.url().parse(value);
  }
  return overrides;
}
