import type { DeepState } from '../shared/protocol';
import { deepCostText, deepDetachText, deepFailureText } from '../shared/deep/cost';

/**
 * The "Deep capture" switch (Chrome only, per inspected tab, off by default): says what it costs
 * before it is turned on, and why it is not on when Chrome refused or ended it.
 */
export function DeepSwitch({ state, onSet }: { state: DeepState; onSet(on: boolean): void }) {
  if (!(globalThis as { chrome?: { debugger?: unknown } }).chrome?.debugger) return null;
  const on = state.state === 'on';
  return (
    <span class="deep" data-testid="deep" data-state={state.state}>
      <label title={deepCostText()}>
        <input type="checkbox" checked={on} onChange={(e) => onSet((e.target as HTMLInputElement).checked)} data-testid="deep-switch" /> Deep capture
      </label>
      {!on && state.state !== 'failed' && state.state !== 'detached' && (
        <small class="deep-cost" data-testid="deep-cost">
          {deepCostText()}
        </small>
      )}
      {state.state === 'failed' && (
        <small class="deep-problem" role="alert" data-testid="deep-problem">
          {deepFailureText(state.reason)}
        </small>
      )}
      {state.state === 'detached' && (
        <small class="deep-problem" data-testid="deep-problem">
          {deepDetachText(state.reason)}
        </small>
      )}
    </span>
  );
}
