import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/repo';

interface Command { command: string; title: string; category?: string; icon?: string }
interface MenuItem { command: string; when?: string; group?: string }
interface Setting { type?: string | string[]; scope?: string; default?: unknown; description?: string; markdownDescription?: string; ignoreSync?: boolean }
interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported?: string | boolean; description?: string; restrictedConfigurations?: string[] } };
  contributes: {
    commands: Command[];
    menus: Record<string, MenuItem[]>;
    configuration: { properties: Record<string, Setting> };
  };
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')) as T;
const manifest = readJson<Manifest>('package.json');
const english = readJson<Record<string, string>>('package.nls.json');
const dutch = readJson<Record<string, string>>('package.nls.nl.json');

/** The text behind a `%key%` manifest string in one language; undefined when it is not a key or has no text. */
function resolved(value: string | undefined, bundle: Record<string, string>): string | undefined {
  const key = /^%(.+)%$/.exec(value ?? '')?.[1];
  return key === undefined ? undefined : bundle[key];
}

/**
 * How each command's handler treats a call without an argument (from the palette or a keybinding).
 * `item-only`: it needs a tree item, so the palette must never show it. `asks`: it asks for what it
 * needs (a quick pick or an input box). `none`: it needs nothing. A new command must be put here.
 */
const argumentUse: Record<string, 'item-only' | 'asks' | 'none'> = {
  'azureml.signIn': 'none',
  'azureml.signOut': 'none',
  'azureml.useLocalWorkspace': 'none',
  'azureml.stopLocalWorkspace': 'none',
  'azureml.selectWorkspace': 'asks',
  'azureml.setActiveWorkspace': 'item-only',
  'azureml.selectSubscriptions': 'asks',
  'azureml.refreshWorkspaces': 'none',
  'azureml.refreshDatastores': 'none',
  'azureml.refreshExperiments': 'none',
  'azureml.refreshModels': 'none',
  'azureml.loadMore': 'item-only',
  'azureml.retry': 'item-only',
  'azureml.showLog': 'none',
  'azureml.registerDatastore': 'none',
  'azureml.unregisterDatastore': 'asks',
  'azureml.setDefaultDatastore': 'asks',
  'azureml.registerModel': 'none',
  'azureml.uploadToDatastore': 'asks',
  'azureml.uploadFolderToDatastore': 'asks',
  'azureml.uploadFilesToDatastore': 'asks',
  'azureml.downloadDatastoreFolder': 'asks',
  'azureml.retryFailedUploads': 'none',
  'azureml.cancelTransfers': 'none',
  'azureml.submitCurrentFile': 'none',
  'azureml.tailRun': 'asks',
  'azureml.cancelRun': 'asks',
  'azureml.downloadRunOutputs': 'asks',
  'azureml.openRunInStudio': 'asks',
  'azureml.openRunDetails': 'asks',
  'azureml.compareRuns': 'item-only',
  'azureml.exportWorkspaceData': 'asks',
  'azureml.deleteModelVersion': 'item-only',
  'azureml.deleteModel': 'item-only',
  'azureml.backupModel': 'item-only',
  'azureml.copySasUrl': 'item-only',
  'azureml.downloadModel': 'item-only',
  'azureml.deleteRun': 'asks',
  'azureml.archiveRun': 'asks',
  'azureml.restoreRun': 'asks',
  'azureml.deleteWorkspace': 'asks',
  'azureml.resumeTransfer': 'asks',
};

/** Refresh commands belong to their view's title bar; the palette shows the view's own "Refresh" anyway. */
const hiddenThoughUsable = new Set(['azureml.refreshWorkspaces', 'azureml.refreshDatastores', 'azureml.refreshExperiments', 'azureml.refreshModels']);

/** Settings allowed without a default, each with its reason. None today: secrets are never settings. */
const settingsWithoutDefault: Record<string, string> = {};

/** Manifest fields a user reads (in VS Code's UI, the Extensions view or the marketplace), wherever they stand. */
const visibleFields = new Set([
  'displayName', 'description', 'markdownDescription', 'title', 'shortTitle', 'category', 'name', 'contents', 'altText',
  'enumDescriptions', 'markdownEnumDescriptions', 'enumItemLabels', 'deprecationMessage', 'markdownDeprecationMessage',
  'patternErrorMessage', 'errorMessage', 'label', 'contextualTitle',
]);
/** Top-level fields that are identifiers or tooling, not text for users (`name` is the package's id). */
const notForUsers = new Set(['name', 'scripts', 'devDependencies', 'dependencies', 'bin', 'engines', 'repository', 'bugs']);

/** Each user-visible string of the manifest, with where it stands. JSON schemas of object settings name their fields with `properties`. */
function visibleStrings(value: unknown, where: string, field?: string): Array<[string, string]> {
  if (typeof value === 'string') return field !== undefined && visibleFields.has(field) ? [[where, value]] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => visibleStrings(v, `${where}[${i}]`, field));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (where === '' && notForUsers.has(k) ? [] : visibleStrings(v, where ? `${where}.${k}` : k, k)));
}

