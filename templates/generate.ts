/** Writes the template and block JSON files from recipes.ts: `npm run templates`. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as recipes from './recipes';

export const templateRecipes = {
  'starter-cnn': recipes.starterCnn,
  'plain-20': recipes.plain20,
  'resnet-20': recipes.resnet20,
  'plain-56': recipes.plain56,
  'resnet-56': recipes.resnet56,
  'resnet-18': recipes.resnet18,
  'resnet-34': recipes.resnet34,
  'lesson-resnet34-pets': recipes.lessonResnet34,
  'tiny-vgg': recipes.tinyVgg,
} as const;

export const blockRecipes = {
  'residual-block': recipes.residualBlock,
  'downsample-residual-block': recipes.downsampleResidualBlock,
  'conv-bn-relu': recipes.convBnRelu,
} as const;

export const toJson = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  for (const [name, recipe] of Object.entries(templateRecipes))
    writeFileSync(`${dir}${name}.json`, toJson(recipe()));
  for (const [name, recipe] of Object.entries(blockRecipes))
    writeFileSync(`${dir}blocks/${name}.json`, toJson(recipe()));
  console.log(
    `wrote ${Object.keys(templateRecipes).length} templates and ${Object.keys(blockRecipes).length} blocks to ${dir}`,
  );
}
