import { createInterface } from 'node:readline/promises';
import { describePlan, type DeletionPlan } from '../core/deletion/deletionPlans';
import { UsageError } from './usage';

/**
 * Shows what a plan removes and keeps (on stderr: stdout stays for results), then asks on the
 * terminal: "yes", or the name in `typeName` for the gravest. Without a terminal only `--yes`
 * goes ahead. Answers whether to go ahead.
 */
export async function confirmPlan(plan: DeletionPlan, yes: boolean, typeName?: string): Promise<boolean> {
  process.stderr.write(`${plan.question}\n${describePlan(plan)}\n`);
  if (yes) return true;
  if (!process.stdin.isTTY) {
    throw new UsageError(`Not a terminal, so nobody can confirm: add --yes to ${plan.action.toLowerCase()} without asking.`);
  }
  const expected = typeName ?? 'yes';
  const prompt = typeName ? `Type the workspace's name (${typeName}) to ${plan.action.toLowerCase()}: ` : `Type yes to ${plan.action.toLowerCase()}: `;
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = (await terminal.question(prompt)).trim();
    if (answer !== expected) {
      process.stderr.write('Nothing was changed.\n');
      return false;
    }
    return true;
  } finally {
    terminal.close();
  }
}
