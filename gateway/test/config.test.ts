import { subgraphEnv } from '@passerelle/service';
import { describe, expect, it } from 'vitest';
import { gatewayEnv } from '../src/config.ts';

describe('production configuration', () => {
  it('refuses to start the gateway without the identity provider and signing keys', () => {
    expect(() => gatewayEnv({ NODE_ENV: 'production' })).toThrow(
      /JWKS_URL[\s\S]*JWT_ISSUER[\s\S]*JWT_AUDIENCE/,
    );
    expect(() =>
      gatewayEnv({
        NODE_ENV: 'production',
        JWKS_URL: 'https://id.example/.well-known/jwks.json',
        JWT_ISSUER: 'https://id.example',
        JWT_AUDIENCE: 'passerelle',
      }),
    ).toThrow(/HOUSING_SIGNING_SECRET: required[\s\S]*NETWORK_SIGNING_SECRET: required/);
  });

  it('refuses to start a subgraph without its signing secrets', () => {
    expect(() => subgraphEnv('network', 4001, { NODE_ENV: 'production' })).toThrow(
      /SIGNING_SECRET[\s\S]*INTERNAL_SIGNING_SECRET/,
    );
    expect(() =>
      subgraphEnv('housing', 4002, { NODE_ENV: 'production', SIGNING_SECRET: 'x'.repeat(32) }),
    ).toThrow(/NETWORK_SIGNING_SECRET/);
  });
});
