import path from 'node:path';
import pc from 'picocolors';
import { createVitest } from 'vitest/node';
import { loadCatalog } from '../../kata/catalog.ts';
import { Workspace } from '../../runner/workspace.ts';
import { benchProject } from '../../vitest/projects.ts';
import { findKata, type CommandContext } from '../context.ts';
import { UsageError } from '../errors.ts';

/**
 * `bench [kata…] [--kata <name>]`: the katas' benchmarks against the references, or with
 * `--kata`, one kata's benchmark against the learner's own implementation.
 */
export async function bench(context: CommandContext, queries: readonly string[], { kata: mine }: { kata?: string | undefined }): Promise<number> {
  const catalog = loadCatalog(context.root);
  const katas = mine === undefined ? queries.map((q) => findKata(catalog, q)) : [findKata(catalog, mine)];
  const filters = katas.map((kata) => path.relative(context.root, kata.files.exerciseDir) + path.sep);
  const target = mine === undefined ? 'solutions' : 'exercises';
  if (mine !== undefined) {
    // A benchmark of code that fails its tests measures nothing worth comparing.
    const workspace = new Workspace(context.root);
    try {
      if (!(await workspace.isSolved(katas[0]!))) {
        context.out(`Your ${katas[0]!.name} does not pass its tests yet; \`npm run kata -- run ${katas[0]!.name}\` shows why.`);
        return 1;
      }
    } finally {
      await workspace.close();
    }
  }
  context.out(pc.dim(mine === undefined ? 'Benchmarking the references.' : `Benchmarking your ${katas[0]!.name}.`));
  const vitest = await createVitest('benchmark', { config: false, root: context.root, watch: false, projects: [benchProject(context.root, target)] });
  try {
    const specs = await vitest.globTestSpecifications(filters);
    if (specs.length === 0) throw new UsageError(`no benchmark for ${katas.map((k) => k.name).join(', ') || 'any kata'} yet`);
    const result = await vitest.start(filters);
    return result.testModules.every((module) => module.ok()) ? 0 : 1;
  } finally {
    await vitest.close();
  }
}
