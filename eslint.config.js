// Lint rules for every package: the recommended JavaScript and TypeScript sets, plus the few
// rules that keep resolvers honest (no floating promises slipping through as unused values).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/__generated__/**',
      '.data/**',
      '**/migrations/**',
      'schema/supergraph.graphql',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['error', 'warn'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['scripts/**', 'schema/src/compose.ts', 'schema/src/check.ts', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/test/**', 'test/**', 'packages/testkit/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
