import { defineConfig } from 'vitest/config';
import { exercisesProject, solutionsProject, srcProject } from './src/vitest/projects.ts';

const root = import.meta.dirname;

export default defineConfig({
  test: {
    projects: [exercisesProject(root), solutionsProject(root), srcProject(root)],
  },
});
