import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SubmitResult } from '../../src/commands/runs/submitCurrentFile';
import type { RunWatch } from '../../src/commands/runs/runWatchers';
import type { AzureMlExtensionApi } from '../../src/extension';
import type { Prompts } from '../../src/ui/prompts';
import { startLocalWorkspace, type StartedLocalWorkspace } from '../support/localWorkspace';
import { pythonWaitingFor } from './goAhead';
import { eventually, extensionApi, iconId, rows, type Row } from './treeAccess';

/** Answers the submit picks by the step in their title; records which steps were asked. */
function submitPrompts(answers: { experiment: string; displayName?: string; command?: string; inputs?: Record<string, string> }, asked: string[]): Prompts {
  return {
    pick: async (items, options) => {
      asked.push(options.title);
      const list = await items;
      assert.ok(list.length > 0, `nothing to pick for ${options.title}`);
      return list[0]!.value;
    },
    pickMany: async () => assert.fail('unexpected multi-pick'),
    input: async (options) => {
      asked.push(options.title);
      if (options.title.endsWith(': Experiment')) return answers.experiment;
      if (options.title.endsWith(': Display Name')) return answers.displayName ?? options.value ?? '';
      if (options.title.endsWith(': Command') && answers.command !== undefined) return answers.command;
      const input = /: Input "(.+)"$/.exec(options.title);
      if (input) return answers.inputs?.[input[1]!] ?? assert.fail(`no value for input ${input[1]}`);
      return options.value ?? '';
    },
  };
}

