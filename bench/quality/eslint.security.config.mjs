// ESLint + eslint-plugin-security alone (recommended rules), for the wall-time comparison.
import security from 'eslint-plugin-security';
import tseslint from 'typescript-eslint';

export default [
  { ignores: ['**/node_modules/**', '**/*.min.js'] },
  { files: ['**/*.{js,jsx,mjs}'], languageOptions: { ecmaVersion: 'latest', sourceType: 'module' } },
  { files: ['**/*.cjs'], languageOptions: { ecmaVersion: 'latest', sourceType: 'commonjs' } },
  { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tseslint.parser } },
  security.configs.recommended,
];
