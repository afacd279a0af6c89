import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  { ignores: ['dist/**', '.tsbuild/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-empty-object-type': 'off',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.object.name='console'][callee.property.name='debug']", message: 'No debug logging left behind.' }],
    },
  },
  {
    // Code passed to page.evaluate runs in the page.
    files: ['bench/**/*.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', requestAnimationFrame: 'readonly', fetch: 'readonly', performance: 'readonly' } },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // The layering rule, also enforced by scripts/check-layering.mjs for dynamic imports and requires.
    files: ['main/core/**/*.ts', 'common/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'main/core and common never import electron (ARCHITECTURE.md).' }] }] },
  },
  {
    // Handlers get the narrow services they use from the composition root (main/core/compose.ts), never the whole core.
    files: ['main/core/api/**/*.ts'],
    ignores: ['main/core/api/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'main/core and common never import electron (ARCHITECTURE.md).' }],
          patterns: [{ regex: '^\\.\\./core$', message: 'A handler takes the services it uses as parameters (compose.ts wires them); it never reaches into VigieCore.' }],
        },
      ],
    },
  },
);
