import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '.tools/**',
      '**/__toolsnaps__/**',
      // Components as Salesforce developers write them (LWC, Aura, Jest): the tests check findings at their lines.
      'packages/toolsets/lwc-experts/test/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Public surfaces only: a package imports another package by its name, never its sources.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@sfmcp/*/src/*', '@sfmcp/*/dist/*'], message: "Import the package's public entry." },
            {
              group: ['../../*/src/*', '../../../*/src/*', '../../../../*/src/*'],
              message: "Do not reach into another package's sources.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
