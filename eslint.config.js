// ESLint with typescript-eslint's type-aware rules over src/, test/ and the scripts.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.dependency-cruiser.cjs', 'dist/', 'node_modules/', 'assembly/', 'src/hash/js-rounds.ts', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An adapter's async method may have nothing to await and still owe its interface a promise.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The pages are typed for a browser (DOM), by their own project.
    files: ['src/ui/**'],
    languageOptions: { parserOptions: { project: './tsconfig.web.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Tests read JSON and untyped peers (bcoin) as `any` on purpose; what they check is the value, asserted.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Node scripts (build, bench, docs' labs, this config): plain JavaScript, not type-checked.
    files: ['**/*.js', '**/*.mjs'],
    ignores: ['src/**'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        Buffer: 'readonly',
        fetch: 'readonly',
        Intl: 'readonly',
        structuredClone: 'readonly',
        // In functions a script hands a browser page to run (Playwright's page.evaluate).
        document: 'readonly',
      },
    },
  },
);
