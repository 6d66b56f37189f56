import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The architecture's boundaries are lint rules (eslint.config.mjs); these cases must fail the check. */
const eslint = new ESLint({ cwd: process.cwd() });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('architecture boundaries (lint)', () => {
  it('refuses a deep import into another module from a nested file', async () => {
    const found = await problems(
      'src/modules/catalog/ckan/nested/x.ts',
      "import { orgRepo } from '../../../organizations/repository.js';\nexport const x = orgRepo;\n",
    );
    expect(found.join('\n')).toMatch(/organizations module only through/);
  });

  it('refuses a page importing a repository, even of its own module', async () => {
    const found = await problems('src/modules/catalog/web/x.ts', "import { datasetRepo } from '../repository.js';\nexport const x = datasetRepo;\n");
    expect(found.join('\n')).toMatch(/never repositories/);
  });

  it('refuses platform code importing a module', async () => {
    const found = await problems(
      'src/platform/jobs/x.ts',
      "import { catalogModule } from '../../modules/catalog/index.js';\nexport const x = catalogModule;\n",
    );
    expect(found.join('\n')).toMatch(/platform\/ imports no module/);
  });

  it('accepts a module’s own files and other modules through their index.ts', async () => {
    expect(
      await problems(
        'src/modules/catalog/ckan/nested/x.ts',
        "import { getOrganization } from '../../../organizations/index.js';\nimport { datasetRepo } from '../../repository.js';\nexport const x = [getOrganization, datasetRepo];\n",
      ),
    ).toEqual([]);
  });
});
