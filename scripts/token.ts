// `pnpm -s token --partner <id> --role <role> [--sub <subject>] [--secrecy] [--ttl 8h]`
// prints a development JWT signed with the gateway's development secret (.data/dev-jwt-secret).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER, issueToken } from '@passerelle/auth';
import { loadSecret, repositoryRoot, roles, type Role } from '@passerelle/service';

const { values } = parseArgs({
  options: {
    partner: { type: 'string' },
    role: { type: 'string', default: 'staff' },
    sub: { type: 'string' },
    secrecy: { type: 'boolean', default: false },
    ttl: { type: 'string', default: '8h' },
  },
});

if (!roles.includes(values.role as Role)) {
  console.error(`--role must be one of: ${roles.join(', ')}`);
  process.exit(2);
}
const role = values.role as Role;
const partner = values.partner ?? null;
if (!partner && !['coordinator', 'beneficiary', 'service'].includes(role)) {
  console.error(`--partner is required for the role ${role}`);
  process.exit(2);
}

const settings = {
  secret: loadSecret(
    'dev-jwt-secret',
    process.env['JWT_SECRET'],
    process.env['SECRETS_DIR'] ?? path.join(repositoryRoot, '.data'),
  ),
  issuer: process.env['JWT_ISSUER'] ?? DEFAULT_ISSUER,
  audience: process.env['JWT_AUDIENCE'] ?? DEFAULT_AUDIENCE,
};
const sub = values.sub ?? `${role}:demo@${partner ?? 'passerelle'}`;
console.log(
  await issueToken(
    { sub, partner, role, secrecy: values.secrecy, expiresIn: values.ttl },
    settings,
  ),
);
