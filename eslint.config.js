// ESLint: typescript-eslint's recommended rules, plus one project rule: a module may use another module only
// through its index.ts (modules talk through their entrance, the platform, or jobs — never internals).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import path from 'node:path';

const moduleOf = (file) => /[\\/]src[\\/]modules[\\/]([^\\/]+)[\\/]/.exec(file)?.[1];

const moduleBoundaries = {
  meta: {
    type: 'problem',
    messages: {
      internal:
        "Module '{{from}}' imports '{{spec}}', an internal file of module '{{to}}'. Import from its index.ts, the platform, or talk through jobs.",
    },
  },
  create(context) {
    const file = context.filename;
    const from = moduleOf(file);
    const check = (node) => {
      const spec = node.source?.value;
      if (!from || typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), spec);
      const to = moduleOf(`${target}/`);
      if (!to || to === from) return;
      const rel = target.split(/[\\/]src[\\/]modules[\\/]/)[1];
      if (rel === `${to}/index.js` || rel === `${to}/index.ts` || rel === to) return;
      context.report({ node, messageId: 'internal', data: { from, to, spec } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', 'data/**', 'drizzle/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { hub: { rules: { 'module-boundaries': moduleBoundaries } } },
    rules: {
      'hub/module-boundaries': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
);
