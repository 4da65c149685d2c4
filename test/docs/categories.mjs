// Fails when an exported symbol of a documented entry point has no @category.
// Reads the JSON that `typedoc --json` wrote (path as the first argument).
import { readFileSync } from 'node:fs';

const referenceKind = 4194304; // re-exports of a symbol documented in another entry point
const project = JSON.parse(readFileSync(process.argv[2] ?? 'docs/api/api.json', 'utf8'));
const missing = [];
for (const mod of project.children ?? []) {
  const categorized = new Set((mod.categories ?? []).filter((c) => c.title !== 'Other').flatMap((c) => c.children));
  for (const child of mod.children ?? []) {
    if (child.kind !== referenceKind && !categorized.has(child.id)) missing.push(`${mod.name}: ${child.name}`);
  }
}
if (missing.length > 0) {
  console.error(`Exported symbols without @category (${missing.length}):\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`docs:check: every exported symbol of ${project.children?.length ?? 0} entry points has a category`);