describe('the manifest: commands and settings', () => {
  const commands = manifest.contributes.commands;
  const palette = manifest.contributes.menus['commandPalette'] ?? [];
  const paletteWhen = (id: string): string | undefined => palette.find((m) => m.command === id)?.when;

  it('gives every command the category "Azure ML" in English and Dutch, and a title in both', () => {
    const wrong = commands.filter((c) => resolved(c.category, english) !== 'Azure ML' || resolved(c.category, dutch) !== 'Azure ML'
      || !resolved(c.title, english) || !resolved(c.title, dutch));
    assert.deepEqual(wrong.map((c) => c.command), []);
  });

  it('gives an icon to every command in a view title bar', () => {
    const byId = new Map(commands.map((c) => [c.command, c]));
    const titled = (manifest.contributes.menus['view/title'] ?? []).map((m) => m.command);
    assert.deepEqual(titled.filter((id) => !byId.get(id)?.icon), []);
  });

  it('says for every command how it treats a call without an argument', () => {
    assert.deepEqual(commands.map((c) => c.command).filter((id) => !(id in argumentUse)), []);
    assert.deepEqual(Object.keys(argumentUse).filter((id) => !commands.some((c) => c.command === id)), []);
  });

  it('hides from the command palette every command that needs a tree item', () => {
    const shown = Object.entries(argumentUse).filter(([id, use]) => use === 'item-only' && paletteWhen(id) !== 'false');
    assert.deepEqual(shown.map(([id]) => id), []);
  });

  it('shows in the palette every command that asks for what it needs or needs nothing (unless its view title holds it)', () => {
    const hidden = Object.entries(argumentUse)
      .filter(([id, use]) => use !== 'item-only' && paletteWhen(id) === 'false' && !hiddenThoughUsable.has(id));
    assert.deepEqual(hidden.map(([id]) => id), []);
  });

  it('names only contributed commands in menus', () => {
    const ids = new Set(commands.map((c) => c.command));
    const unknown = Object.entries(manifest.contributes.menus).flatMap(([menu, items]) =>
      items.filter((m) => !ids.has(m.command)).map((m) => `${menu}: ${m.command}`));
    assert.deepEqual(unknown, []);
  });

  it('gives every setting a description in English and Dutch, a scope and a default', () => {
    const problems: string[] = [];
    for (const [name, setting] of Object.entries(manifest.contributes.configuration.properties)) {
      const description = setting.markdownDescription ?? setting.description;
      if (!resolved(description, english) || !resolved(description, dutch)) problems.push(`${name}: no description from package.nls`);
      if (!setting.scope) problems.push(`${name}: no scope`);
      if (!('default' in setting) && !(name in settingsWithoutDefault)) problems.push(`${name}: no default`);
    }
    assert.deepEqual(problems, []);
  });

  it('writes every user-visible string as a %key% with English and Dutch text, the Restricted Mode description too', () => {
    const strings = visibleStrings(manifest, '');
    assert.ok(strings.some(([where]) => where === 'capabilities.untrustedWorkspaces.description'), 'the Restricted Mode description is looked at');
    const untranslated = strings.filter(([, value]) => !resolved(value, english) || !resolved(value, dutch)).map(([where, value]) => `${where}: ${value}`);
    assert.deepEqual(untranslated, []);
  });

  it('takes the events queue and its datastore from the user\'s settings only: a folder\'s settings would read a queue of the user\'s storage with the user\'s sign-in or keys', () => {
    const scopes = ['azureml.events.queue', 'azureml.events.datastore'].map((name) => [name, manifest.contributes.configuration.properties[name]?.scope]);
    assert.deepEqual(scopes, [['azureml.events.queue', 'machine'], ['azureml.events.datastore', 'machine']]);
  });

  it('shows Submit Current File as Run only in a trusted folder: it runs the folder\'s code', () => {
    const entries = Object.entries(manifest.contributes.menus).flatMap(([menu, items]) =>
      items.filter((m) => m.command === 'azureml.submitCurrentFile').map((m): [string, string | undefined] => [menu, m.when]));
    assert.ok(entries.length >= 3, entries.map(([menu]) => menu).join(', '));
    assert.deepEqual(entries.filter(([, when]) => !/(^|&&\s*)isWorkspaceTrusted\s*(&&|$)/.test(when ?? '')).map(([menu]) => menu), []);
  });

  it('lets only the user turn on the token from AZML_ACCESS_TOKEN, on this machine alone', () => {
    const setting = manifest.contributes.configuration.properties['azureml.auth.useAccessTokenFromEnvironment'];
    assert.deepEqual({ type: setting?.type, scope: setting?.scope, default: setting?.default, ignoreSync: setting?.ignoreSync },
      { type: 'boolean', scope: 'machine', default: false, ignoreSync: true });
  });

  it('keeps secrets out of settings', () => {
    // A switch such as local.storageKeyAccess names a key but cannot hold one.
    const secretish = Object.entries(manifest.contributes.configuration.properties)
      .filter(([n, setting]) => /key|secret|token|password|sas/i.test(n) && setting.type !== 'boolean').map(([n]) => n);
    assert.deepEqual(secretish, []);
  });
});
