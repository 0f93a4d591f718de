// The review-quality benchmark's own ESLint config (never the project's): eslint-plugin-security and
// eslint-plugin-sonarjs with their `recommended` rule sets, as a team adopting them would start.
// TypeScript files are parsed with typescript-eslint's parser, without type information (the corpora
// ship no tsconfig the benchmark could rely on), so sonarjs rules that need types stay silent.
import security from 'eslint-plugin-security';
import sonarjs from 'eslint-plugin-sonarjs';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/node_modules/**', '**/*.min.js'] },
  { files: ['**/*.{js,jsx,mjs,cjs,ts,tsx,mts,cts}'], linterOptions: { reportUnusedDisableDirectives: 'off' } },
  { files: ['**/*.{js,jsx,mjs}'], languageOptions: { ecmaVersion: 'latest', sourceType: 'module', parserOptions: { ecmaFeatures: { jsx: true } } } },
  { files: ['**/*.cjs'], languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' } },
  { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tseslint.parser } },
  security.configs.recommended,
  sonarjs.configs.recommended,
];
