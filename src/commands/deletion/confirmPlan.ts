import type { DeletionPlan } from '../../core/deletion/deletionPlans';
import { vscodePrompts, type Prompts } from '../../ui/prompts';

/** A modal listing what the plan removes and keeps; throws UserCancelledError unless confirmed. */
export async function confirmPlan(prompts: Prompts, plan: DeletionPlan, describe: (plan: DeletionPlan) => string): Promise<void> {
  await (prompts.confirm ?? vscodePrompts.confirm!)({ message: plan.question, detail: describe(plan), confirm: plan.action });
}
