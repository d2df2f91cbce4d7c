export {
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  issueToken,
  TokenRefused,
  verifyToken,
  type IssueOptions,
  type DevTokenSettings,
  type TokenSettings,
} from './jwt.ts';
