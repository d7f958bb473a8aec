// Lint, including the layer rules of docs/ARCHITECTURE.md ("Dependency rules"): each folder may
// import only what its runtime has. The rules are import restrictions per folder.
import tseslint from 'typescript-eslint';
import vue from 'eslint-plugin-vue';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'http', 'net', 'url', 'crypto', 'stream', 'events', 'util'];

/**
 * no-restricted-imports with the given forbidden imports and a reason. Plain names ('fs', 'electron')
 * match exactly (so a project file named events.ts is not mistaken for node's 'events'); entries with
 * a glob or a slash are gitignore-style patterns.
 */
const forbid = (list, message) => {
  const isPattern = (s) => s.includes('*') || s.includes('/');
  const paths = list.filter((s) => !isPattern(s)).map((name) => ({ name, message }));
  const group = list.filter(isPattern);
  return { 'no-restricted-imports': ['error', { paths, patterns: group.length ? [{ group, message }] : [] }] };
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'runs/**'] },
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['src-main/mbrl/**/*.ts'],
    rules: forbid(
      ['electron', ...nodeBuiltins, '**/protocol/**', '**/engine/**', '**/app/**', '**/cli/**', '**/preload/**', '@tensorflow/tfjs-node*', '@tensorflow/tfjs-backend-*'],
      'mbrl is the pure library: no electron, no node built-ins, no tfjs backends, nothing from outer layers.',
    ),
  },
  {
    files: ['src-main/protocol/**/*.ts'],
    rules: forbid(
      ['electron', ...nodeBuiltins, '**/engine/**', '**/app/**', '**/cli/**', '**/preload/**'],
      'protocol imports nothing of the project but mbrl types.',
    ),
  },
  {
    files: ['src-main/engine/**/*.ts'],
    rules: forbid(['electron', '**/app/**', '**/cli/**', '**/preload/**', '**/src-renderer/**'], 'engine imports mbrl, protocol and node only.'),
  },
  {
    files: ['src-main/app/**/*.ts'],
    rules: forbid(
      ['**/mbrl/**', '**/engine/**', '**/cli/**', '@tensorflow/*', 'mujoco-js', '**/src-renderer/**'],
      'app is thin: electron, node and protocol; never tensor work (that is the engine).',
    ),
  },
  {
    files: ['src-main/preload/**/*.ts'],
    rules: forbid(
      [...nodeBuiltins, '**/mbrl/**', '**/engine/**', '**/app/**', '**/cli/**', '@tensorflow/*'],
      'preload imports electron and protocol only.',
    ),
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.vue'],
    rules: forbid(
      ['electron', ...nodeBuiltins, '**/src-main/**', '@tensorflow/*', 'mujoco-js'],
      'the renderer draws and asks: protocol through the @protocol alias, never src-main code or electron.',
    ),
  },
  {
    files: ['src-renderer/src/components/**', 'src-renderer/src/views/**', 'src-renderer/src/scene/**'],
    rules: forbid(
      ['electron', ...nodeBuiltins, '**/src-main/**', '@tensorflow/*', 'mujoco-js', '**/bridge', '**/bridge/**'],
      'only bridge/ talks to the transport and stores call it; views, components and scene use stores.',
    ),
  },
);
