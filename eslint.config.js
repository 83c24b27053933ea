import js from '@eslint/js'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/', '.stack/', 'load-tests/**/*.js', 'nginx/**/*.js', 'web/dist/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', {
        object: 'process', property: 'env',
        message: 'Read the environment only in a config.ts (STYLE.md, habit 2).',
      }],
    },
  },
  {
    files: ['**/config.ts', 'scripts/**', 'vitest.config.ts', 'playwright.config.ts', 'test/setup/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
)
