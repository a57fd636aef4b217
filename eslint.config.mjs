import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'coverage/', 'artifacts/', 'jest.config.js', 'tests/support/summary-reporter.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  // Stages import only earlier ones (README, Architecture): render must not know channels or queues.
  {
    files: ['src/render/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/channels/**', '**/queue/**', '**/intake/**', '**/ingest/**', '**/config/schema'] }] },
  },
  // config/ composes each stage's own schema (<stage>/config.ts) and imports nothing else of theirs.
  {
    files: ['src/config/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./(?!(channels|history|ingest|lifecycle|mentions|normalize|policy|queue|render|route)/config$)', message: 'config/ imports only the stages\' config.ts schemas' }] },
      ],
    },
  },
);
