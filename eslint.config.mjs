// Lint rules that keep the boundaries of the architecture (docs/ARCHITECTURE.md), as path-based
// zones checked on resolved import paths, so files nested at any depth are covered:
// - a module is used by anything outside it only through its index.ts;
// - platform/ imports no module, no app code and no CLI;
// - modules never import the app or the CLI;
// - pages (every web/ folder, the shell's included) never import a repository;
// - outside platform/, each platform area is used through its index.ts.
// Tests and benchmarks are white-box and may reach inside.
import fs from 'node:fs';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const dirs = (root) =>
  fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
const MODULES = dirs('src/modules');
const PLATFORM_AREAS = dirs('src/platform');

/** Every part of src/ that is not module `m` (others modules, platform, app, cli). */
const outside = (m) => [
  ...MODULES.filter((x) => x !== m).map((x) => `./src/modules/${x}/**`),
  './src/platform/**',
  './src/app/**',
  './src/cli/**',
];

const zones = [
  ...MODULES.map((m) => ({
    target: outside(m),
    from: `./src/modules/${m}`,
    except: ['./index.ts'],
    message: `Use the ${m} module only through src/modules/${m}/index.ts`,
  })),
  { target: './src/platform/**', from: ['./src/modules/**', './src/app/**', './src/cli/**'], message: 'platform/ imports no module, no app and no CLI code' },
  { target: './src/modules/**', from: ['./src/app/**', './src/cli/**'], message: 'modules do not import the app or the CLI' },
  {
    target: ['./src/modules/*/web/**', './src/platform/web/**', './src/platform/*/web/**'],
    from: ['./src/**/repository.ts', './src/**/repository/**'],
    message: 'Pages call services, never repositories',
  },
  ...PLATFORM_AREAS.map((a) => ({
    target: ['./src/modules/**', './src/app/**', './src/cli/**'],
    from: `./src/platform/${a}`,
    except: ['./index.ts'],
    message: `Use platform/${a} through its index.ts`,
  })),
];

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
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: { 'import-x/no-restricted-paths': ['error', { zones }] },
  },
);
