// What the windowed list and grid (VirtualList, VirtualGrid) share: scrolling a row into view, and the
// global `v-scroller` / `v-sizer` / `v-row` classes in styles/layout.css that position their rows.

/** Scrolls `scroller` the least that shows the row at [top, top + height) whole. */
export function revealRow(scroller: HTMLElement, top: number, height: number): void {
  if (top < scroller.scrollTop) scroller.scrollTop = top;
  else if (top + height > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + height - scroller.clientHeight;
}
