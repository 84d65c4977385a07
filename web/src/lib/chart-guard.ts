import type { Ref } from 'vue';

/**
 * Runs a chart's drawing step (uPlot's constructor, setData, setSize) and, if it throws (an odd locale
 * in its date formatting, a canvas the browser refuses), marks the chart failed so the component shows
 * "Chart unavailable" in its place: the numbers around it stay readable and the page does not go blank.
 */
export function guardChart(failed: Ref<boolean>, name: string, draw: () => void): void {
  if (failed.value) return;
  try {
    draw();
  } catch (error) {
    console.error(`The ${name} chart could not be drawn:`, error);
    failed.value = true;
  }
}
