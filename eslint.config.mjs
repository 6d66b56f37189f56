// Lint rules that keep the boundaries of the architecture: no deep imports into another module,
// and the platform never imports a module.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', 'coverage/**', '.tmp/**', 'bench/.work/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/modules/**', '**/app/**', '**/web/**'], message: 'platform/ imports no module (see docs/ARCHITECTURE.md)' }] }],
    },
  },
  {
    files: ['src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^\\.\\./\\.\\./modules/|^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.js$).+', message: 'Import another module only through its index.ts' },
            { regex: '^\\.\\./\\.\\./platform/[^/]+/(?!index\\.js$).+', message: 'Use the platform through each area\'s index.ts' },
            { group: ['**/app/**', '**/web/**'], message: 'modules do not import the app or the web shell' },
          ],
        },
      ],
    },
  },
);
