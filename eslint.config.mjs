import tseslint from 'typescript-eslint';

// Text a user reads goes through l10n.t (vscode.l10n.t in the UI layer, @vscode/l10n elsewhere), so that
// scripts/l10n.mjs can put it in l10n/bundle.l10n.json for translation. These catch text that bypasses it.
// Words: two with a space between, or one capitalised ("Retry"); ids, icons and codes are neither.
const userText = ':matches(Literal[value=/[A-Za-z]{2,} [A-Za-z]{2,}|^[A-Z][a-z]+$/], TemplateLiteral:has(TemplateElement[value.raw=/[A-Za-z]{2,}/]))';
const uiProperties = '/^(label|title|placeHolder|placeholder|prompt|tooltip|detail|description|message|openLabel|emptyLabel|primaryLabel|subtitle)$/';
const bypassesL10n = (what) => `${what} bypasses l10n: wrap it in l10n.t('…') (placeholders {0}, {1} for values), then run node scripts/l10n.mjs.`;
const errorText = {
  selector: `NewExpression[callee.name=/Error$/] > ${userText}.arguments:first-child`,
  message: bypassesL10n('An error message'),
};
const uiText = [
  { selector: `CallExpression[callee.property.name=/^show(Error|Information|Warning)Message$/] > ${userText}.arguments`, message: bypassesL10n('A notification text') },
  { selector: `Property[key.name=${uiProperties}] > ${userText}.value`, message: bypassesL10n('A label, title or message') },
  { selector: `AssignmentExpression[left.property.name=/^(tooltip|text|description|label|name|title|placeholder|prompt|message)$/] > ${userText}.right`, message: bypassesL10n('A label or tooltip') },
  { selector: `NewExpression[callee.property.name=/^(TreeItem|InfoNode|MessageNode)$/] > ${userText}.arguments`, message: bypassesL10n('A tree item label') },
  { selector: `CallExpression[callee.property.name=/^(createOutputChannel|createStatusBarItem|createWebviewPanel|appendLines?|setOptions|setNote|showStatus|section|addAction)$/] > ${userText}.arguments`, message: bypassesL10n('Text shown in VS Code') },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'media/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json', './src/webview/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/azure/**/*.ts', 'src/core/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', errorText] },
  },
  {
    files: ['src/extension.ts', 'src/commands/**/*.ts', 'src/tree/**/*.ts', 'src/ui/**/*.ts', 'src/forms/**/*.ts', 'src/connection/**/*.ts', 'src/webview/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', errorText, ...uiText] },
  },
);
