/**
 * Pausing: a paused monitor is not probed and its state says so; resuming starts it over as PENDING,
 * so the first check after a pause decides UP or DOWN afresh (and alerts only on a DOWN). The last
 * check's time is kept: it is what the checker's conditional state update compares against, so a run
 * that read the monitor before the pause cannot overwrite the new state.
 */
import type { MonitorState } from './types.js';

/** The state of a monitor paused at `now`: when it was last checked, without the reason of a DOWN. */
export function pausedState(state: MonitorState, now: Date): MonitorState {
  const { lastError: _lastError, ...kept } = state;
  return { ...kept, status: 'PAUSED', since: now.toISOString() };
}

/** The state of a monitor resumed at `now`: PENDING until its next check. */
export function resumedState(state: MonitorState, now: Date): MonitorState {
  const resumed: MonitorState = { status: 'PENDING', since: now.toISOString() };
  if (state.lastCheckedAt !== undefined) resumed.lastCheckedAt = state.lastCheckedAt;
  if (state.cert !== undefined) resumed.cert = state.cert;
  return resumed;
}