describe('Submit and watch runs in a real extension host, against the local workspace', function () {
  this.timeout(240_000);
  let local: StartedLocalWorkspace;
  let api: AzureMlExtensionApi;
  let folder: string;
  let scratch: string;

  before(async () => {
    local = await startLocalWorkspace();
    await vscode.workspace.getConfiguration('azureml').update('local.dataFolder', local.dataDir, vscode.ConfigurationTarget.Global);
    api = await extensionApi();
    await vscode.commands.executeCommand('azureml.useLocalWorkspace');
    scratch = mkdtempSync(path.join(os.tmpdir(), 'azml-runs-host-'));
    folder = path.join(scratch, 'projects');
  });

  after(async () => {
    api?.setPrompts(undefined);
    await local?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  /** A project folder; its `.amlignore` makes it the snapshot of its scripts. */
  function project(name: string, files: Record<string, string>): string {
    const dir = path.join(folder, name);
    for (const [relative, text] of Object.entries({ '.amlignore': '*.tmp\n', ...files })) {
      mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
      writeFileSync(path.join(dir, relative), text);
    }
    return dir;
  }

  async function submit(file: string, prompts: Prompts): Promise<SubmitResult> {
    await vscode.window.showTextDocument(vscode.Uri.file(file));
    api.setPrompts(prompts);
    const result = await vscode.commands.executeCommand<SubmitResult | undefined>('azureml.submitCurrentFile');
    assert.ok(result?.jobName, 'the submit command answers the job it created');
    return result;
  }

  /** What the extension's Azure ML log holds so far (a failed command's message goes there too). */
  function azureMlLogText(): string {
    const dir = api.extensionContext.logUri.fsPath;
    if (!existsSync(dir)) return '';
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((relative) => path.join(dir, relative))
      .filter((file) => statSync(file).isFile())
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
  }

  function watchOf(jobName: string): RunWatch {
    const watch = api.runs.watchers.get(jobName);
    assert.ok(watch, `run ${jobName} is followed`);
    return watch;
  }

  async function runRow(experiment: string, label: string): Promise<Row> {
    return eventually(async () => {
      const exp = (await rows(api.views.experiments)).find((r) => r.label === experiment);
      return exp ? (await rows(api.views.experiments, exp.node)).find((r) => r.label === label) : undefined;
    }, `run ${label} in experiment ${experiment}`, 30_000);
  }

  let firstJob: SubmitResult;
  let helloScript: string;

  it('submits a script that prints and writes an output, streams its log and shows it completed', async () => {
    // The script waits for this file, written once the watcher has printed a status before the
    // end, so a slow first poll on a loaded machine cannot see the run already completed.
    const goAhead = path.join(scratch, 'hello-go-ahead');
    const dir = project('hello-project', {
      'train.py': [
        ...pythonWaitingFor(goAhead),
        'for i in range(10):',
        '    print(f"epoch {i}", flush=True)',
        '    time.sleep(0.1)',
        'os.makedirs("outputs", exist_ok=True)',
        'open("outputs/model.txt", "w").write("weights")',
      ].join('\n'),
      'scratch.tmp': 'not part of the snapshot',
    });
    helloScript = path.join(dir, 'train.py');
    const asked: string[] = [];
    firstJob = await submit(helloScript, submitPrompts({ experiment: 'hello-exp', displayName: 'hello run' }, asked));
    assert.deepEqual(asked, ['Experiment', 'Environment', 'Display Name', 'Command'].map((s) => `Submit train.py: ${s}`),
      'one compute (local) is taken without asking');
    assert.equal(firstJob.experimentName, 'hello-exp');
    assert.deepEqual(firstJob.snapshot && { reused: firstJob.snapshot.reused, files: firstJob.snapshot.fileCount }, { reused: false, files: 2 });

    const watch = watchOf(firstJob.jobName);
    const running = await runRow('hello-exp', 'hello run');
    assert.ok(['queued', 'running'].includes(String(running.item.contextValue).split(':')[1]!), 'the run waits for the test before it ends');
    await eventually(async () => /Status: (Not started|Preparing|Running)/.test(watch.log.text) || undefined,
      'a status before the end in the run log', 60_000);
    writeFileSync(goAhead, '');
    const summary = await watch.done;
    assert.equal(summary?.status, 'Completed');

    const text = watch.log.text;
    const epochs = text.split('\n').filter((l) => l.startsWith('epoch '));
    assert.deepEqual(epochs, Array.from({ length: 10 }, (_, i) => `epoch ${i}`), 'every line once, in order');
    assert.match(text, /Status: (Not started|Preparing|Running)[\s\S]*Status: Completed/, 'status changes are printed as they happen');
    assert.doesNotMatch(text, /Warning: .*is not used/, 'the first environment offered is the one the local workspace runs with');
    const logDuration = new RegExp(`Run ${firstJob.jobName}: Completed after (\\d+s)\\.`).exec(text)?.[1];
    assert.ok(logDuration, 'the run log ends with the duration');
    assert.equal(api.runs.watchers.statusBar.text, `$(pass) ${firstJob.jobName} Completed ${logDuration}`,
      'the status bar shows the same duration as the run log');

    const done = await eventually(async () => {
      const r = await runRow('hello-exp', 'hello run');
      return r.item.contextValue === 'run:completed' ? r : undefined;
    }, 'the run shown as completed', 30_000);
    assert.equal(iconId(done.item), 'pass');
    assert.equal(String(done.item.description).split(' · ')[1], logDuration, 'the tree shows the same duration as the run log');

    const target = path.join(scratch, 'downloads');
    await vscode.commands.executeCommand('azureml.downloadRunOutputs', done.node, target);
    const model = path.join(target, firstJob.jobName, 'artifacts', 'outputs', 'model.txt');
    assert.equal(readFileSync(model, 'utf8'), 'weights');
    assert.ok(existsSync(path.join(target, firstJob.jobName, 'artifacts', 'user_logs', 'std_log.txt')));

    // Into the same folder again, over a file edited since: asked what to do with existing files, never replaced silently.
    writeFileSync(model, 'my edits');
    const askedAgain: string[] = [];
    api.setPrompts({
      pick: async (items, options) => {
        askedAgain.push(options.title);
        return (await items).find((item) => item.label === 'Skip existing')!.value;
      },
      pickMany: async () => assert.fail('unexpected multi-pick'),
      input: async () => assert.fail('unexpected input'),
    });
    await vscode.commands.executeCommand('azureml.downloadRunOutputs', done.node, target);
    assert.deepEqual(askedAgain, [`${path.join(target, firstJob.jobName)} already has files of run ${firstJob.jobName}`]);
    assert.equal(readFileSync(model, 'utf8'), 'my edits');
  });

  it('reuses the snapshot when the same script is submitted again unchanged', async () => {
    const second = await submit(helloScript, submitPrompts({ experiment: 'hello-exp' }, []));
    assert.equal(second.snapshot?.reused, true, 'no second upload');
    assert.equal(second.snapshot?.codeId, firstJob.snapshot?.codeId);
    assert.equal((await watchOf(second.jobName).done)?.status, 'Completed');
  });

  it('a command that carries a SAS shows it masked in the run log and in the run\'s tooltip', async () => {
    const dir = project('sas-project', { 'fetch.py': 'import sys\nprint("source given", flush=True)\n' });
    const sas = 'https://acct.blob.core.windows.net/data/train.csv?sv=2022-11-02&sr=b&sig=SECRETsig0123';
    const job = await submit(path.join(dir, 'fetch.py'), submitPrompts({ experiment: 'sas-exp', displayName: 'with a sas', command: `python fetch.py "${sas}"` }, []));
    const watch = watchOf(job.jobName);
    assert.equal((await watch.done)?.status, 'Completed');
    assert.match(watch.log.text, /^source given$/m);
    assert.match(watch.log.text, /sig=\*\*\*/, 'the submitted command is in the log, masked');
    assert.doesNotMatch(watch.log.text, /SECRETsig0123/);
    const tooltip = (await runRow('sas-exp', 'with a sas')).item.tooltip as vscode.MarkdownString;
    assert.match(tooltip.value, /python fetch\.py "https:\/\/acct\.blob\.core\.windows\.net\/data\/train\.csv\?sv=2022-11-02&sr=b&sig=\*\*\*"/);
    assert.doesNotMatch(tooltip.value, /SECRETsig0123/);
  });

  it('submits the one open script from the Get Started walkthrough\'s button, where no text editor has the focus', async () => {
    const dir = project('walkthrough-project', { 'walk.py': 'print("from the walkthrough", flush=True)\n' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'walk.py')), { preview: false });
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'azureml-workbench.azureml-workbench#getStarted', false);
    await eventually(async () => (vscode.window.activeTextEditor === undefined ? true : undefined), 'Get Started to take the focus from walk.py');
    try {
      api.setPrompts(submitPrompts({ experiment: 'walkthrough-exp', displayName: 'from Get Started' }, []));
      const result = await vscode.commands.executeCommand<SubmitResult | undefined>('azureml.submitCurrentFile');
      assert.equal(result?.experimentName, 'walkthrough-exp', `walk.py, the open script, was submitted; the log ends: ${azureMlLogText().split('\n').filter((line) => !/^\s+at /.test(line)).slice(-8).join('\n')}`);
      const watch = watchOf(result.jobName);
      assert.equal((await watch.done)?.status, 'Completed');
      assert.match(watch.log.text, /from the walkthrough/);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('asks which script to submit when several are open and none has the focus, and submits nothing', async () => {
    const dir = project('two-scripts', { 'a.py': 'print("a")\n', 'b.py': 'print("b")\n' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'a.py')), { preview: false });
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'b.py')), { preview: false });
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'azureml-workbench.azureml-workbench#getStarted', false);
    await eventually(async () => (vscode.window.activeTextEditor === undefined ? true : undefined), 'Get Started to take the focus');
    api.setPrompts({
      pick: async () => assert.fail('nothing is asked'),
      pickMany: async () => assert.fail('nothing is asked'),
      input: async () => assert.fail('nothing is asked'),
    });
    try {
      assert.equal(await vscode.commands.executeCommand('azureml.submitCurrentFile'), undefined, 'nothing was submitted');
      await eventually(async () => (azureMlLogText().includes(
        'Several scripts or job YAML files are open: click in the one you want to submit, then run Submit Current File as Run again.') || undefined),
      'the message in the Azure ML log');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('shows a script that exits 3 as failed, with its error and failing lines', async () => {
    const dir = project('failing-project', { 'fail.py': 'import sys\nprint("loading data", flush=True)\nprint("no such column", file=sys.stderr)\nsys.exit(3)\n' });
    const result = await submit(path.join(dir, 'fail.py'), submitPrompts({ experiment: 'failing-exp', displayName: 'fails' }, []));
    const watch = watchOf(result.jobName);
    const summary = await watch.done;
    assert.equal(summary?.status, 'Failed');
    assert.match(watch.log.text, /: Failed after \d+s\.\nError \(\w+\): .*3/);
    assert.match(watch.log.text, /Last lines of the log:\n(  \| .*\n)*  \| no such column/);
    const failed = await eventually(async () => {
      const r = await runRow('failing-exp', 'fails');
      return r.item.contextValue === 'run:failed' ? r : undefined;
    }, 'the run shown as failed', 30_000);
    assert.equal(iconId(failed.item), 'error');
  });

  it('cancels a long run from its tree item', async () => {
    const dir = project('long-project', { 'long.py': 'import time\nfor i in range(1200):\n    print(f"tick {i}", flush=True)\n    time.sleep(0.1)\n' });
    const result = await submit(path.join(dir, 'long.py'), submitPrompts({ experiment: 'long-exp', displayName: 'long run' }, []));
    const watch = watchOf(result.jobName);
    await eventually(async () => (watch.log.text.includes('tick 3') ? true : undefined), 'the long run printing', 60_000);
    const node = await eventually(async () => {
      const r = await runRow('long-exp', 'long run');
      return String(r.item.contextValue).endsWith(':cancellable') ? r : undefined;
    }, 'a cancellable run item', 30_000);
    await vscode.commands.executeCommand('azureml.cancelRun', node.node);
    const summary = await watch.done;
    assert.equal(summary?.status, 'Canceled');
    const ticks = watch.log.text.split('\n').filter((l) => l.startsWith('tick '));
    ticks.forEach((line, i) => assert.equal(line, `tick ${i}`));
    assert.ok(ticks.length < 1200);
  });

  it('submits a job YAML as written, without asking anything', async () => {
    const dir = project('yaml-project', {
      'src/greet.py': 'import sys\nprint("hello,", sys.argv[1])\n',
      'job.yml': [
        '$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json',
        'command: python greet.py ${{inputs.who}}',
        'code: ./src',
        'environment: azureml://registries/azureml/environments/sklearn-1.5/labels/latest',
        'compute: azureml:local',
        'experiment_name: yaml-exp',
        'display_name: greet from yaml',
        'inputs:',
        '  who: world',
      ].join('\n'),
    });
    const asked: string[] = [];
    const result = await submit(path.join(dir, 'job.yml'), submitPrompts({ experiment: 'unused' }, asked));
    assert.deepEqual(asked, []);
    assert.equal(result.experimentName, 'yaml-exp');
    const watch = watchOf(result.jobName);
    assert.equal((await watch.done)?.status, 'Completed');
    assert.match(watch.log.text, /^hello, world$/m);
    await runRow('yaml-exp', 'greet from yaml');
  });

  it('re-attaches to a run followed before (as after a restart) and shows its whole log once', async () => {
    const dir = project('reattach-project', { 'steps.py': 'import time\nfor i in range(30):\n    print(f"step {i}", flush=True)\n    time.sleep(0.1)\n' });
    const result = await submit(path.join(dir, 'steps.py'), submitPrompts({ experiment: 'reattach-exp', displayName: 'steps' }, []));
    const first = watchOf(result.jobName);
    await eventually(async () => (first.log.text.includes('step 2') ? true : undefined), 'the first lines', 60_000);
    first.stop();
    assert.equal(await first.done, undefined, 'following stopped, as when the window closes');
    assert.ok(api.runs.watchers.remembered().some((r) => r.jobName === result.jobName), 'the run is remembered');

    const [again] = (await api.runs.reattach()).filter((w) => w.jobName === result.jobName);
    assert.ok(again);
    assert.equal((await again.done)?.status, 'Completed');
    const steps = again.log.text.split('\n').filter((l) => l.startsWith('step '));
    assert.deepEqual(steps, Array.from({ length: 30 }, (_, i) => `step ${i}`));
    assert.ok(!api.runs.watchers.remembered().some((r) => r.jobName === result.jobName), 'a finished run is forgotten');

    // Tail Run on the finished run's item shows its log again, from the start.
    const item = await runRow('reattach-exp', 'steps');
    await vscode.commands.executeCommand('azureml.tailRun', item.node);
    const third = watchOf(result.jobName);
    assert.equal((await third.done)?.status, 'Completed');
    assert.deepEqual(third.log.text.split('\n').filter((l) => l.startsWith('step ')), steps);
  });

  it('shows a canceled run with its own icon, and its item no longer cancellable', async () => {
    const canceled = await eventually(async () => {
      const r = await runRow('long-exp', 'long run');
      return r.item.contextValue === 'run:canceled' ? r : undefined;
    }, 'the canceled run without its cancel action', 30_000);
    assert.equal(iconId(canceled.item), 'circle-slash');
  });
});
