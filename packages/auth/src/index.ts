export {
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  issueToken,
  TokenRefused,
  verifyToken,
  verifyTokenExpiry,
  VerifiedTokens,
  type VerifiedToken,
  type VerifiedTokensOptions,
  type IssueOptions,
  type DevTokenSettings,
  type TokenSettings,
} from './jwt.ts';
