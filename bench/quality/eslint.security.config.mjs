// ESLint + eslint-plugin-security alone (recommended rules), for the wall-time comparison on the
// README's main-job folders, which are inside node_modules: the first entry un-ignores it (ESLint skips
// node_modules by default).
import security from 'eslint-plugin-security';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['!**/node_modules/'] },
  { files: ['**/*.{js,jsx,mjs}'], languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
  { files: ['**/*.cjs'], languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' } },
  { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tseslint.parser } },
  security.configs.recommended,
];
